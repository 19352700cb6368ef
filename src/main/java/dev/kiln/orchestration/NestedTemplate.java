package dev.kiln.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.orchestration.template.ParsedStack;
import java.util.List;
import java.util.Map;

/**
 * The template a resource would run as its nested stack, as template validate's {@code
 * show_nested} shows it: a provider template's, an OS::Heat::Stack's, a resource group's (one
 * member, as Heat validates it).
 *
 * @param resourceName the resource of the enclosing template
 * @param type the resource's type as written
 * @param template the nested template, parsed
 * @param values the parameter values the resource would give it (its properties), as far as they
 *     are known before anything exists
 * @param nested the nested templates of its own resources
 */
public record NestedTemplate(
    String resourceName, String type, ParsedStack template, Map<String, JsonNode> values, List<NestedTemplate> nested) {

  public NestedTemplate {
    values = Map.copyOf(values);
    nested = List.copyOf(nested);
  }
}
