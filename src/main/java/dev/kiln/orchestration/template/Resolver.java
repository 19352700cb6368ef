package dev.kiln.orchestration.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What an {@link Expression} needs from the engine to evaluate against live resources.
 * Implemented by the engine over the stack's persisted resource rows.
 */
public interface Resolver {
  /**
   * get_resource / Ref: the resource's physical id, or its name when it has none yet (as Heat
   * answers while validating).
   */
  String resourceId(String resourceName);

  /**
   * get_attr / Fn::GetAtt: one attribute of a resource, before any path is applied (the template
   * layer walks {@code [r, attr, key, index]} itself). JSON null when the resource has no value
   * for it yet.
   */
  JsonNode attribute(String resourceName, String attributeName);

  /** get_attr with only a resource name (HOT 2015-10-15 on): every attribute, as an object. */
  JsonNode allAttributes(String resourceName);

  /** Fn::GetAZs: the cloud's availability zones. */
  List<String> availabilityZones();
}
