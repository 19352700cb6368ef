package dev.kiln.orchestration.template;

import static dev.kiln.orchestration.template.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ParametersTest {

  private static BoundStack bindParam(String version, String schema, JsonNode value) {
    String t = "heat_template_version: " + version + "\nparameters:\n  p: " + schema + "\n";
    return Fixtures.parse(t).bind(value == null ? Map.of() : Map.of("p", value), PSEUDO, ConstraintChecker.NONE);
  }

  private static JsonNode valueOf(String schema, JsonNode value) {
    return bindParam("2018-08-31", schema, value).parameterValues().get("p");
  }

  private static void invalid(String schema, JsonNode value, String message) {
    refused(() -> bindParam("2018-08-31", schema, value), "StackValidationFailed", message);
  }

  @Test
  void valuesAreConvertedToTheirType() {
    assertThat(valueOf("{type: number}", J.textNode("42"))).isEqualTo(J.numberNode(42));
    assertThat(valueOf("{type: number}", J.textNode("4.5"))).isEqualTo(J.numberNode(4.5));
    assertThat(valueOf("{type: boolean}", J.textNode("yes"))).isEqualTo(J.booleanNode(true));
    assertThat(valueOf("{type: boolean}", J.textNode("0"))).isEqualTo(J.booleanNode(false));
    assertThat(valueOf("{type: comma_delimited_list}", J.textNode("a,b, c"))).isEqualTo(json("[\"a\",\"b\",\" c\"]"));
    assertThat(valueOf("{type: comma_delimited_list}", json("[1, \"x\"]"))).isEqualTo(json("[\"1\",\"x\"]"));
    assertThat(valueOf("{type: json}", J.textNode("{\"k\": [1]}"))).isEqualTo(json("{\"k\": [1]}"));
    assertThat(valueOf("{type: string}", J.numberNode(5))).isEqualTo(J.textNode("5"));
    assertThat(valueOf("{type: string, default: d}", null)).isEqualTo(J.textNode("d"));
  }

  @Test
  void badValuesAreRefusedWithHeatsMessages() {
    invalid("{type: number}", J.textNode("abc"), "Parameter 'p' is invalid: could not convert string to float: 'abc'");
    invalid("{type: boolean}", J.textNode("maybe"), "Parameter 'p' is invalid: Unrecognized value 'maybe',"
        + " acceptable values are: '0', '1', 'f', 'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes'");
    invalid("{type: json}", J.textNode("{nope"), "Parameter 'p' is invalid: Value must be valid JSON: "
        + "Unexpected character ('n' (code 110)): was expecting double-quote to start field name");
  }

  @Test
  void missingAndUnknownParameters() {
    refused(() -> bindParam("2018-08-31", "{type: string}", null), "UserParameterMissing",
        "The Parameter (p) was not provided.");
    refused(() -> Fixtures.parse("heat_template_version: 2018-08-31\n").bind(
        Map.of("x", J.textNode("1")), PSEUDO, ConstraintChecker.NONE),
        "UnknownUserParameter", "The Parameter (x) was not defined in template.");
  }

  @Test
  void lengthConstraint() {
    String s = "{type: string, constraints: [{length: {min: 2, max: 4}}]}";
    assertThat(valueOf(s, J.textNode("abc"))).isEqualTo(J.textNode("abc"));
    invalid(s, J.textNode("abcdef"), "Parameter 'p' is invalid: length (6) is out of range (min: 2, max: 4)");
    invalid("{type: comma_delimited_list, constraints: [{length: {min: 3}}]}", J.textNode("a,b"),
        "Parameter 'p' is invalid: length (2) is out of range (min: 3, max: None)");
  }

  @Test
  void rangeConstraint() {
    String s = "{type: number, constraints: [{range: {min: 1, max: 10}}]}";
    invalid(s, J.textNode("11"), "Parameter 'p' is invalid: 11 is out of range (min: 1, max: 10)");
    invalid(s, J.numberNode(0.5), "Parameter 'p' is invalid: 0.5 is out of range (min: 1, max: 10)");
  }

  @Test
  void moduloConstraintFrom20170224() {
    String s = "{type: number, constraints: [{modulo: {step: 2, offset: 1}}]}";
    assertThat(bindParam("2017-02-24", s, J.numberNode(7)).parameterValues().get("p")).isEqualTo(J.numberNode(7));
    refused(() -> bindParam("2017-02-24", s, J.numberNode(8)), "StackValidationFailed",
        "Parameter 'p' is invalid: 8 is not a multiple of 2 with an offset of 1");
    refused(() -> bindParam("2016-10-14", s, J.numberNode(7)), "InvalidSchemaError", "No constraint expressed");
    refused(() -> bindParam("2017-02-24", "{type: number, constraints: [{modulo: {step: 2, offset: 3}}]}",
        J.numberNode(7)), "InvalidSchemaError", "offset must be smaller (by absolute value) than step.");
  }

  @Test
  void allowedValuesAndPattern() {
    invalid("{type: string, constraints: [{allowed_values: [a, b]}]}", J.textNode("c"),
        "Parameter 'p' is invalid: \"c\" is not an allowed value [\"a\", \"b\"]");
    assertThat(valueOf("{type: number, constraints: [{allowed_values: [1, 2]}]}", J.textNode("2")))
        .isEqualTo(J.numberNode(2));
    invalid("{type: string, constraints: [{allowed_pattern: '[a-z]+'}]}", J.textNode("ab1"),
        "Parameter 'p' is invalid: \"ab1\" does not match pattern \"[a-z]+\"");
    invalid("{type: string, constraints: [{allowed_pattern: '[a-z]+', description: lower case only}]}",
        J.textNode("A"), "Parameter 'p' is invalid: lower case only");
  }

  @Test
  void customConstraintsAskTheChecker() {
    ConstraintChecker flavors = (name, value) -> name.equals("nova.flavor") && !value.textValue().equals("m1.small")
        ? Optional.of("Error validating value '" + value.textValue() + "': The Flavor (" + value.textValue()
            + ") could not be found.")
        : Optional.empty();
    ParsedStack p = Fixtures.parse("""
        heat_template_version: 2018-08-31
        parameters:
          flavor: {type: string, constraints: [{custom_constraint: nova.flavor}]}
        """);
    assertThat(p.bind(Map.of("flavor", J.textNode("m1.small")), PSEUDO, flavors).parameterValues())
        .containsEntry("flavor", J.textNode("m1.small"));
    refused(() -> p.bind(Map.of("flavor", J.textNode("m1.huge")), PSEUDO, flavors), "StackValidationFailed",
        "Parameter 'flavor' is invalid: Error validating value 'm1.huge': The Flavor (m1.huge) could not be found.");
  }

  @Test
  void schemaErrors() {
    refused(() -> bindParam("2018-08-31", "{type: strin}", null), "InvalidSchemaError", "Invalid type (strin)");
    refused(() -> bindParam("2018-08-31", "{default: x}", null), "InvalidSchemaError",
        "Missing parameter type for parameter: p");
    refused(() -> bindParam("2018-08-31", "{type: string, hiden: true}", null), "InvalidSchemaError",
        "Invalid key 'hiden' for parameter (p)");
    refused(() -> bindParam("2018-08-31", "{type: string, constraints: [{range: {min: 1}}]}", J.textNode("x")),
        "InvalidSchemaError", "Parameter 'p' is invalid: Range constraint invalid for string");
    refused(() -> bindParam("2018-08-31", "{type: string, default: abcdef, constraints: [{length: {max: 3}}]}", null),
        "InvalidSchemaError",
        "Parameter 'p' is invalid: Invalid default abcdef (length (6) is out of range (min: None, max: 3))");
  }

  @Test
  void hiddenImmutableLabelAndTagsAreRead() {
    ParsedStack p = Fixtures.parse("""
        heat_template_version: 2018-08-31
        parameters:
          secret: {type: string, hidden: true, immutable: true, label: Secret, description: d, tags: [a]}
        """);
    ParameterDefinition d = p.parameters().get(0);
    assertThat(d.hidden()).isTrue();
    assertThat(d.immutable()).isTrue();
    assertThat(d.label()).isEqualTo("Secret");
    refused(() -> Fixtures.parse("""
        heat_template_version: 2017-09-01
        parameters:
          secret: {type: string, tags: [a]}
        """), "InvalidSchemaError", "Invalid key 'tags' for parameter (secret)");
  }

  @Test
  void parameterGroups() {
    ParsedStack p = Fixtures.parse("""
        heat_template_version: 2018-08-31
        parameter_groups:
          - label: first
            description: the first
            parameters: [a, b]
        parameters:
          a: {type: string, default: x}
          b: {type: string, default: y}
        """);
    assertThat(p.parameterGroups()).containsExactly(new ParameterGroup("first", "the first", java.util.List.of("a", "b")));
    refused(() -> Fixtures.parse("""
        heat_template_version: 2018-08-31
        parameter_groups:
          - label: g
            parameters: [a, c]
        parameters:
          a: {type: string, default: x}
        """), "StackValidationFailed",
        "Parameter Groups error: parameter_groups.g: The grouped parameter c does not reference a valid parameter.");
  }

  @Test
  void environmentParametersAndDefaults() {
    ParsedStack p = HEAT.parse(new TemplateSource(null, """
        heat_template_version: 2018-08-31
        parameters:
          a: {type: string}
          b: {type: string, default: template}
          c: {type: string, default: template}
        """, Map.of(), json("{\"parameters\": {\"a\": \"env\"}, \"parameter_defaults\": {\"b\": \"envdef\", \"z\": 1}}"),
        java.util.List.of()), TYPES);
    BoundStack s = p.bind(Map.of("c", J.textNode("user")), PSEUDO, ConstraintChecker.NONE);
    assertThat(s.parameterValues()).containsEntry("a", J.textNode("env")).containsEntry("b", J.textNode("envdef"))
        .containsEntry("c", J.textNode("user"));
  }
}
