package dev.kiln.orchestration.resources;

import com.fasterxml.jackson.databind.JsonNode;

/** Checks an {@code OS::Heat::Value}'s value against its declared {@code type}, as Heat's HOT types read. */
final class ValueTypes {
  private ValueTypes() {}

  static void check(String type, JsonNode value) {
    boolean ok =
        switch (type) {
          case "string" -> value.isTextual() || value.isNumber() || value.isBoolean();
          case "number" -> value.isNumber() || (value.isTextual() && isNumber(value.asText()));
          case "comma_delimited_list" -> value.isArray() || value.isTextual();
          case "json" -> value.isObject() || value.isArray();
          case "boolean" ->
              value.isBoolean()
                  || (value.isTextual()
                      && java.util.List.of("true", "false", "yes", "no", "1", "0", "t", "f", "y", "n", "on", "off")
                          .contains(value.asText().toLowerCase(java.util.Locale.ROOT)));
          default -> throw new IllegalArgumentException(
              "\"" + type + "\" is not an allowed value [string, number, comma_delimited_list, json, boolean]");
        };
    if (!ok) {
      throw new IllegalArgumentException("Property error: value: Value '" + value + "' is not a valid " + type);
    }
  }

  private static boolean isNumber(String s) {
    try {
      Double.parseDouble(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
