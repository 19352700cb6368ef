package dev.kiln.orchestration.template;

import static dev.kiln.orchestration.template.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.orchestration.template.ResourceDefinition.DeletionPolicy;
import org.junit.jupiter.api.Test;

class TemplateErrorsTest {

  @Test
  void unknownVersions() {
    refused(() -> Fixtures.parse("heat_template_version: 2019-01-01\n"), "InvalidTemplateVersion",
        "The template version is invalid: \"heat_template_version: 2019-01-01\". \"heat_template_version\""
            + " should be one of: 2013-05-23, 2014-10-16, 2015-04-30, 2015-10-15, 2016-04-08, 2016-10-14,"
            + " 2017-02-24, 2017-09-01, 2018-03-02, 2018-08-31, 2021-04-16, newton, ocata, pike, queens,"
            + " rocky, wallaby");
    refused(() -> HEAT.parse(new TemplateSource(json("{\"resources\": {}}"), null, java.util.Map.of(), null,
        java.util.List.of()), TYPES), "InvalidTemplateVersion", "The template version is invalid: Template version was not provided");
    refused(() -> Fixtures.parse("heat_template_version: 2018-08-31\nAWSTemplateFormatVersion: 2010-09-09\n"),
        "InvalidTemplateVersion",
        "The template version is invalid: Ambiguous versions (heat_template_version, AWSTemplateFormatVersion)");
  }

  @Test
  void aliasesAreAccepted() {
    for (String alias : new String[] {"newton", "ocata", "pike", "queens", "rocky", "wallaby"}) {
      assertThat(Fixtures.parse("heat_template_version: " + alias + "\n").version()).isEqualTo(alias);
    }
  }

  @Test
  void sectionAndKeyErrors() {
    refused(() -> Fixtures.parse("heat_template_version: 2018-08-31\nresource: {}\n"), "InvalidTemplateSection",
        "The template section is invalid: resource");
    refused(() -> Fixtures.parse("heat_template_version: 2018-08-31\nresources:\n  a: {type: OS::Heat::None, propertys: {}}\n"),
        "StackValidationFailed", "\"propertys\" is not a valid keyword inside a resource definition");
    refused(() -> Fixtures.parse("heat_template_version: 2018-08-31\nresources:\n  a: {properties: {}}\n"),
        "StackValidationFailed", "Each resource must contain a type key.");
    refused(() -> Fixtures.parse("heat_template_version: 2018-08-31\nresources:\n  a: OS::Heat::None\n"),
        "StackValidationFailed", "\"resources\" must contain a map of resource maps. Found a [<class 'str'>] instead");
    refused(() -> Fixtures.parse("heat_template_version: 2018-08-31\nresources:\n  a: {type: OS::Heat::None, properties: [1]}\n"),
        "StackValidationFailed", "Resource a properties type must be object");
    refused(() -> Fixtures.parse("heat_template_version: 2018-08-31\nresources:\n  a: {type: OS::Heat::None, depends_on: [1]}\n"),
        "StackValidationFailed", "Resource a depends_on must be a list of strings");
    refused(() -> Fixtures.parse("heat_template_version: 2018-08-31\nresources:\n  a: {type: OS::Heat::None, depends_on: b}\n"),
        "InvalidTemplateReference", "The specified reference \"b\" (in a) is incorrect.");
    refused(() -> Fixtures.parse("heat_template_version: 2015-04-30\nresources:\n  a: {type: OS::Heat::None, condition: x}\n"),
        "StackValidationFailed", "\"condition\" is not a valid keyword inside a resource definition");
  }

  @Test
  void outputErrors() {
    refused(() -> Fixtures.parse("heat_template_version: 2018-08-31\noutputs:\n  o: {description: d}\n"),
        "StackValidationFailed", "Each output must contain a value key.");
    refused(() -> Fixtures.parse("heat_template_version: 2018-08-31\noutputs:\n  o: {value: 1, valu: 2}\n"),
        "StackValidationFailed", "\"valu\" is not a valid keyword inside a output definition");
    refused(() -> Fixtures.parse("heat_template_version: 2018-08-31\noutputs:\n  o: {value: {get_attr: [nope, a]}}\n"),
        "InvalidTemplateReference", "The specified reference \"nope\" (in outputs.o.value) is incorrect.");
  }

  @Test
  void deletionPolicies() {
    BoundStack s = bind("""
        heat_template_version: 2016-10-14
        parameters:
          policy: {type: string, default: Retain}
        resources:
          a: {type: OS::Heat::None, deletion_policy: retain}
          b: {type: OS::Heat::None, deletion_policy: {get_param: policy}}
          c: {type: OS::Heat::None}
        """);
    assertThat(resource(s, "a").deletionPolicy()).isEqualTo(DeletionPolicy.RETAIN);
    assertThat(resource(s, "b").deletionPolicy()).isEqualTo(DeletionPolicy.RETAIN);
    assertThat(resource(s, "c").deletionPolicy()).isEqualTo(DeletionPolicy.DELETE);
    refused(() -> Fixtures.parse("heat_template_version: 2015-10-15\nresources:\n  a: {type: OS::Heat::None, deletion_policy: retain}\n"),
        "StackValidationFailed", "Invalid deletion policy \"retain\"");
  }

  @Test
  void propertyErrorsNameTheProperty() {
    refused(() -> bind("heat_template_version: 2018-08-31\nresources:\n  r: {type: OS::Heat::TestResource, properties: {nope: 1}}\n"),
        "StackValidationFailed", "Property error: resources.r.properties: Unknown Property nope");
    refused(() -> bind("heat_template_version: 2018-08-31\nresources:\n  r: {type: OS::Heat::TestResource, properties: {count: abc}}\n"),
        "StackValidationFailed", "Property error: resources.r.properties.count: Value 'abc' is not an integer");
    refused(() -> bind("heat_template_version: 2018-08-31\nresources:\n  r: {type: OS::Heat::TestResource, properties: {count: 11}}\n"),
        "StackValidationFailed", "Property error: resources.r.properties.count: 11 is out of range (min: 0, max: 10)");
    refused(() -> bind("heat_template_version: 2018-08-31\nresources:\n  r: {type: OS::Heat::TestResource, properties: {fail: maybe}}\n"),
        "StackValidationFailed", "Property error: resources.r.properties.fail: \"maybe\" is not a valid boolean");
    refused(() -> bind("heat_template_version: 2018-08-31\nresources:\n  r: {type: OS::Heat::TestResource, properties: {items: abc}}\n"),
        "StackValidationFailed", "Property error: resources.r.properties.items: \"'abc'\" is not a list");
    refused(() -> bind("heat_template_version: 2018-08-31\nresources:\n  r: {type: OS::Heat::TestResource, properties: {data: [1]}}\n"),
        "StackValidationFailed", "Property error: resources.r.properties.data: \"[1]\" is not a map");
    refused(() -> bind("heat_template_version: 2018-08-31\nresources:\n  r: {type: OS::Heat::TestResource, properties: {value: [1]}}\n"),
        "StackValidationFailed", "Property error: resources.r.properties.value: Value must be a string; got [1]");
    refused(() -> bind("""
        heat_template_version: 2018-08-31
        parameters:
          n: {type: number, default: 20}
        resources:
          r: {type: OS::Heat::TestResource, properties: {count: {get_param: n}}}
        """), "StackValidationFailed", "Property error: resources.r.properties.count: 20 is out of range (min: 0, max: 10)");
  }

  @Test
  void externalResourcesHaveNoDependencies() {
    refused(() -> bind("""
        heat_template_version: 2016-10-14
        resources:
          a: {type: OS::Heat::None}
          b: {type: OS::Heat::None, external_id: abc, depends_on: a}
        """), "InvalidExternalResourceDependency", "Invalid dependency with external OS::Heat::None resource: abc");
    assertThat(resource(bind("""
        heat_template_version: 2016-10-14
        resources:
          b: {type: OS::Heat::None, external_id: abc}
        """), "b").externalId()).isEqualTo("abc");
  }

  @Test
  void cyclesThroughConditionsAreFoundWhenBound() {
    refused(() -> bind("""
        heat_template_version: 2016-10-14
        conditions:
          on: true
        resources:
          a: {type: OS::Heat::TestResource, condition: on, properties: {value: {get_resource: b}}}
          b: {type: OS::Heat::TestResource, properties: {value: {get_attr: [a, output]}}}
        """), "CircularDependencyException", "Circular Dependency Found: {a: {b}, b: {a}}");
  }
}
