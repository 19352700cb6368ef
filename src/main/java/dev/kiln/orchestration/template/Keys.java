package dev.kiln.orchestration.template;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The section and key names of one template format (HOT's lower-case or CFN's capitalised). */
record Keys(
    String parameters,
    String resources,
    String outputs,
    String conditions,
    String description,
    String type,
    String properties,
    String metadata,
    String dependsOn,
    String deletionPolicy,
    String updatePolicy,
    String resourceDescription,
    String externalId,
    String condition,
    String value,
    String outputDescription,
    Set<String> sections,
    Set<String> resourceKeys,
    Set<String> outputKeys) {

  static Keys of(TemplateFormat f) {
    boolean conds = f.hasConditions();
    if (f.isHot()) {
      Set<String> sections = new LinkedHashSet<>(List.of("heat_template_version", "description",
          "parameter_groups", "parameters", "resources", "outputs"));
      Set<String> rkeys = new LinkedHashSet<>(List.of("type", "properties", "metadata", "depends_on",
          "deletion_policy", "update_policy", "description"));
      Set<String> okeys = new LinkedHashSet<>(List.of("description", "value"));
      if (conds) {
        sections.add("conditions");
        rkeys.add("external_id");
        rkeys.add("condition");
        okeys.add("condition");
      }
      return new Keys("parameters", "resources", "outputs", "conditions", "description", "type",
          "properties", "metadata", "depends_on", "deletion_policy", "update_policy", "description",
          "external_id", "condition", "value", "description", sections, rkeys, okeys);
    }
    Set<String> sections = new LinkedHashSet<>(List.of("AWSTemplateFormatVersion",
        "HeatTemplateFormatVersion", "Description", "Mappings", "Parameters", "Resources", "Outputs"));
    Set<String> rkeys = new LinkedHashSet<>(List.of("Type", "Properties", "Metadata", "DependsOn",
        "DeletionPolicy", "UpdatePolicy", "Description"));
    Set<String> okeys = new LinkedHashSet<>(List.of("Description", "Value"));
    if (conds) {
      sections.add("Conditions");
      rkeys.add("Condition");
      okeys.add("Condition");
    }
    return new Keys("Parameters", "Resources", "Outputs", "Conditions", "Description", "Type",
        "Properties", "Metadata", "DependsOn", "DeletionPolicy", "UpdatePolicy", "Description",
        null, "Condition", "Value", "Description", sections, rkeys, okeys);
  }
}
