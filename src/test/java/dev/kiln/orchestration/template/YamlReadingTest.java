package dev.kiln.orchestration.template;

import static dev.kiln.orchestration.template.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.common.ServiceException;
import org.junit.jupiter.api.Test;

class YamlReadingTest {

  private static JsonNode read(String yaml) {
    return parse("heat_template_version: 2013-05-23\n" + yaml).templateJson();
  }

  @Test
  void versionDateStaysAString() {
    JsonNode t = parse("heat_template_version: 2018-08-31\n").templateJson();
    assertThat(t.get("heat_template_version").isTextual()).isTrue();
    assertThat(t.get("heat_template_version").textValue()).isEqualTo("2018-08-31");
  }

  @Test
  void yaml11BooleansAsPyYamlReadsThem() {
    JsonNode t = read("description: x\nparameters:\n  p: {type: boolean, default: yes}\n  q: {type: boolean, default: Off}\n  r: {type: string, default: y}\n");
    assertThat(t.at("/parameters/p/default")).isEqualTo(J.booleanNode(true));
    assertThat(t.at("/parameters/q/default")).isEqualTo(J.booleanNode(false));
    // PyYAML's resolver does not read y/n as booleans.
    assertThat(t.at("/parameters/r/default")).isEqualTo(J.textNode("y"));
  }

  @Test
  void yaml11NumbersAsPyYamlReadsThem() {
    JsonNode t = read("""
        parameters:
          octal: {type: number, default: 017}
          hex: {type: number, default: 0x1F}
          under: {type: number, default: 1_000}
          sexagesimal: {type: number, default: 1:30}
          notfloat: {type: string, default: 1e3}
          float: {type: number, default: 1.5e+3}
          stamp: {type: string, default: 2018-08-31 10:00:00}
        """);
    assertThat(t.at("/parameters/octal/default")).isEqualTo(J.numberNode(15));
    assertThat(t.at("/parameters/hex/default")).isEqualTo(J.numberNode(31));
    assertThat(t.at("/parameters/under/default")).isEqualTo(J.numberNode(1000));
    assertThat(t.at("/parameters/sexagesimal/default")).isEqualTo(J.numberNode(90));
    assertThat(t.at("/parameters/notfloat/default")).isEqualTo(J.textNode("1e3"));
    assertThat(t.at("/parameters/float/default").doubleValue()).isEqualTo(1500.0);
    assertThat(t.at("/parameters/stamp/default")).isEqualTo(J.textNode("2018-08-31 10:00:00"));
  }

  @Test
  void aliasesAndMergeKeysAreExpanded() {
    JsonNode t = read("""
        description: x
        resources:
          a: &base {type: OS::Heat::TestResource, properties: {value: one}}
          b:
            <<: *base
            properties: {value: two}
          c: *base
        """);
    assertThat(t.at("/resources/c/properties/value")).isEqualTo(J.textNode("one"));
    assertThat(t.at("/resources/b/type")).isEqualTo(J.textNode("OS::Heat::TestResource"));
    assertThat(t.at("/resources/b/properties/value")).isEqualTo(J.textNode("two"));
  }

  @Test
  void jsonTemplatesAreReadAsJson() {
    ParsedStack p = parse("{\"heat_template_version\": \"2016-10-14\", \"resources\": {\"a\": {\"type\": \"OS::Heat::None\"}}}");
    assertThat(p.version()).isEqualTo("2016-10-14");
  }

  @Test
  void syntaxErrorsNameLineAndColumn() {
    assertThatThrownBy(() -> parse("heat_template_version: 2018-08-31\nresources:\n  a: [1, 2\n  b: 3\n"))
        .isInstanceOfSatisfying(ServiceException.class, e -> {
          assertThat(e.kind()).isEqualTo(ServiceException.Kind.INVALID);
          assertThat(e.getMessage())
              .startsWith("Template not in valid format: Error parsing template [root stack] while parsing a flow sequence")
              .contains("line 3, column 6")
              .contains("expected ',' or ']', but got");
        });
  }

  @Test
  void aTemplateThatIsNotAMappingIsRefused() {
    refused(() -> parse("- a\n- b\n"), "HTTPBadRequest",
        "Template not in valid format: The template is not a JSON object or YAML mapping.");
  }

  @Test
  void aTemplateWithoutVersionIsRefused() {
    refused(() -> parse("resources: {}\n"), "HTTPBadRequest",
        "Template not in valid format: Template format version not found.");
  }

  @Test
  void templatesOver512KbAreRefused() {
    String big = "heat_template_version: 2018-08-31\ndescription: \"" + "x".repeat(524_288) + "\"\n";
    refused(() -> parse(big), "RequestLimitExceeded",
        "Request limit exceeded: Template size (" + big.length()
            + " bytes) exceeds maximum allowed size (524288 bytes).");
  }

  @Test
  void aliasBombsAreRefusedWithoutExpansion() {
    StringBuilder b = new StringBuilder("heat_template_version: 2018-08-31\nparameters:\n");
    b.append("  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 9; i++) {
      b.append("  a").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < 10; j++) {
        b.append(j > 0 ? ", " : "").append("*a").append(i - 1);
      }
      b.append("]\n");
    }
    long start = System.nanoTime();
    assertThatThrownBy(() -> parse(b.toString()))
        .isInstanceOfSatisfying(ServiceException.class, e -> {
          assertThat(e.type()).isEqualTo("RequestLimitExceeded");
          assertThat(e.kind()).isEqualTo(ServiceException.Kind.INVALID);
        });
    assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
  }

  @Test
  void recursiveAliasesAreRefused() {
    assertThatThrownBy(() -> parse("heat_template_version: 2018-08-31\ndescription: &a [*a]\n"))
        .isInstanceOf(ServiceException.class);
  }

  @Test
  void unknownTagsAreRefused() {
    assertThatThrownBy(() -> parse("heat_template_version: 2018-08-31\ndescription: !!python/object x\n"))
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.getMessage())
            .startsWith("Template not in valid format: ")
            .contains("tag:yaml.org,2002:python/object")
            .contains("line 2, column 14"));
  }
}
