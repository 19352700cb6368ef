package dev.kiln.orchestration.template.fn;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Predicate;

/**
 * One template function. Implementations are stateless singletons; the arguments come with each
 * call. They throw {@link TemplateError} with Heat's message (without the path: the evaluator adds
 * it).
 */
public interface Function {
  /** What the function does, as {@code GET /template_versions/{v}/functions} shows it. */
  String description();

  /**
   * Checks the arguments as written, before anything is resolved (Heat does this when it parses
   * the template). Arguments that are themselves function calls are not checked here.
   */
  default void check(String name, Node args) {}

  /** The result, from the evaluated arguments. */
  JsonNode apply(String name, JsonNode args, Scope scope);

  /**
   * The resource this call refers to (get_resource, get_attr, Ref, Fn::GetAtt), when its name is
   * known from the arguments as they stand; null otherwise.
   *
   * @param isParameter whether a name is a parameter (CFN's Ref refers to either)
   */
  default String resourceReference(Node args, Predicate<String> isParameter) {
    return null;
  }
}
