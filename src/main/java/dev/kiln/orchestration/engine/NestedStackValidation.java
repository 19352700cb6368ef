package dev.kiln.orchestration.engine;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.common.ServiceException;
import dev.kiln.orchestration.resources.StackResourceType;
import dev.kiln.orchestration.template.BoundStack;
import dev.kiln.orchestration.template.ResolvedType;
import dev.kiln.orchestration.template.ResourceDefinition;
import dev.kiln.orchestration.template.TemplateSource;
import java.util.List;

/**
 * Heat's remote stack validation: before a stack with an {@code OS::Heat::Stack} is created or
 * updated, the nested template is validated by the orchestration endpoint of the stack's region
 * (with the parent's files), and a template that endpoint refuses refuses the whole request (400),
 * in Heat's words, quoting the endpoint's error as heatclient prints it. Kiln is that endpoint, so
 * the nested template is parsed here as a create of it would parse it.
 */
final class NestedStackValidation {
  private final Engine engine;

  NestedStackValidation(Engine engine) {
    this.engine = requireNonNull(engine, "engine is null");
  }

  /**
   * @throws ServiceException INVALID (StackValidationFailed) when an OS::Heat::Stack's template,
   *     as far as it is known before anything is made, is not a valid template
   */
  void check(BoundStack bound, TemplateSource parent) {
    for (ResourceDefinition definition : bound.resources()) {
      if (!(definition.implementation() instanceof ResolvedType.Builtin b && b.type().equals(StackResourceType.TYPE))) {
        continue;
      }
      JsonNode template = definition.properties().known().value("template");
      if (template == null || !template.isTextual()) {
        continue; // known only once something is made: checked when the child is made
      }
      JsonNode context = definition.properties().known().value("context");
      JsonNode region = context == null ? null : context.get("region_name");
      String regionName =
          region != null && region.isTextual() ? region.textValue() : dev.kiln.identity.ServiceCatalog.REGION;
      try {
        engine.templates().parse(
            new TemplateSource(null, template.textValue(), parent.files(), null, List.of()), engine.types());
      } catch (ServiceException refused) {
        throw ServiceException.invalid(
            "StackValidationFailed",
            "Failed validating stack template using Heat endpoint at region \"" + regionName + "\" due to \"ERROR: "
                + refused.getMessage() + "\"");
      }
    }
  }
}
