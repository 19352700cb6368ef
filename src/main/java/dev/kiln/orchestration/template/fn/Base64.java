package dev.kiln.orchestration.template.fn;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code Fn::Base64: string}: Heat takes user data as plain text, so the string itself. */
public final class Base64 implements Function {
  public static final Base64 INSTANCE = new Base64();

  @Override
  public String description() {
    return "A string as it is (user data is accepted as plain text; no encoding is applied).";
  }

  @Override
  public JsonNode apply(String name, JsonNode args, Scope scope) {
    if (!args.isTextual()) {
      throw TemplateError.invalid("\"" + name + "\" argument must be a string");
    }
    return args;
  }
}
