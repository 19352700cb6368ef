package dev.kiln.orchestration.template;

import dev.kiln.orchestration.template.fn.Function;
import java.util.List;
import java.util.Map;

/**
 * One template version Heat accepts: its functions (in Heat's order, removed ones included so
 * that using them is refused by name), its condition functions, and the features that differ
 * between versions.
 *
 * @param key {@code heat_template_version}, {@code AWSTemplateFormatVersion} or {@code
 *     HeatTemplateFormatVersion}
 * @param date the canonical version, e.g. {@code 2018-08-31}
 * @param aliases release names, e.g. {@code rocky}
 */
record TemplateFormat(
    String key,
    String date,
    List<String> aliases,
    Map<String, Function> functions,
    Map<String, Function> conditionFunctions) {

  static final String HOT = "heat_template_version";
  static final String CFN = "AWSTemplateFormatVersion";
  static final String HEAT_CFN = "HeatTemplateFormatVersion";

  boolean isHot() {
    return key.equals(HOT);
  }

  /** Whether this HOT version is {@code version} or later (false for CFN). */
  boolean atLeast(String version) {
    return isHot() && date.compareTo(version) >= 0;
  }

  /** {@code conditions} section, {@code condition} on resources and outputs. */
  boolean hasConditions() {
    return atLeast("2016-10-14") || key.equals(CFN);
  }

  /** {@code delete}/{@code retain}/{@code snapshot} as well as the capitalised policies. */
  boolean lowerCaseDeletionPolicies() {
    return atLeast("2016-10-14");
  }

  boolean hasExternalId() {
    return atLeast("2016-10-14");
  }

  boolean hasModuloConstraint() {
    return atLeast("2017-02-24");
  }

  boolean hasParameterTags() {
    return atLeast("2018-03-02");
  }

  /** The name {@code GET /template_versions} lists, e.g. {@code heat_template_version.2018-08-31}. */
  String fullName() {
    return key + "." + date;
  }
}
