package dev.kiln.orchestration.template.fn;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The condition operators {@code not}, {@code and}, {@code or} (and CFN's {@code Fn::Not}, whose
 * argument is a one-item list). Each operand is a condition name, a boolean or a condition
 * function.
 */
public final class Logic implements Function {
  public enum Op {
    NOT,
    CFN_NOT,
    AND,
    OR
  }

  public static final Logic NOT = new Logic(Op.NOT);
  public static final Logic CFN_NOT = new Logic(Op.CFN_NOT);
  public static final Logic AND = new Logic(Op.AND);
  public static final Logic OR = new Logic(Op.OR);

  private final Op op;

  private Logic(Op op) {
    this.op = op;
  }

  @Override
  public String description() {
    return switch (op) {
      case NOT, CFN_NOT -> "The negation of a condition.";
      case AND -> "Whether all of two or more conditions hold.";
      case OR -> "Whether any of two or more conditions holds.";
    };
  }

  @Override
  public void check(String name, Node args) {
    int size = switch (args) {
      case Node.ListNode l -> l.items().size();
      case Node.Literal l -> l.value().isArray() ? l.value().size() : (l.value().isNull() ? -2 : -1);
      default -> -3;
    };
    switch (op) {
      case NOT -> {
        if (size == -2) {
          throw TemplateError.invalid("Argument to \"" + name + "\" must be a condition");
        }
      }
      case CFN_NOT -> {
        if (size != 1 && size != -3) {
          throw TemplateError.invalid("Arguments to \"" + name + "\" must be of the form: [condition]");
        }
      }
      case AND, OR -> {
        if (size == -1 || size == -2) {
          throw TemplateError.invalid("Arguments to \"" + name + "\" must be a list of conditions");
        }
        if (size >= 0 && size < 2) {
          throw TemplateError.invalid(
              "The minimum number of condition arguments to \"" + name + "\" is 2.");
        }
      }
    }
  }

  @Override
  public JsonNode apply(String name, JsonNode args, Scope scope) {
    return Values.JSON.booleanNode(
        switch (op) {
          case NOT -> !Conditions.holds(args, scope);
          case CFN_NOT -> {
            if (!args.isArray() || args.size() != 1) {
              throw TemplateError.invalid("Arguments to \"" + name + "\" must be of the form: [condition]");
            }
            yield !Conditions.holds(args.get(0), scope);
          }
          case AND, OR -> {
            if (!args.isArray()) {
              throw TemplateError.invalid("Arguments to \"" + name + "\" must be a list of conditions");
            }
            if (args.size() < 2) {
              throw TemplateError.invalid(
                  "The minimum number of condition arguments to \"" + name + "\" is 2.");
            }
            boolean any = false;
            boolean all = true;
            for (JsonNode c : args) {
              boolean v = Conditions.holds(c, scope);
              any |= v;
              all &= v;
            }
            yield op == Op.AND ? all : any;
          }
        });
  }
}
