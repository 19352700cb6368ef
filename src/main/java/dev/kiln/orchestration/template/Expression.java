package dev.kiln.orchestration.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * A template snippet whose functions are parsed but not yet evaluated: a resource's properties,
 * metadata or update policy, or an output's value. Immutable and thread-safe.
 */
public interface Expression {
  /**
   * Evaluates every function against live resources. Functions that need nothing live (get_param,
   * str_replace of literals, …) were checked when the template was bound.
   *
   * @throws dev.kiln.common.ServiceException INVALID when a function fails on live values (an
   *     attribute a resource does not have, a list index out of range), with Heat's message
   */
  JsonNode resolve(Resolver resolver);

  /** The names of the resources this snippet refers to (get_resource, get_attr, Ref, GetAtt). */
  Set<String> referencedResources();

  /** The snippet as written in the template, for events, previews and update comparison. */
  JsonNode raw();

  /**
   * For a resource's properties: what is known of them now (after parameters were bound), for
   * checks before anything runs. A snippet that is not a map of properties knows nothing.
   */
  default KnownProperties known() {
    return new KnownProperties(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(), Set.of());
  }
}
