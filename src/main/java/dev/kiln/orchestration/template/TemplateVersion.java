package dev.kiln.orchestration.template;

import java.util.List;

/**
 * One template version as {@code GET /template_versions} lists it.
 *
 * @param version e.g. {@code heat_template_version.2018-08-31}
 * @param type {@code hot} or {@code cfn}
 * @param aliases e.g. {@code heat_template_version.rocky}
 */
public record TemplateVersion(String version, String type, List<String> aliases) {
  public TemplateVersion {
    aliases = List.copyOf(aliases);
  }
}
