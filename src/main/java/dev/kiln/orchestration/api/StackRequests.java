package dev.kiln.orchestration.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.ApiError;
import dev.kiln.orchestration.StackRequest;
import dev.kiln.orchestration.StackUpdate;
import dev.kiln.orchestration.template.TemplateSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the body of a stack create, preview or template validate the way Heat's API does: the
 * template inline (a JSON object, or YAML/JSON text), its files, the environment and environment
 * files, the parameters, and the create options. Like Heat, it ignores keys it does not know; it
 * refuses, with Heat's words, the ones Kiln does not serve (template URLs, adopt, Swift containers).
 */
final class StackRequests {
  private StackRequests() {}

  static ObjectNode object(JsonNode body) {
    if (!(body instanceof ObjectNode object)) {
      throw ApiError.badRequest("The request body must be a JSON object.");
    }
    return object;
  }

  /** The body of {@code POST /stacks} and {@code POST /stacks/preview}. */
  static StackRequest stack(JsonNode body) {
    ObjectNode in = object(body);
    JsonNode name = in.get("stack_name");
    if (name == null) {
      throw ApiError.badRequest("No stack name specified");
    }
    if (!name.isTextual()) {
      throw ApiError.badRequest("Invalid stack name " + name + ": a stack name is a string.");
    }
    if (in.hasNonNull("adopt_stack_data")) {
      throw notSupported("Stack Adopt");
    }
    if (in.has("converge")) {
      throw ApiError.badRequest(
          "converge flag only supported in stack update (or update preview) request.");
    }
    return new StackRequest(
        name.textValue(),
        template(in),
        parameters(in),
        timeout(in.get("timeout_mins")),
        disableRollback(in.get("disable_rollback")),
        tags(in.get("tags")));
  }

  /**
   * The body of a stack update: {@code PUT} ({@code existing} false) needs a template; {@code PATCH}
   * may leave it out, to keep the stack's, and may name {@code clear_parameters}.
   */
  static StackUpdate update(JsonNode body, boolean existing) {
    ObjectNode in = object(body);
    if (in.hasNonNull("adopt_stack_data")) {
      throw notSupported("Stack Adopt");
    }
    TemplateSource template = null;
    if (!existing || in.hasNonNull("template") || in.hasNonNull("template_url")) {
      template = template(in);
    } else if (in.hasNonNull("files") || in.hasNonNull("environment") || in.hasNonNull("environment_files")) {
      // A PATCH with new files or environment but the stack's template: an empty object stands in.
      List<String> environmentFiles = environmentFiles(in.get("environment_files"));
      template = new TemplateSource(
          com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(), null, files(in.get("files")),
          environmentFiles.isEmpty() ? environment(in.get("environment")) : null, environmentFiles);
    }
    return new StackUpdate(
        template,
        parameters(in),
        existing,
        clearParameters(in.get("clear_parameters")),
        timeout(in.get("timeout_mins")),
        in.hasNonNull("disable_rollback") ? disableRollback(in.get("disable_rollback")) : null,
        // A full update (PUT) sets the stack's tags to the request's, none when it gives none, as
        // Heat does; a PATCH keeps them unless it gives new ones.
        in.hasNonNull("tags") ? tags(in.get("tags")) : existing ? null : List.of());
  }

  private static List<String> clearParameters(JsonNode names) {
    if (names == null || names.isNull()) {
      return List.of();
    }
    if (names.isTextual()) {
      return List.of(names.textValue());
    }
    if (!names.isArray()) {
      throw ApiError.badRequest("'clear_parameters' must be a list of parameter names.");
    }
    List<String> out = new ArrayList<>();
    names.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** The template with its files and environment, as create, preview and validate send them. */
  static TemplateSource template(ObjectNode in) {
    if (in.hasNonNull("files_container")) {
      throw notSupported("Kiln has no Object Storage: files_container");
    }
    JsonNode template = in.get("template");
    JsonNode tree = null;
    String text = null;
    if (template != null && template.isObject()) {
      tree = template;
    } else if (template != null && template.isTextual()) {
      text = template.textValue();
    } else if (template != null && !template.isNull()) {
      throw ApiError.badRequest(
          "Template not in valid format: the template must be an object or YAML/JSON text.");
    } else if (in.hasNonNull("template_url")) {
      throw ApiError.badRequest(
          "Could not retrieve template: Kiln does not fetch templates from URLs ("
              + in.get("template_url").asText()
              + "); send the template itself in 'template', as heatclient does for local files.");
    } else {
      throw ApiError.badRequest("No template specified");
    }
    List<String> environmentFiles = environmentFiles(in.get("environment_files"));
    // Heat takes the environment files instead of 'environment' when both come: heatclient sends
    // the files' own merge as 'environment' too, and the server merges the files itself.
    JsonNode environment = environmentFiles.isEmpty() ? environment(in.get("environment")) : null;
    return new TemplateSource(tree, text, files(in.get("files")), environment, environmentFiles);
  }

  /** The request's {@code parameters}: each value as sent, text or JSON. */
  static Map<String, JsonNode> parameters(ObjectNode in) {
    JsonNode parameters = in.get("parameters");
    if (parameters == null || parameters.isNull()) {
      return Map.of();
    }
    if (!parameters.isObject()) {
      throw ApiError.badRequest("Parameters not in valid format: 'parameters' must be an object.");
    }
    Map<String, JsonNode> out = new LinkedHashMap<>();
    parameters.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  private static Map<String, String> files(JsonNode files) {
    if (files == null || files.isNull()) {
      return Map.of();
    }
    if (!files.isObject()) {
      throw ApiError.badRequest("Files not in valid format: 'files' must map file names to their contents.");
    }
    Map<String, String> out = new LinkedHashMap<>();
    files.fields().forEachRemaining(e -> {
      if (!e.getValue().isTextual()) {
        throw ApiError.badRequest(
            "Files not in valid format: the content of file '" + e.getKey() + "' must be text.");
      }
      out.put(e.getKey(), e.getValue().textValue());
    });
    return out;
  }

  private static JsonNode environment(JsonNode environment) {
    if (environment == null || environment.isNull()) {
      return null;
    }
    if (!environment.isObject() && !environment.isTextual()) {
      throw ApiError.badRequest(
          "Environment not in valid format: the environment must be an object or YAML text.");
    }
    return environment;
  }

  private static List<String> environmentFiles(JsonNode names) {
    if (names == null || names.isNull()) {
      return List.of();
    }
    if (!names.isArray()) {
      throw ApiError.badRequest("'environment_files' must be a list of file names.");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode name : names) {
      if (!name.isTextual()) {
        throw ApiError.badRequest("'environment_files' must be a list of file names.");
      }
      out.add(name.textValue());
    }
    return out;
  }

  /** {@code timeout_mins}: a whole number of minutes (text or number); 0 or absent for none. */
  static Integer timeout(JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() && !value.isTextual()) {
      throw ApiError.badRequest("Only integer is acceptable by 'timeout_mins'.");
    }
    int minutes = HeatParams.nonNegativeInt("timeout_mins", value.asText());
    return minutes == 0 ? null : minutes;
  }

  /** {@code disable_rollback}: true or false (or their text); Heat's default is true. */
  static boolean disableRollback(JsonNode value) {
    if (value == null || value.isNull()) {
      return true;
    }
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    return HeatParams.bool("disable_rollback", value.asText());
  }

  /** {@code tags}: comma-separated text, as heatclient sends them, or a list of strings. */
  static List<String> tags(JsonNode value) {
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (value.isTextual()) {
      return value.textValue().isEmpty() ? List.of() : HeatParams.tags(value.textValue());
    }
    if (!value.isArray()) {
      throw ApiError.badRequest("Invalid tags, not a list: " + value);
    }
    List<String> tags = new ArrayList<>();
    for (JsonNode tag : value) {
      if (!tag.isTextual()) {
        throw ApiError.badRequest("Invalid tag, \"" + tag + "\" is not a string");
      }
      HeatParams.checkTag(tag.textValue());
      if (tag.textValue().contains(",")) {
        throw ApiError.badRequest("Invalid tag, \"" + tag.textValue() + "\" contains a comma");
      }
      tags.add(tag.textValue());
    }
    return tags;
  }

  /** Heat's refusal of a feature its configuration (or Kiln) does not offer. */
  static ApiError notSupported(String feature) {
    return ApiError.badRequest("NotSupported", feature + " is not supported.");
  }
}
