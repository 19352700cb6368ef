package dev.kiln.orchestration.template.fn;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code if: [condition, value_if_true, value_if_false]} (and CFN's {@code Fn::If}). The condition
 * is a condition name, a boolean, or a condition function. From HOT 2021-04-16 the false value may
 * be left out: the enclosing entry then disappears when the condition is false.
 */
public final class If implements Macro {
  public static final If STRICT = new If(false);
  public static final If NULLABLE = new If(true);

  private final boolean nullable;

  private If(boolean nullable) {
    this.nullable = nullable;
  }

  @Override
  public String description() {
    return nullable
        ? "One of two values depending on a condition; without the second value, the entry is left"
            + " out when the condition is false."
        : "One of two values depending on a condition.";
  }

  private static String usage(String name) {
    return "Arguments to \"" + name
        + "\" must be of the form: [condition_name, value_if_true, value_if_false]";
  }

  @Override
  public void check(String name, Node args) {
    int size = switch (args) {
      case Node.ListNode l -> l.items().size();
      case Node.Literal l -> l.value().isArray() ? l.value().size() : -1;
      default -> -1;
    };
    if (!(size == 3 || (nullable && size == 2))) {
      throw TemplateError.invalid(usage(name));
    }
  }

  @Override
  public Node expand(Call call, Scope scope) {
    Node condition;
    Node whenTrue;
    Node whenFalse;
    switch (call.args()) {
      case Node.ListNode l -> {
        condition = l.items().get(0);
        whenTrue = l.items().get(1);
        whenFalse = l.items().size() > 2 ? l.items().get(2) : new Node.Literal(Values.MISSING);
      }
      case Node.Literal l when l.value().isArray() && l.value().size() >= 2 -> {
        condition = new Node.Literal(l.value().get(0));
        whenTrue = new Node.Literal(l.value().get(1));
        whenFalse = new Node.Literal(l.value().size() > 2 ? l.value().get(2) : Values.MISSING);
      }
      default -> throw TemplateError.invalid(usage(call.name()));
    }
    return Conditions.holds(Evaluator.eval(condition, scope), scope) ? whenTrue : whenFalse;
  }
}
