package dev.kiln.orchestration.template;

import static dev.kiln.orchestration.template.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.orchestration.template.ResourceDefinition.Hook;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentsTest {

  private static final String TEMPLATE = """
      heat_template_version: 2018-08-31
      parameters:
        name: {type: string, default: t}
        tags: {type: comma_delimited_list, default: ""}
        opts: {type: json, default: {}}
      resources:
        server: {type: My::Server}
        other: {type: OS::Heat::None}
        web_1: {type: OS::Heat::None}
      """;

  private static ParsedStack withEnv(String template, JsonNode env, Map<String, String> files, List<String> envFiles) {
    return HEAT.parse(new TemplateSource(null, template, files, env, envFiles), TYPES);
  }

  @Test
  void typesMappedToOtherTypes() {
    ParsedStack p = withEnv(TEMPLATE, json("{\"resource_registry\": {\"My::Server\": \"OS::Heat::TestResource\"}}"),
        Map.of(), List.of());
    BoundStack s = p.bind(Map.of(), PSEUDO, ConstraintChecker.NONE);
    assertThat(resource(s, "server").implementation()).isEqualTo(new ResolvedType.Builtin("OS::Heat::TestResource"));
    assertThat(resource(s, "server").type()).isEqualTo("My::Server");
  }

  @Test
  void wildcardMappingsAndPerResourceMappings() {
    ParsedStack p = withEnv(TEMPLATE, json("""
        {"resource_registry": {"My::*": "OS::Heat::*", "OS::Heat::Server": "OS::Heat::None",
                               "resources": {"other": {"OS::Heat::None": "OS::Heat::TestResource"}}}}"""),
        Map.of(), List.of());
    BoundStack s = p.bind(Map.of(), PSEUDO, ConstraintChecker.NONE);
    assertThat(resource(s, "server").implementation()).isEqualTo(new ResolvedType.Builtin("OS::Heat::None"));
    assertThat(resource(s, "other").implementation()).isEqualTo(new ResolvedType.Builtin("OS::Heat::TestResource"));
  }

  @Test
  void providerTemplatesFromFiles() {
    String nested = """
        heat_template_version: 2018-08-31
        parameters:
          size: {type: number}
          label: {type: string, default: x}
        resources:
          inner: {type: OS::Heat::None}
        outputs:
          addr: {value: 1.2.3.4}
        """;
    String template = """
        heat_template_version: 2018-08-31
        resources:
          server:
            type: My::Server
            properties: {size: 3}
          user:
            type: OS::Heat::TestResource
            properties: {value: {get_attr: [server, addr]}}
        """;
    ParsedStack p = withEnv(template, json("""
        {"resource_registry": {"My::Server": "file:///x/server.yaml",
                               "resources": {"server": {"inner": {"hooks": "pre-create"}}}}}"""),
        Map.of("file:///x/server.yaml", nested), List.of());
    BoundStack s = p.bind(Map.of(), PSEUDO, ConstraintChecker.NONE);
    ResolvedType impl = resource(s, "server").implementation();
    assertThat(impl).isInstanceOfSatisfying(ResolvedType.ProviderTemplate.class, pt -> {
      assertThat(pt.templateName()).isEqualTo("file:///x/server.yaml");
      assertThat(pt.source().templateText()).isEqualTo(nested);
      assertThat(pt.source().environment().at("/resource_registry/resources/inner/hooks"))
          .isEqualTo(J.textNode("pre-create"));
    });
    refused(() -> withEnv("""
        heat_template_version: 2018-08-31
        resources:
          server: {type: My::Server, properties: {sise: 3}}
        """, json("{\"resource_registry\": {\"My::Server\": \"server.yaml\"}}"), Map.of("server.yaml", nested),
        List.of()), "StackValidationFailed", "Property error: resources.server.properties: Unknown Property sise");
    refused(() -> withEnv("""
        heat_template_version: 2018-08-31
        resources:
          server: {type: server.yaml}
        """, null, Map.of("server.yaml", nested), List.of()), "StackValidationFailed",
        "Property error: resources.server.properties: Property size not assigned");
  }

  @Test
  void hooksWithWildcards() {
    ParsedStack p = withEnv(TEMPLATE, json("""
        {"resource_registry": {"My::Server": "OS::Heat::None",
          "resources": {"server": {"hooks": ["pre-create", "pre-delete"]}, "web_*": {"hooks": "pre-update"}}}}"""),
        Map.of(), List.of());
    BoundStack s = p.bind(Map.of(), PSEUDO, ConstraintChecker.NONE);
    assertThat(resource(s, "server").hooks()).containsExactlyInAnyOrder(Hook.PRE_CREATE, Hook.PRE_DELETE);
    assertThat(resource(s, "web_1").hooks()).containsExactly(Hook.PRE_UPDATE);
    assertThat(resource(s, "other").hooks()).isEmpty();
    refused(() -> withEnv(TEMPLATE, json("{\"resource_registry\": {\"resources\": {\"server\": {\"hooks\": \"pre-boot\"}}}}"),
        Map.of(), List.of()), "InvalidBreakPointHook", "Invalid hook type \"pre-boot\" for resource breakpoint,"
        + " acceptable hook types are: ('pre-create', 'pre-update', 'pre-delete', 'post-create', 'post-update', 'post-delete')");
  }

  @Test
  void environmentFilesMergeInOrderWithMergeStrategies() {
    Map<String, String> files = Map.of(
        "env1.yaml", """
            parameter_merge_strategies:
              tags: merge
              opts: merge
            parameters:
              name: one
              tags: a
              opts: {x: 1}
            resource_registry:
              My::Server: OS::Heat::None
            """,
        "env2.yaml", """
            parameters:
              name: two
              tags: b
              opts: {y: 2}
            parameter_defaults:
              name: default
            """);
    // The request's environment is ignored when environment files are given, as in Heat.
    ParsedStack p = withEnv(TEMPLATE, json("{\"parameters\": {\"name\": \"ignored\"}}"), files,
        List.of("env1.yaml", "env2.yaml"));
    assertThat(p.environment().parameters()).containsEntry("name", J.textNode("two"))
        .containsEntry("tags", J.textNode("a,b")).containsEntry("opts", json("{\"x\": 1, \"y\": 2}"));
    assertThat(p.environment().parameterDefaults()).containsEntry("name", J.textNode("default"));
    BoundStack s = p.bind(Map.of(), PSEUDO, ConstraintChecker.NONE);
    assertThat(s.parameterValues().get("tags")).isEqualTo(json("[\"a\", \"b\"]"));
    assertThat(resource(s, "server").implementation()).isEqualTo(new ResolvedType.Builtin("OS::Heat::None"));
  }

  @Test
  void environmentsWithUnknownSectionsAreRefused() {
    refused(() -> withEnv(TEMPLATE, json("{\"paramters\": {}}"), Map.of(), List.of()), "HTTPBadRequest",
        "Environment not in valid format: environment has wrong section \"paramters\"");
    refused(() -> withEnv(TEMPLATE, null, Map.of("e.yaml", "parameters:\n"), List.of("e.yaml")), "HTTPBadRequest",
        "Environment not in valid format: environment has empty section \"parameters\"");
  }

  @Test
  void unmappedTypesAreNotFound() {
    refused(() -> withEnv(TEMPLATE, null, Map.of(), List.of()), "StackValidationFailed",
        "The Resource Type (My::Server) could not be found.");
  }

  @Test
  void theMergedEnvironmentHasHeatsSections() {
    ParsedTemplate p = (ParsedTemplate) withEnv("heat_template_version: 2018-08-31\n", null, Map.of(), List.of());
    assertThat(p.environmentJson()).isEqualTo(json("""
        {"parameters": {}, "resource_registry": {"resources": {}}, "parameter_defaults": {}, "event_sinks": []}"""));
  }
}
