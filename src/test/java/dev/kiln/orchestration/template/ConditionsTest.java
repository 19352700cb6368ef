package dev.kiln.orchestration.template;

import static dev.kiln.orchestration.template.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConditionsTest {

  private static final String TEMPLATE = """
      heat_template_version: 2016-10-14
      parameters:
        env: {type: string, default: prod}
        zone: {type: string, default: a}
      conditions:
        prod: {equals: [{get_param: env}, prod]}
        dev: {not: prod}
        prod_a: {and: [prod, {equals: [{get_param: zone}, a]}]}
        any: {or: [dev, prod_a]}
        always: true
      resources:
        p: {type: OS::Heat::None, condition: prod}
        d: {type: OS::Heat::None, condition: dev}
        both: {type: OS::Heat::None, condition: any}
        v:
          type: OS::Heat::TestResource
          properties:
            value: {if: [prod, big, small]}
      outputs:
        prod_only:
          value: {get_resource: p}
          condition: prod
        always:
          value: {if: [always, yes, no]}
      """;

  @Test
  void conditionsSelectResourcesValuesAndOutputs() {
    BoundStack prod = bind(TEMPLATE);
    assertThat(prod.resources()).extracting(ResourceDefinition::name).containsExactly("p", "both", "v");
    assertThat(resource(prod, "v").properties().resolve(LIVE)).isEqualTo(json("{\"value\": \"big\"}"));
    assertThat(prod.outputs()).extracting(OutputDefinition::name).containsExactly("prod_only", "always");

    BoundStack dev = bind(TEMPLATE, Map.of("env", J.textNode("dev")));
    assertThat(dev.resources()).extracting(ResourceDefinition::name).containsExactly("d", "both", "v");
    assertThat(resource(dev, "v").properties().resolve(LIVE)).isEqualTo(json("{\"value\": \"small\"}"));
    assertThat(dev.outputs()).extracting(OutputDefinition::name).containsExactly("always");
  }

  @Test
  void aDisabledResourceMayBeReferencedButIsNoDependency() {
    BoundStack s = bind("""
        heat_template_version: 2016-10-14
        conditions:
          off: false
        resources:
          gone: {type: OS::Heat::None, condition: off}
          user:
            type: OS::Heat::TestResource
            properties:
              value: {if: [off, {get_resource: gone}, none]}
            depends_on: gone
        """);
    assertThat(resource(s, "user").dependsOn()).isEmpty();
  }

  @Test
  void ifWithoutAFalseValueLeavesTheEntryOutFrom20210416() {
    BoundStack s = bind("""
        heat_template_version: 2021-04-16
        conditions:
          off: false
        resources:
          v:
            type: OS::Heat::TestResource
            properties:
              value: {if: [off, x]}
              items: [a, {if: [off, b]}, c]
        """);
    assertThat(resource(s, "v").properties().resolve(LIVE)).isEqualTo(json("{\"items\": [\"a\", \"c\"]}"));
    refused(() -> Fixtures.parse("""
        heat_template_version: 2018-08-31
        resources:
          v: {type: OS::Heat::TestResource, properties: {value: {if: [true, x]}}}
        """), "StackValidationFailed", "resources.v.properties.value.if: Arguments to \"if\" must be of the"
        + " form: [condition_name, value_if_true, value_if_false]");
  }

  @Test
  void unknownCircularAndInvalidConditionsAreRefused() {
    refused(() -> Fixtures.parse("""
        heat_template_version: 2016-10-14
        resources:
          a: {type: OS::Heat::None, condition: nope}
        """), "StackValidationFailed", "resources.a.condition: Invalid condition \"nope\"");
    refused(() -> bind("""
        heat_template_version: 2016-10-14
        conditions:
          a: {not: b}
          b: {not: a}
        """), "StackValidationFailed", "Condition validation error: Circular definition for condition \"a\"");
    refused(() -> Fixtures.parse("""
        heat_template_version: 2016-10-14
        conditions:
          a: some string
        """), "StackValidationFailed", "Condition validation error: The definition of condition \"a\" is invalid: some string");
    refused(() -> Fixtures.parse("""
        heat_template_version: 2016-10-14
        conditions:
          a: {get_attr: [x, y]}
        """), "StackValidationFailed", "conditions.a.get_attr: The function \"get_attr\" is invalid in this context");
    refused(() -> Fixtures.parse("""
        heat_template_version: 2016-10-14
        conditions:
          a: {and: [true]}
        """), "StackValidationFailed", "conditions.a.and: The minimum number of condition arguments to \"and\" is 2.");
  }

  @Test
  void containsIsAConditionFunctionFrom20170901() {
    BoundStack s = bind("""
        heat_template_version: 2017-09-01
        parameters:
          zones: {type: comma_delimited_list, default: "a,b"}
        conditions:
          has_b: {contains: [b, {get_param: zones}]}
        resources:
          x: {type: OS::Heat::None, condition: has_b}
        """);
    assertThat(s.resources()).hasSize(1);
  }

  @Test
  void conditionsAreNotASectionBefore20161014() {
    refused(() -> Fixtures.parse("""
        heat_template_version: 2016-04-08
        conditions: {}
        """), "InvalidTemplateSection", "The template section is invalid: conditions");
  }
}
