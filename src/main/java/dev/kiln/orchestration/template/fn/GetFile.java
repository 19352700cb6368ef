package dev.kiln.orchestration.template.fn;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code get_file: name}: a file sent with the request, inline, as a string. */
public final class GetFile implements Function {
  public static final GetFile INSTANCE = new GetFile();

  /**
   * Heat's own wording, kept because heat-tempest-plugin's API test ("list template functions")
   * checks this exact description; the other functions are described in Kiln's words.
   */
  @Override
  public String description() {
    return "A function for including a file inline.";
  }

  @Override
  public JsonNode apply(String name, JsonNode args, Scope scope) {
    if (!args.isTextual()) {
      throw TemplateError.invalid("Argument to \"" + name + "\" must be a string");
    }
    String content = scope.file(args.textValue());
    if (content == null) {
      throw TemplateError.invalid(
          "No content found in the \"files\" section for " + name + " path: " + args.textValue());
    }
    return Values.text(content);
  }
}
