package dev.kiln.orchestration.template;

import static dev.kiln.orchestration.template.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BasicTemplateTest {

  private static final String SIMPLE = """
      heat_template_version: 2018-08-31
      description: two resources
      parameters:
        size:
          type: number
          default: 3
        names:
          type: comma_delimited_list
          default: a,b
      resources:
        first:
          type: OS::Heat::TestResource
          properties:
            value: {get_param: size}
        second:
          type: OS::Heat::TestResource
          depends_on: third
          properties:
            value: {get_attr: [first, output]}
            data: {ref: {get_resource: first}}
        third:
          type: OS::Heat::None
      outputs:
        joined:
          value: {list_join: ['-', {get_param: names}]}
        first_id:
          value: {get_resource: first}
      """;

  @Test
  void parsesVersionDescriptionAndParameters() {
    ParsedStack p = parse(SIMPLE);
    assertThat(p.version()).isEqualTo("2018-08-31");
    assertThat(p.description()).isEqualTo("two resources");
    assertThat(p.parameters()).extracting(ParameterDefinition::name).containsExactly("size", "names");
  }

  @Test
  void bindsResourcesInTemplateOrderWithImplicitAndExplicitDependencies() {
    BoundStack s = bind(SIMPLE);
    assertThat(s.resources()).extracting(ResourceDefinition::name).containsExactly("first", "second", "third");
    assertThat(resource(s, "first").dependsOn()).isEmpty();
    assertThat(resource(s, "second").dependsOn()).containsExactlyInAnyOrder("first", "third");
    assertThat(resource(s, "second").properties().referencedResources()).containsExactly("first");
    assertThat(resource(s, "first").implementation()).isEqualTo(new ResolvedType.Builtin("OS::Heat::TestResource"));
  }

  @Test
  void getParamIsResolvedWhenBound() {
    BoundStack s = bind(SIMPLE, Map.of("size", J.textNode("7")));
    assertThat(resource(s, "first").properties().resolve(LIVE)).isEqualTo(json("{\"value\": 7}"));
    assertThat(s.parameterValues().get("size")).isEqualTo(J.numberNode(7));
    assertThat(s.parameterValues().get("OS::stack_name")).isEqualTo(J.textNode("mystack"));
    assertThat(value(s, "joined")).isEqualTo(J.textNode("a-b"));
  }

  @Test
  void liveFunctionsAreResolvedAgainstTheResolver() {
    ATTRS.put("first", json("{\"output\": \"hello\"}"));
    BoundStack s = bind(SIMPLE);
    assertThat(resource(s, "second").properties().resolve(LIVE))
        .isEqualTo(json("{\"value\": \"hello\", \"data\": {\"ref\": \"first-id\"}}"));
    assertThat(value(s, "first_id")).isEqualTo(J.textNode("first-id"));
  }

  @Test
  void unknownTypeIsRefusedAsHeatWordsIt() {
    refused(() -> parse("""
        heat_template_version: 2018-08-31
        resources:
          x: {type: OS::Nova::Servr}
        """), "StackValidationFailed", "The Resource Type (OS::Nova::Servr) could not be found.");
  }

  @Test
  void cyclesAreRefusedByName() {
    refused(() -> parse("""
        heat_template_version: 2018-08-31
        resources:
          a: {type: OS::Heat::None, depends_on: b}
          b: {type: OS::Heat::TestResource, properties: {value: {get_resource: a}}}
          c: {type: OS::Heat::None}
        """), "CircularDependencyException", "Circular Dependency Found: {a: {b}, b: {a}}");
  }

  @Test
  void unknownReferenceIsRefused() {
    refused(() -> parse("""
        heat_template_version: 2018-08-31
        resources:
          a: {type: OS::Heat::TestResource, properties: {value: {get_resource: nope}}}
        """), "InvalidTemplateReference", "The specified reference \"nope\" (in a) is incorrect.");
  }

  @Test
  void missingRequiredPropertyIsRefused() {
    refused(() -> parse("""
        heat_template_version: 2018-08-31
        resources:
          port: {type: OS::Neutron::Port, properties: {name: p}}
        """), "StackValidationFailed", "Property error: resources.port.properties: Property network not assigned");
  }

  @Test
  void checkPropertiesFillsDefaultsAndConverts() {
    var schema = TYPES.schema("OS::Heat::TestResource").orElseThrow();
    var out = HEAT.checkProperties("r", schema, json("{\"count\": \"4\", \"value\": 5}"), ConstraintChecker.NONE);
    assertThat(out).isEqualTo(json(
        "{\"value\":\"5\",\"fail\":false,\"wait_secs\":0,\"count\":4,\"items\":null,\"data\":null}"));
  }
}
