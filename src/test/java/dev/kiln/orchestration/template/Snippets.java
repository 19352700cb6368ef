package dev.kiln.orchestration.template;

import static dev.kiln.orchestration.template.Fixtures.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** Evaluates one snippet, written in JSON, as resource metadata in a template of a given HOT version. */
final class Snippets {
  private Snippets() {}

  static String template(String version, String snippet) {
    return """
        heat_template_version: %s
        parameters:
          name: {type: string, default: web}
          count: {type: number, default: 2}
          zones: {type: comma_delimited_list, default: "az1,az2"}
          config: {type: json, default: {"a": {"b": [10, 20]}}}
          flag: {type: boolean, default: true}
        resources:
          r: {type: OS::Heat::TestResource}
          probe:
            type: OS::Heat::None
            metadata:
              out: %s
        """.formatted(version, snippet);
  }

  static JsonNode eval(String version, String snippet) {
    return probe(bind(template(version, snippet)));
  }

  static JsonNode probe(BoundStack s) {
    JsonNode v = resource(s, "probe").metadata().resolve(LIVE).get("out");
    return v == null ? J.nullNode() : v;
  }

  static JsonNode eval(String version, String snippet, Map<String, String> files) {
    ParsedStack p = HEAT.parse(
        new TemplateSource(null, template(version, snippet), files, null, java.util.List.of()), TYPES);
    return probe(p.bind(Map.of(), PSEUDO, ConstraintChecker.NONE));
  }
}
