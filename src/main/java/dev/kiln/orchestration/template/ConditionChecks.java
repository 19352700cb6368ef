package dev.kiln.orchestration.template;

import dev.kiln.orchestration.template.fn.Node;
import dev.kiln.orchestration.template.fn.Values;
import java.util.List;
import java.util.Map;

/**
 * Condition definitions checked before binding (Heat's {@code Conditions.validate}): each is a
 * boolean or a condition function, and each resource's {@code condition} that names one names one
 * that exists.
 */
final class ConditionChecks {
  private ConditionChecks() {}

  static void check(Map<String, Node> conditions, List<ResourceSpec> resources, boolean cfn) {
    conditions.forEach((name, def) -> {
      if (def instanceof Node.Literal l && !l.value().isBoolean()) {
        throw Errors.validation("Condition validation error", null,
            "The definition of condition \"" + name + "\" is invalid: " + Values.str(l.value()));
      }
    });
    for (ResourceSpec r : resources) {
      if (r.condition() instanceof Node.Literal l && l.value().isTextual()
          && !conditions.containsKey(l.value().textValue())) {
        String path = (cfn ? "Resources." : "resources.") + r.name() + (cfn ? ".Condition" : ".condition");
        throw Errors.validation(null, path, "Invalid condition \"" + l.value().textValue() + "\"");
      }
    }
  }
}
