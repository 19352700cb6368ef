package dev.kiln.orchestration.template;

import dev.kiln.common.ServiceException;

import dev.kiln.orchestration.template.fn.Call;
import dev.kiln.orchestration.template.fn.CfnGetAtt;
import dev.kiln.orchestration.template.fn.Evaluator;
import dev.kiln.orchestration.template.fn.GetAttr;
import dev.kiln.orchestration.template.fn.GetParam;
import dev.kiln.orchestration.template.fn.Node;
import dev.kiln.orchestration.template.fn.Ref;
import dev.kiln.orchestration.template.fn.TemplateError;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What can be checked before parameters are bound: references to resources and parameters that do
 * not exist, attributes a resource type does not have, property names a type does not have or
 * requires, and dependency cycles among resources that have no condition.
 */
final class StaticChecks {
  private StaticChecks() {}

  static void check(
      List<ResourceSpec> resources,
      List<OutputSpec> outputs,
      Set<String> parameterNames,
      boolean cfn) {
    Map<String, ResourceSpec> byName = new LinkedHashMap<>();
    resources.forEach(r -> byName.put(r.name(), r));
    Predicate<String> isParameter = parameterNames::contains;
    Map<String, Set<String>> graph = new LinkedHashMap<>();
    boolean anyConditional = false;
    for (ResourceSpec r : resources) {
      Set<String> needs = new LinkedHashSet<>();
      for (String d : r.dependsOn()) {
        if (!byName.containsKey(d)) {
          throw reference(d, r.name());
        }
        needs.add(d);
      }
      for (Node n : List.of(r.properties(), r.metadata())) {
        Set<String> refs = new LinkedHashSet<>();
        Evaluator.references(n, isParameter, refs);
        for (String ref : refs) {
          if (!byName.containsKey(ref)) {
            throw reference(ref, r.name());
          }
        }
        needs.addAll(refs);
        try {
          checkCalls(n, byName, parameterNames, true);
        } catch (ServiceException missing) {
          throw n == r.properties() ? asPropertyError(missing, cfn) : missing;
        }
      }
      checkCalls(r.updatePolicy(), byName, parameterNames, true);
      PropertyChecker.checkNames(r.name(), r.schema(), r.properties(), cfn);
      anyConditional |= r.condition() != null;
      graph.put(r.name(), needs);
    }
    for (OutputSpec o : outputs) {
      Set<String> refs = new LinkedHashSet<>();
      Evaluator.references(o.value(), isParameter, refs);
      for (String ref : refs) {
        if (!byName.containsKey(ref)) {
          throw reference(ref, o.path());
        }
      }
      // Heat reports an output's missing parameter when the output is shown, not before.
      checkCalls(o.value(), byName, parameterNames, false);
    }
    if (!anyConditional) {
      Dependencies.checkAcyclic(graph);
    }
  }

  static dev.kiln.common.ServiceException reference(String resource, String key) {
    return Errors.invalid("InvalidTemplateReference",
        "The specified reference \"" + resource + "\" (in " + key + ") is incorrect.");
  }

  private static final java.util.regex.Pattern PARAMETER_IN_PROPERTY =
      java.util.regex.Pattern.compile("((?:resources|Resources)\\.[^:]*?\\.(?:properties|Properties)\\.[^.:]+)[^:]*: "
          + "(The Parameter \\(.*\\) was not provided\\.)");

  /**
   * A missing parameter in a resource's properties, in the words Heat's property validation uses
   * (it finds it resolving each top-level property): {@code Property error: : <path to the
   * property>: : The Parameter (x) was not provided.}
   */
  private static ServiceException asPropertyError(ServiceException missing, boolean cfn) {
    java.util.regex.Matcher m = PARAMETER_IN_PROPERTY.matcher(String.valueOf(missing.getMessage()));
    if (!m.matches()) {
      return missing;
    }
    return Errors.invalid("StackValidationFailed", "Property error: : " + m.group(1) + ": : " + m.group(2));
  }

  private static void checkCalls(
      Node node, Map<String, ResourceSpec> byName, Set<String> parameterNames, boolean params) {
    Evaluator.forEachCall(node, call -> {
      if (call.function() instanceof GetParam && params) {
        String p = GetParam.parameterName(call.args());
        if (p != null && !parameterNames.contains(p)) {
          throw Errors.at(call.path(), new TemplateError("UserParameterMissing",
              "The Parameter (" + p + ") was not provided.", false));
        }
      } else if (call.function() == Ref.PARAMETERS_ONLY) {
        if (call.args() instanceof Node.Literal l && l.value().isTextual()
            && !parameterNames.contains(l.value().textValue())) {
          throw reference(l.value().textValue(), "unknown");
        }
      } else if (call.function() instanceof GetAttr || call.function() instanceof CfnGetAtt) {
        checkAttribute(call, byName);
      }
    });
  }

  /** Types whose attributes include every output their config declares (software deployments). */
  private static final java.util.Set<String> OUTPUT_ATTRIBUTES =
      java.util.Set.of("OS::Heat::SoftwareDeployment", "OS::Heat::StructuredDeployment");

  /**
   * Groups, whose any other attribute name is the list of that attribute of each member (Heat's
   * ResourceGroup overrides get_attribute, so its get_attr is not checked against the schema).
   */
  private static final java.util.Set<String> MEMBER_ATTRIBUTES =
      java.util.Set.of(
          "OS::Heat::ResourceGroup", "OS::Heat::SoftwareDeploymentGroup", "OS::Heat::StructuredDeploymentGroup",
          "OS::Heat::SoftwareDeployments", "OS::Heat::StructuredDeployments");

  private static void checkAttribute(Call call, Map<String, ResourceSpec> byName) {
    String resource = call.function().resourceReference(call.args(), n -> false);
    String attribute = GetAttr.attributeName(call.args());
    if (resource == null || attribute == null || !byName.containsKey(resource)) {
      return;
    }
    ResourceSchema schema = byName.get(resource).schema();
    if (schema == null || attribute.equals("show") || attribute.startsWith("resource.")
        || attribute.equals("OS::stack_id")
        || schema.attributes().containsKey(attribute)
        || OUTPUT_ATTRIBUTES.contains(schema.type())
        || MEMBER_ATTRIBUTES.contains(schema.type())) {
      return;
    }
    throw Errors.at(call.path(), new TemplateError("InvalidTemplateAttribute",
        "The Referenced Attribute (" + resource + " " + attribute + ") is incorrect.", false));
  }
}
