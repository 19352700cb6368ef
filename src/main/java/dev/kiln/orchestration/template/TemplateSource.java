package dev.kiln.orchestration.template;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A template as a client sends it: the template itself (already-parsed JSON, as heatclient sends
 * it, or text in YAML or JSON), the files it may reference (get_file, provider templates,
 * environment files), the request's own environment, and the environment files to merge, in order,
 * before it.
 *
 * @param template the template as a JSON tree, or null when {@code templateText} is given
 * @param templateText the template as YAML or JSON text, or null when {@code template} is given
 * @param files file name (as the template or environment spells it) to content
 * @param environment the request's {@code environment} object, or null
 * @param environmentFiles names in {@code files} of environments merged before {@code environment}
 */
public record TemplateSource(
    JsonNode template,
    String templateText,
    Map<String, String> files,
    JsonNode environment,
    List<String> environmentFiles) {

  public TemplateSource {
    if ((template == null) == (templateText == null)) {
      throw new IllegalArgumentException("exactly one of template and templateText is needed");
    }
    files = Map.copyOf(requireNonNull(files, "files is null"));
    environmentFiles = List.copyOf(requireNonNull(environmentFiles, "environmentFiles is null"));
  }

  public static TemplateSource ofText(String text) {
    return new TemplateSource(null, text, Map.of(), null, List.of());
  }
}
