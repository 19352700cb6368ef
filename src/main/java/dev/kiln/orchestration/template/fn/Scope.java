package dev.kiln.orchestration.template.fn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.orchestration.template.Resolver;

/** What functions may read while they are evaluated: parameters, conditions, files, live state. */
public interface Scope {
  /** Whether the template (or the pseudo parameters) define this parameter. */
  boolean isParameter(String name);

  /**
   * A bound parameter's value in its type ({@code number} as a number, {@code
   * comma_delimited_list} as a list, …).
   *
   * @throws TemplateError UserParameterMissing when there is no such parameter
   */
  JsonNode parameter(String name);

  /**
   * A named condition's value.
   *
   * @throws TemplateError when there is no such condition
   */
  boolean condition(String name);

  /** A file sent with the request, or null. */
  String file(String name);

  /** CFN's Mappings section, or an empty object. */
  JsonNode mappings();

  /** Whether the template defines this resource (whatever its condition). */
  boolean hasResource(String name);

  /**
   * In a stack that implements a resource of another stack, that resource's {@code {"metadata",
   * "deletion_policy", "update_policy"}}; null elsewhere.
   */
  default JsonNode facade() {
    return null;
  }

  /**
   * The live stack, or null while the template is bound (functions that need it then throw {@link
   * NeedsLive}).
   */
  Resolver resolver();

  /** The resolver, or {@link NeedsLive} when there is none yet. */
  default Resolver live() {
    Resolver r = resolver();
    if (r == null) {
      throw NeedsLive.INSTANCE;
    }
    return r;
  }
}
