package dev.kiln.orchestration.template;

import dev.kiln.orchestration.template.schema.ResourceSchema;
import java.util.Optional;

/** The resource types the engine implements, as the template layer needs to check templates. */
public interface ResourceTypeCatalog {
  /** The schema of a built-in type, or empty when Kiln has no such type. */
  Optional<ResourceSchema> schema(String type);
}
