package dev.kiln.orchestration.template;

import java.util.Locale;

/** Heat's parameter types, under their HOT and CFN names. */
enum ParamType {
  STRING("string", "String"),
  NUMBER("number", "Number"),
  LIST("comma_delimited_list", "CommaDelimitedList"),
  JSON("json", "Json"),
  BOOLEAN("boolean", "Boolean");

  final String hot;
  final String cfn;

  ParamType(String hot, String cfn) {
    this.hot = hot;
    this.cfn = cfn;
  }

  static ParamType of(String name, boolean cfnNames) {
    for (ParamType t : values()) {
      if ((cfnNames ? t.cfn : t.hot).equals(name)) {
        return t;
      }
    }
    return null;
  }

  /** Whether a constraint kind applies to this type (Heat's {@code valid_types}). */
  boolean allows(Class<?> constraint) {
    String c = constraint.getSimpleName().toLowerCase(Locale.ROOT);
    return switch (c) {
      case "length" -> this == STRING || this == LIST || this == JSON;
      case "range", "modulo" -> this == NUMBER;
      case "allowedvalues", "custom" -> this != JSON;
      case "allowedpattern" -> this == STRING;
      default -> false;
    };
  }
}
