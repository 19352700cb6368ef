package dev.kiln.orchestration.template;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import java.util.List;

/**
 * The template layer's entry point. Thread-safe and stateless; the engine and the API share one.
 */
public interface TemplateLanguage {
  /**
   * Parses and statically validates a template with its environment: the version, sections,
   * functions allowed in that version and their arguments, get_resource/get_attr targets, the
   * dependency graph (cycles refused, named), resource types (through {@code types}, after the
   * environment's resource_registry), and properties that can be checked before anything exists.
   * Templates over 512 KB and YAML alias bombs are refused, never expanded.
   *
   * @throws dev.kiln.common.ServiceException INVALID with Heat's message
   */
  ParsedStack parse(TemplateSource source, ResourceTypeCatalog types);

  /**
   * Checks a resource's resolved properties against its type's schema (required, types, unknown
   * keys, constraints incl. custom ones through {@code checker}) and fills in defaults.
   *
   * @return the properties with defaults, every schema property present (null when unset)
   * @throws dev.kiln.common.ServiceException INVALID with Heat's message ({@code Property error:
   *     resources.port.properties.network: …})
   */
  JsonNode checkProperties(
      String resourceName, ResourceSchema schema, JsonNode resolved, ConstraintChecker checker);

  /** Every template version Kiln accepts, HOT and CFN, with Heat's names and aliases. */
  List<TemplateVersion> versions();

  /**
   * The functions allowed in one version ({@code heat_template_version.2018-08-31}, {@code
   * AWSTemplateFormatVersion.2010-09-09}, or an alias). With {@code conditionFunctionsOnly} (the
   * API's {@code with_condition_func=true}) the version's condition functions are listed too, added
   * to the others, as Heat's engine answers it (despite the parameter's name).
   *
   * @throws dev.kiln.common.ServiceException NOT_FOUND for an unknown version
   */
  List<TemplateFunction> functions(String version, boolean conditionFunctionsOnly);
}
