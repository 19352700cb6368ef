package dev.kiln.network.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.http.JsonInput;
import dev.kiln.network.NetworkSegment;

/**
 * Neutron's {@code provider} extension on networks: the three {@code provider:*} attributes,
 * read from a create request and shown to admins only (policy keeps them from members, whose
 * requests naming them are refused with 403 rather than as unknown fields).
 */
final class NetworkSegmentView {
  static final String TYPE = "provider:network_type";
  static final String PHYSNET = "provider:physical_network";
  static final String SEGMENTATION_ID = "provider:segmentation_id";

  private NetworkSegmentView() {}

  /** The segment a create asks for, or null when it names none of the three. */
  static NetworkSegment read(JsonInput in) {
    if (!in.has(TYPE) && !in.has(PHYSNET) && !in.has(SEGMENTATION_ID)) {
      return null;
    }
    return new NetworkSegment(
        in.optionalString(TYPE).orElse(null), in.optionalString(PHYSNET).orElse(null), segmentationId(in));
  }

  /** A whole number, or a string of one (Neutron converts it). */
  private static Long segmentationId(JsonInput in) {
    if (!in.has(SEGMENTATION_ID)) {
      return null;
    }
    try {
      return in.optionalInt(SEGMENTATION_ID).map(Integer::longValue).orElse(null);
    } catch (RuntimeException notANumber) {
      String text = in.optionalString(SEGMENTATION_ID).orElse("").strip();
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw ServiceException.invalid(
            "InvalidInput", "Invalid input for " + SEGMENTATION_ID + ". Reason: '" + text + "' is not an integer.");
      }
    }
  }

  /** ML2 does not change a network's segment once made: 403 for members (policy), 400 for admins. */
  static void refuseUpdate(JsonInput in, Actor actor) {
    for (String field : new String[] {TYPE, PHYSNET, SEGMENTATION_ID}) {
      if (in.has(field)) {
        if (!actor.admin()) {
          throw ServiceException.forbidden(
              "PolicyNotAuthorized", "(rule:update_network:" + field + ") is disallowed by policy.");
        }
        throw ServiceException.invalid(
            "InvalidInput", "Invalid input for operation: Plugin does not support updating provider attributes.");
      }
    }
  }

  /** Adds the attributes to an admin's view; a network without a recorded segment shows nulls. */
  static void add(ObjectNode network, NetworkSegment segment) {
    if (segment == null) {
      network.putNull(TYPE);
      network.putNull(PHYSNET);
      network.putNull(SEGMENTATION_ID);
      return;
    }
    network.put(TYPE, segment.networkType());
    if (segment.physicalNetwork() == null) {
      network.putNull(PHYSNET);
    } else {
      network.put(PHYSNET, segment.physicalNetwork());
    }
    if (segment.segmentationId() == null) {
      network.putNull(SEGMENTATION_ID);
    } else {
      network.put(SEGMENTATION_ID, segment.segmentationId());
    }
  }
}
