package dev.kiln.orchestration.template.fn;

import com.fasterxml.jackson.databind.JsonNode;

/** Python's type names for JSON values, as Heat's messages show them. */
public final class PyTypes {
  private PyTypes() {}

  public static String name(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return "NoneType";
    }
    if (n.isTextual()) {
      return "str";
    }
    if (n.isBoolean()) {
      return "bool";
    }
    if (n.isIntegralNumber()) {
      return "int";
    }
    if (n.isNumber()) {
      return "float";
    }
    return n.isArray() ? "list" : "dict";
  }

  public static String typeRepr(JsonNode n) {
    return "<class '" + name(n) + "'>";
  }
}
