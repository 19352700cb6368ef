package dev.kiln.orchestration.template;

import dev.kiln.orchestration.template.ResourceDefinition.DeletionPolicy;

/** Heat's deletion policy names per version (lower-case ones from HOT 2016-10-14). */
final class DeletionPolicies {
  private DeletionPolicies() {}

  static DeletionPolicy of(TemplateFormat format, String name) {
    DeletionPolicy p = switch (name) {
      case "Delete" -> DeletionPolicy.DELETE;
      case "Retain" -> DeletionPolicy.RETAIN;
      case "Snapshot" -> DeletionPolicy.SNAPSHOT;
      case "delete" -> format.lowerCaseDeletionPolicies() ? DeletionPolicy.DELETE : null;
      case "retain" -> format.lowerCaseDeletionPolicies() ? DeletionPolicy.RETAIN : null;
      case "snapshot" -> format.lowerCaseDeletionPolicies() ? DeletionPolicy.SNAPSHOT : null;
      default -> null;
    };
    if (p == null) {
      throw Errors.validation("Invalid deletion policy \"" + name + "\"");
    }
    return p;
  }
}
