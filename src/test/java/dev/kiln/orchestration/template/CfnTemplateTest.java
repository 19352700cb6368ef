package dev.kiln.orchestration.template;

import static dev.kiln.orchestration.template.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CfnTemplateTest {

  private static final String TEMPLATE = """
      {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "CFN example",
        "Parameters": {
          "InstanceType": {"Type": "String", "Default": "m1.small",
                           "AllowedValues": ["m1.small", "m1.large"],
                           "ConstraintDescription": "must be a valid instance type"},
          "Count": {"Type": "Number", "Default": "2", "MinValue": "1", "MaxValue": "5"},
          "Env": {"Type": "String", "Default": "prod"}
        },
        "Mappings": {
          "Sizes": {"m1.small": {"Disk": "10"}, "m1.large": {"Disk": "80"}}
        },
        "Conditions": {
          "IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
          "NotProd": {"Fn::Not": ["IsProd"]}
        },
        "Resources": {
          "Name": {"Type": "OS::Heat::RandomString", "Properties": {"length": {"Ref": "Count"}}},
          "Thing": {
            "Type": "OS::Heat::TestResource",
            "DependsOn": "Name",
            "Properties": {
              "value": {"Fn::Join": ["-", [{"Ref": "AWS::StackName"}, {"Ref": "Name"},
                        {"Fn::FindInMap": ["Sizes", {"Ref": "InstanceType"}, "Disk"]}]]},
              "items": {"Fn::Split": [",", "a,b"]},
              "data": {"sel": {"Fn::Select": ["1", ["x", "y"]]},
                       "rep": {"Fn::Replace": [{"%n%": {"Ref": "Count"}}, "n=%n%"]},
                       "b64": {"Fn::Base64": "plain"},
                       "att": {"Fn::GetAtt": ["Name", "value"]},
                       "env": {"Fn::If": ["IsProd", "p", "np"]}}
            }
          },
          "OnlyInProd": {"Type": "OS::Heat::None", "Condition": "IsProd"}
        },
        "Outputs": {
          "Value": {"Value": {"Fn::GetAtt": ["Thing", "output"]}, "Description": "the value"},
          "Zones": {"Value": {"Fn::GetAZs": ""}}
        }
      }
      """;

  @Test
  void cfnTemplatesParseAndBind() {
    ParsedStack p = Fixtures.parse(TEMPLATE);
    assertThat(p.version()).isEqualTo("2010-09-09");
    assertThat(p.parameters()).extracting(ParameterDefinition::type).containsExactly("String", "Number", "String");
    ATTRS.put("Name", json("{\"value\": \"rnd\"}"));
    BoundStack s = p.bind(Map.of(), PSEUDO, ConstraintChecker.NONE);
    assertThat(s.resources()).extracting(ResourceDefinition::name).containsExactly("Name", "Thing", "OnlyInProd");
    assertThat(resource(s, "Thing").dependsOn()).containsExactly("Name");
    assertThat(resource(s, "Thing").properties().resolve(LIVE)).isEqualTo(json("""
        {"value": "mystack-Name-id-10", "items": ["a", "b"],
         "data": {"sel": "y", "rep": "n=2", "b64": "plain", "att": "rnd", "env": "p"}}"""));
    assertThat(value(s, "Zones")).isEqualTo(json("[\"nova\", \"az2\"]"));
    assertThat(s.parameterValues().get("AWS::StackId").textValue())
        .isEqualTo("arn:openstack:heat::project-1:stacks/mystack/stack-id-1");
  }

  @Test
  void cfnConditionsDropResources() {
    BoundStack s = Fixtures.parse(TEMPLATE).bind(Map.of("Env", J.textNode("dev")), PSEUDO, ConstraintChecker.NONE);
    assertThat(s.resources()).extracting(ResourceDefinition::name).doesNotContain("OnlyInProd");
  }

  @Test
  void cfnParameterConstraintsUseTheirDescription() {
    refused(() -> Fixtures.parse(TEMPLATE).bind(Map.of("InstanceType", J.textNode("m1.tiny")), PSEUDO,
            ConstraintChecker.NONE),
        "StackValidationFailed", "Parameter 'InstanceType' is invalid: must be a valid instance type");
  }

  @Test
  void cfnRefToAnUnknownNameIsRefused() {
    refused(() -> Fixtures.parse("""
        {"AWSTemplateFormatVersion": "2010-09-09",
         "Resources": {"A": {"Type": "OS::Heat::TestResource", "Properties": {"value": {"Ref": "Nope"}}}}}
        """), "InvalidTemplateReference", "The specified reference \"Nope\" (in A) is incorrect.");
  }

  @Test
  void cfnResourcesNeedAType() {
    refused(() -> Fixtures.parse("{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {\"A\": {}}}"),
        "StackValidationFailed", "Each Resource must contain a Type key.");
  }
}
