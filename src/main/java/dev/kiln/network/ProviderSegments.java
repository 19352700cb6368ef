package dev.kiln.network;

import dev.kiln.common.ServiceException;
import dev.kiln.network.store.SegmentStore;
import dev.kiln.store.Sql;
import java.util.Locale;

/**
 * Gives each new network its segment, as ML2's type drivers do: a requested segment is checked
 * and must be free (409 otherwise), an unrequested VLAN or tunnel id is the lowest free one, and
 * a network made without provider attributes gets the lowest free VXLAN id. Allocations lock one
 * row first, so concurrent creates never take the same id; the unique constraint backs it up.
 */
final class ProviderSegments {
  /** The physical network a VLAN request without one is put on (Neutron's first network_vlan_ranges entry). */
  static final String DEFAULT_PHYSNET = "physnet1";

  private static final long MAX_VLAN = 4094;
  private static final long MAX_VNI = (1L << 24) - 1;
  private static final long MAX_GRE = (1L << 32) - 1;

  private ProviderSegments() {}

  /** Checks a request's provider attributes alone (before any lookup); null means none were given. */
  static void check(NetworkSegment requested) {
    if (requested == null) {
      return;
    }
    segment(requested);
  }

  /** Allocates the network's segment inside the caller's transaction; answers it. */
  static NetworkSegment allocate(Sql sql, String networkId, NetworkSegment requested) {
    NetworkSegment wanted = requested == null ? new NetworkSegment(NetworkSegment.DEFAULT_TYPE, null, null) : segment(requested);
    SegmentStore store = new SegmentStore(sql);
    store.lockAllocations();
    String type = wanted.networkType();
    String physnet = wanted.physicalNetwork() == null ? "" : wanted.physicalNetwork();
    Long id = wanted.segmentationId();
    switch (type) {
      case "flat" -> {
        if (store.isTaken(type, physnet, null)) {
          throw ServiceException.conflict(
              "FlatNetworkInUse", "Unable to create the flat network. Physical network " + physnet + " is in use.");
        }
      }
      case "local" -> {}
      default -> {
        long max = max(type);
        if (id == null) {
          id = store.lowestFree(type, physnet, max)
              .orElseThrow(() -> ServiceException.conflict(
                  "NoNetworkAvailable", "Unable to create the network. No " + type + " id is free."));
        } else if (store.isTaken(type, physnet, id)) {
          throw type.equals("vlan")
              ? ServiceException.conflict(
                  "VlanIdInUse",
                  "Unable to create the network. The VLAN " + id + " on physical network " + physnet + " is in use.")
              : ServiceException.conflict(
                  "TunnelIdInUse", "Unable to create the network. The tunnel ID " + id + " is in use.");
        }
      }
    }
    NetworkSegment made = new NetworkSegment(type, wanted.physicalNetwork(), id);
    store.insert(networkId, made);
    return made;
  }

  /** A request normalised and checked as the type drivers do; 400 InvalidInput naming what is wrong. */
  private static NetworkSegment segment(NetworkSegment r) {
    if (r.networkType() == null) {
      if (r.physicalNetwork() != null || r.segmentationId() != null) {
        throw invalid("provider:network_type required");
      }
      return new NetworkSegment(NetworkSegment.DEFAULT_TYPE, null, null);
    }
    String type = r.networkType().toLowerCase(Locale.ROOT);
    String physnet = r.physicalNetwork() == null || r.physicalNetwork().isEmpty() ? null : r.physicalNetwork();
    if (physnet != null && physnet.length() > 64) {
      throw invalid("provider:physical_network is longer than 64 characters");
    }
    Long id = r.segmentationId();
    return switch (type) {
      case "flat" -> {
        if (id != null) {
          throw invalid("segmentation_id specified for flat provider network");
        }
        if (physnet == null) {
          throw invalid("physical_network required for flat provider network");
        }
        yield new NetworkSegment(type, physnet, null);
      }
      case "local" -> {
        if (physnet != null || id != null) {
          throw invalid("Local segments take neither a physical_network nor a segmentation_id");
        }
        yield new NetworkSegment(type, null, null);
      }
      case "vlan" -> {
        checkRange(id, MAX_VLAN, "segmentation_id out of range (1 through " + MAX_VLAN + ")");
        yield new NetworkSegment(type, physnet == null ? DEFAULT_PHYSNET : physnet, id);
      }
      case "vxlan", "geneve", "gre" -> {
        if (physnet != null) {
          throw invalid("provider:physical_network specified for " + type + " network");
        }
        checkRange(id, max(type), type + " segmentation_id out of range (1 through " + max(type) + ")");
        yield new NetworkSegment(type, null, id);
      }
      default -> throw invalid("network_type value '" + r.networkType() + "' not supported");
    };
  }

  private static long max(String type) {
    return switch (type) {
      case "vlan" -> MAX_VLAN;
      case "gre" -> MAX_GRE;
      default -> MAX_VNI;
    };
  }

  private static void checkRange(Long id, long max, String message) {
    if (id != null && (id < 1 || id > max)) {
      throw invalid(message);
    }
  }

  private static ServiceException invalid(String message) {
    return ServiceException.invalid("InvalidInput", "Invalid input for operation: " + message + ".");
  }
}
