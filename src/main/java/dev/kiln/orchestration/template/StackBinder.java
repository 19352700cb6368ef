package dev.kiln.orchestration.template;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.orchestration.template.ResourceDefinition.DeletionPolicy;
import dev.kiln.orchestration.template.fn.Evaluator;
import dev.kiln.orchestration.template.fn.Node;
import dev.kiln.orchestration.template.fn.TemplateError;
import dev.kiln.orchestration.template.fn.Values;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binds a parsed template: parameter values, conditions, then each enabled resource's snippets
 * folded as far as they go without live resources (so that errors in them are found now), its
 * dependencies, and its literal properties checked against its type.
 */
final class StackBinder {
  private final ParsedTemplate t;
  private final ConstraintChecker checker;
  private final JsonNode facade;

  StackBinder(ParsedTemplate t, ConstraintChecker checker, JsonNode facade) {
    this.t = t;
    this.checker = checker;
    this.facade = facade;
  }

  BoundStack bind(Map<String, JsonNode> userParameters, PseudoParameters pseudo, boolean validateValues) {
    boolean cfn = !t.format.isHot();
    Map<String, JsonNode> given = new LinkedHashMap<>(t.environment.parameters());
    userParameters.forEach((k, v) -> {
      if (v != null && !v.isNull()) {
        given.put(k, v);
      }
    });
    Map<String, JsonNode> values = new LinkedHashMap<>(ParameterBinding.bind(
        cfn, t.parameters, given, t.environment.parameterDefaults(), checker, validateValues));
    if (cfn) {
      values.put("AWS::StackId", Values.text("arn:openstack:heat::" + pseudo.projectId() + ":stacks/"
          + pseudo.stackName() + "/" + pseudo.stackId()));
      values.put("AWS::StackName", Values.text(pseudo.stackName()));
      values.put("AWS::Region", Values.text("ap-southeast-1"));
    } else {
      values.put("OS::stack_name", Values.text(pseudo.stackName()));
      values.put("OS::stack_id", Values.text(pseudo.stackId()));
      values.put("OS::project_id", Values.text(pseudo.projectId()));
    }
    Set<String> allNames = new LinkedHashSet<>();
    t.resources.forEach(r -> allNames.add(r.name()));
    BindScope scope = new BindScope(values, t.conditions, t.files, t.mappings, allNames, facade);
    try {
      return bind(scope, values, allNames, cfn);
    } catch (TemplateError e) {
      throw Errors.of(e);
    }
  }

  private BoundStack bind(BindScope scope, Map<String, JsonNode> values, Set<String> allNames, boolean cfn) {
    for (String name : t.conditions.keySet()) {
      scope.condition(name); // every definition is checked, used or not, as Heat validates them
    }
    List<ResourceSpec> enabled = new ArrayList<>();
    for (ResourceSpec r : t.resources) {
      if (r.condition() == null || enabledBy(r.condition(), scope, r.name(), cfn)) {
        enabled.add(r);
      }
    }
    Set<String> enabledNames = new HashSet<>();
    enabled.forEach(r -> enabledNames.add(r.name()));
    List<ResourceDefinition> out = new ArrayList<>(enabled.size());
    Map<String, Set<String>> graph = new LinkedHashMap<>();
    for (ResourceSpec r : enabled) {
      BoundExpression properties = fold(r.properties(), scope);
      BoundExpression metadata = fold(r.metadata(), scope);
      BoundExpression updatePolicy = fold(r.updatePolicy(), scope);
      Set<String> needs = new LinkedHashSet<>();
      for (String d : r.dependsOn()) {
        if (enabledNames.contains(d)) {
          needs.add(d);
        }
      }
      for (String d : r.implicitDependsOn()) {
        if (enabledNames.contains(d) && r.externalId() == null) {
          needs.add(d);
        }
      }
      for (BoundExpression e : List.of(properties, metadata)) {
        for (String ref : e.referencedResources()) {
          if (enabledNames.contains(ref)) {
            needs.add(ref);
          } else if (!allNames.contains(ref)) {
            throw StaticChecks.reference(ref, r.name());
          }
        }
      }
      if (r.externalId() != null && !r.dependsOn().isEmpty()) {
        throw Errors.invalid("InvalidExternalResourceDependency", "Invalid dependency with external "
            + r.type() + " resource: " + externalId(r, scope));
      }
      checkLiteralProperties(r, properties, cfn);
      graph.put(r.name(), needs);
      out.add(new ResourceDefinition(r.name(), r.type(), r.implementation(), properties, metadata,
          needs, deletionPolicy(r, scope), updatePolicy, externalId(r, scope), r.hooks(),
          r.description()));
    }
    Dependencies.checkAcyclic(graph);
    List<OutputDefinition> outputs = new ArrayList<>();
    for (OutputSpec o : t.outputs) {
      if (o.condition() != null && !enabledBy(o.condition(), scope, null, cfn)) {
        continue;
      }
      outputs.add(new OutputDefinition(o.name(), o.description(), foldOutput(o.value(), scope)));
    }
    return new BoundStack(values, out, outputs);
  }

  private boolean enabledBy(Node condition, BindScope scope, String resource, boolean cfn) {
    JsonNode c = Evaluator.eval(condition, scope);
    if (c.isBoolean()) {
      return c.booleanValue();
    }
    if (c.isTextual()) {
      try {
        return scope.condition(c.textValue());
      } catch (TemplateError e) {
        if (e.located() || resource == null) {
          throw e;
        }
        String path = (cfn ? "Resources." : "resources.") + resource + (cfn ? ".Condition" : ".condition");
        throw new TemplateError("StackValidationFailed", path + ": " + e.getMessage(), true);
      }
    }
    throw TemplateError.invalid("Invalid condition \"" + Values.str(c) + "\"");
  }

  private static BoundExpression fold(Node node, BindScope scope) {
    Node folded = Evaluator.fold(node, scope);
    Set<String> refs = new LinkedHashSet<>();
    Evaluator.references(folded, scope::isParameter, refs);
    return new BoundExpression(folded, node.raw(), scope, refs);
  }

  /**
   * An output whose value fails is not a reason to refuse the stack: as in Heat, the failure is
   * reported when the output is shown, so the snippet is kept as written and fails on resolve.
   */
  private static BoundExpression foldOutput(Node node, BindScope scope) {
    try {
      return fold(node, scope);
    } catch (TemplateError e) {
      Set<String> refs = new LinkedHashSet<>();
      Evaluator.references(node, scope::isParameter, refs);
      return new BoundExpression(node, node.raw(), scope, refs);
    }
  }

  private DeletionPolicy deletionPolicy(ResourceSpec r, BindScope scope) {
    if (r.deletionPolicy() == null) {
      return DeletionPolicy.DELETE;
    }
    JsonNode v = Evaluator.eval(r.deletionPolicy(), scope);
    if (v.isNull() || v.isMissingNode()) {
      return DeletionPolicy.DELETE;
    }
    return DeletionPolicies.of(t.format, Values.str(v));
  }

  private static String externalId(ResourceSpec r, BindScope scope) {
    if (r.externalId() == null) {
      return null;
    }
    JsonNode v = Evaluator.eval(r.externalId(), scope);
    return Values.isNull(v) ? null : Values.str(v);
  }

  /** Properties whose value no longer needs anything live are checked against the type now. */
  private void checkLiteralProperties(ResourceSpec r, BoundExpression properties, boolean cfn) {
    if (r.schema() == null) {
      return;
    }
    JsonNode literal = properties.literalValue();
    if (literal != null) {
      PropertyChecker.check(r.name(), r.schema(), literal.isMissingNode() ? null : literal, checker, cfn);
      return;
    }
    if (properties.node() instanceof Node.MapNode m) {
      PropertyChecker.checkNames(r.name(), r.schema(), m, cfn);
      m.entries().forEach((key, value) -> {
        if (value instanceof Node.Literal l) {
          PropertyChecker.checkOne(r.name(), r.schema(), key, l.value(), checker, cfn);
        }
      });
    }
  }
}
