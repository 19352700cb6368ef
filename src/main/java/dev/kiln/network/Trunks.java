package dev.kiln.network;

import static java.util.Objects.requireNonNull;
import static java.util.Objects.requireNonNullElse;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.network.Trunk.SubPort;
import dev.kiln.network.store.NetworkStore;
import dev.kiln.network.store.TagStore;
import dev.kiln.network.store.TrunkStore;
import dev.kiln.store.Database;
import dev.kiln.store.StoreException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Neutron trunks (the {@code trunk} extension): a parent port and subports, each on a VLAN of
 * its own. A port belongs to one trunk at most, as parent or as subport; a subport must be free
 * (no device) and its network's MTU no larger than the parent's. While a port is a subport its
 * device owner is {@code trunk:subport} and its device the trunk, so no server can take it.
 *
 * <p>Every change locks the ports it touches in id order, then the trunk's row: two requests over
 * the same port run one after the other, and port deletes (which lock the port) never slip in
 * between a check and the write.
 */
public final class Trunks {
  /** Neutron's VLAN tag range for subports. */
  static final int MIN_VLAN = 1;

  static final int MAX_VLAN = 4094;

  private final Database db;
  private final IdGenerator ids;
  private final Networks networks;
  private final Ports ports;

  public Trunks(Database db, IdGenerator ids, Networks networks, Ports ports) {
    this.db = requireNonNull(db, "db is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.networks = requireNonNull(networks, "networks is null");
    this.ports = requireNonNull(ports, "ports is null");
  }

  /**
   * A subport as a request names it; type and id are null when not given (a removal names only
   * the port).
   */
  public record SubPortRequest(String portId, String segmentationType, Integer segmentationId) {}

  /** What a create or update asks for; null means "the default" or "unchanged". */
  public record Spec(
      String projectId,
      String name,
      String description,
      Boolean adminStateUp,
      String portId,
      List<SubPortRequest> subPorts) {}

  public Trunk create(Actor actor, Spec spec, List<String> tags) {
    String project = Ownership.ownerProject(actor, spec.projectId());
    Tags.check(tags);
    // The request's own checks come first, as Neutron validates the body before it looks anything up.
    List<SubPort> subPorts = checkRequests(spec.subPorts() == null ? List.of() : spec.subPorts(), spec.portId());
    Port parent = ports.visible(actor, spec.portId());
    subPorts.forEach(s -> ports.visible(actor, s.portId()));
    String id = ids.uuid();
    Instant now = networks.now();
    return write(
        sql -> {
          NetworkStore store = new NetworkStore(sql);
          TrunkStore trunks = new TrunkStore(sql);
          Port lockedParent = lockPorts(store, parent.id(), subPorts).getFirst();
          checkFree(trunks, parent.id());
          trunks.insert(
              new Trunk(
                  id, project, requireNonNullElse(spec.name(), ""), requireNonNullElse(spec.description(), ""),
                  requireNonNullElse(spec.adminStateUp(), true), parent.id(), "DOWN", List.of(), 1, now, now));
          plugSubPorts(store, trunks, id, lockedParent, subPorts, now);
          TagStore tagStore = new TagStore(sql);
          tags.forEach(tag -> tagStore.add("trunks", id, tag));
          return trunks.find(id).orElseThrow();
        });
  }

  /** A trunk the actor may see: its project's, or any for an admin. */
  public Trunk visible(Actor actor, String id) {
    Trunk trunk = new TrunkStore(db.sql()).find(id).orElseThrow(() -> trunkNotFound(id));
    if (!actor.owns(trunk.projectId())) {
      throw trunkNotFound(id);
    }
    return trunk;
  }

  public List<Trunk> list(Actor actor) {
    if (!actor.admin() && actor.projectId() == null) {
      return List.of();
    }
    return new TrunkStore(db.sql()).list(actor.admin() ? null : actor.projectId());
  }

  /** The trunk details of whichever of these ports are trunk parents, by port id. */
  public java.util.Map<String, TrunkDetails> detailsOfParents(List<String> portIds) {
    return new TrunkStore(db.sql()).detailsOfParents(portIds);
  }

  /** Changes name, description or admin state; with {@code expectedRevision}, only at that revision. */
  public Trunk update(Actor actor, String id, Spec changes, Long expectedRevision) {
    visible(actor, id);
    return db.inTransaction(
        sql -> {
          TrunkStore trunks = new TrunkStore(sql);
          Trunk old = trunks.lock(id).orElseThrow(() -> trunkNotFound(id));
          NetworkErrors.checkRevision(expectedRevision, old.revision());
          Trunk updated =
              new Trunk(
                  id, old.projectId(), requireNonNullElse(changes.name(), old.name()),
                  requireNonNullElse(changes.description(), old.description()),
                  requireNonNullElse(changes.adminStateUp(), old.adminStateUp()), old.portId(), old.status(),
                  old.subPorts(), old.revision() + 1, old.createdAt(), networks.now());
          if (!trunks.update(updated, old.revision())) {
            throw NetworkErrors.concurrentChange("Trunk", id);
          }
          return trunks.find(id).orElseThrow();
        });
  }

  /**
   * Deletes a trunk and frees its subports. Refused while the parent port is bound to a host
   * (Neutron's TrunkInUse: the instance still uses the VLANs) and while the trunk is disabled.
   */
  public void delete(Actor actor, String id) {
    Trunk seen = visible(actor, id);
    write(
        sql -> {
          NetworkStore store = new NetworkStore(sql);
          TrunkStore trunks = new TrunkStore(sql);
          Port parent = lockPorts(store, seen.portId(), seen.subPorts()).getFirst();
          Trunk trunk = trunks.lock(id).orElseThrow(() -> trunkNotFound(id));
          checkManageable(trunk);
          if (parent.activeBinding() != null) {
            throw ServiceException.conflict("TrunkInUse", "Trunk " + id + " is in use: its parent port is bound to a host.");
          }
          Instant now = networks.now();
          for (SubPort s : trunk.subPorts()) {
            release(store, s.portId(), id, now);
          }
          new TagStore(sql).removeAll(id);
          return trunks.delete(id);
        });
  }

  /** Adds subports; all of them or none. */
  public Trunk addSubPorts(Actor actor, String id, List<SubPortRequest> requests) {
    Trunk seen = visible(actor, id);
    List<SubPort> subPorts = checkRequests(requests, seen.portId());
    subPorts.forEach(s -> ports.visible(actor, s.portId()));
    return write(
        sql -> {
          NetworkStore store = new NetworkStore(sql);
          TrunkStore trunks = new TrunkStore(sql);
          Port parent = lockPorts(store, seen.portId(), subPorts).getFirst();
          Trunk trunk = trunks.lock(id).orElseThrow(() -> trunkNotFound(id));
          checkManageable(trunk);
          Instant now = networks.now();
          plugSubPorts(store, trunks, id, parent, subPorts, now);
          trunks.touch(id, now);
          return trunks.find(id).orElseThrow();
        });
  }

  /** Removes subports, named by port; a port that is not a subport of this trunk is a 404. */
  public Trunk removeSubPorts(Actor actor, String id, List<SubPortRequest> requests) {
    Trunk seen = visible(actor, id);
    List<String> portIds = new ArrayList<>();
    for (SubPortRequest r : requests) {
      if (r.portId() == null) {
        throw NetworkErrors.invalid("each subport to remove needs a port_id.");
      }
      if (portIds.contains(r.portId())) {
        throw NetworkErrors.invalid("port " + r.portId() + " is named twice in sub_ports.");
      }
      portIds.add(r.portId());
    }
    return db.inTransaction(
        sql -> {
          NetworkStore store = new NetworkStore(sql);
          TrunkStore trunks = new TrunkStore(sql);
          lockPorts(store, seen.portId(), portIds.stream().map(p -> new SubPort(p, Trunk.VLAN, 0)).toList());
          Trunk trunk = trunks.lock(id).orElseThrow(() -> trunkNotFound(id));
          checkManageable(trunk);
          Instant now = networks.now();
          for (String portId : portIds) {
            if (trunks.removeSubPort(id, portId) == 0) {
              throw ServiceException.notFound(
                  "SubPortNotFound", "Trunk " + id + " (parent port " + trunk.portId() + ") has no subport " + portId + ".");
            }
            release(store, portId, id, now);
          }
          trunks.touch(id, now);
          return trunks.find(id).orElseThrow();
        });
  }

  /** Neutron's checks of the request alone: a known type, an id in range, no port or VLAN twice. */
  private static List<SubPort> checkRequests(List<SubPortRequest> requests, String parentId) {
    List<SubPort> out = new ArrayList<>();
    Set<String> seenPorts = new HashSet<>();
    Set<Integer> seenVlans = new HashSet<>();
    for (SubPortRequest r : requests) {
      if (r.portId() == null) {
        throw NetworkErrors.invalid("each subport needs a port_id.");
      }
      if (r.segmentationType() == null || r.segmentationId() == null) {
        throw NetworkErrors.invalid(
            "subport " + r.portId() + " lacks segmentation details: both segmentation_type and segmentation_id are"
                + " needed.");
      }
      if (!r.segmentationType().equals(Trunk.VLAN)) {
        throw NetworkErrors.invalid(
            "segmentation_type '" + r.segmentationType() + "' is not supported; the supported type is 'vlan'.");
      }
      if (r.segmentationId() < MIN_VLAN || r.segmentationId() > MAX_VLAN) {
        throw NetworkErrors.invalid(
            "segmentation_id " + r.segmentationId() + " is out of range; a VLAN id is between " + MIN_VLAN + " and "
                + MAX_VLAN + ".");
      }
      if (r.portId().equals(parentId)) {
        throw parentPortInUse(r.portId());
      }
      if (!seenPorts.add(r.portId())) {
        throw NetworkErrors.invalid("port " + r.portId() + " is named twice in sub_ports.");
      }
      if (!seenVlans.add(r.segmentationId())) {
        throw NetworkErrors.invalid("segmentation_id " + r.segmentationId() + " is given to two subports.");
      }
      out.add(new SubPort(r.portId(), r.segmentationType(), r.segmentationId()));
    }
    return out;
  }

  /**
   * Locks the parent and the subports' rows in id order (so that requests over overlapping ports
   * never deadlock) and answers them, parent first.
   */
  private static List<Port> lockPorts(NetworkStore store, String parentId, List<SubPort> subPorts) {
    TreeSet<String> order = new TreeSet<>();
    order.add(parentId);
    subPorts.forEach(s -> order.add(s.portId()));
    Port parent = null;
    List<Port> out = new ArrayList<>();
    for (String portId : order) {
      Port port = store.lockPort(portId).orElseThrow(() -> NetworkErrors.portNotFound(portId));
      if (portId.equals(parentId)) {
        parent = port;
      } else {
        out.add(port);
      }
    }
    out.addFirst(parent);
    return out;
  }

  /** A port that is already in a trunk can be neither parent nor subport of another. */
  private static void checkFree(TrunkStore trunks, String portId) {
    if (trunks.trunkOfSubPort(portId).isPresent()) {
      throw ServiceException.conflict("TrunkPortInUse", "Port " + portId + " is already a subport of a trunk.");
    }
    if (trunks.trunkOfParent(portId).isPresent()) {
      throw parentPortInUse(portId);
    }
  }

  private void plugSubPorts(
      NetworkStore store, TrunkStore trunks, String trunkId, Port parent, List<SubPort> subPorts, Instant now) {
    if (subPorts.isEmpty()) {
      return;
    }
    Set<Integer> used = new HashSet<>();
    trunks.find(trunkId).orElseThrow().subPorts().forEach(s -> used.add(s.segmentationId()));
    int parentMtu = store.findNetwork(parent.networkId()).orElseThrow().mtu();
    String parentHost = parent.activeBinding() == null ? null : parent.activeBinding().host();
    long position = trunks.nextPosition(trunkId);
    for (SubPort s : subPorts) {
      Port port = store.findPort(s.portId()).orElseThrow(() -> NetworkErrors.portNotFound(s.portId()));
      checkFree(trunks, port.id());
      if (!port.deviceId().isEmpty()) {
        throw ServiceException.conflict(
            "PortInUse",
            "Unable to complete operation on port " + port.id() + " for network " + port.networkId()
                + ". Port already has an attached device " + port.deviceId() + ".");
      }
      int mtu = store.findNetwork(port.networkId()).orElseThrow().mtu();
      if (mtu > parentMtu) {
        throw ServiceException.conflict(
            "SubPortMtuGreaterThanTrunkPortMtu",
            "Subport " + port.id() + " has MTU " + mtu + ", larger than the MTU " + parentMtu + " of trunk "
                + trunkId + ".");
      }
      if (!used.add(s.segmentationId())) {
        throw ServiceException.conflict(
            "DuplicateSubPort",
            "Trunk " + trunkId + " already uses segmentation_type " + s.segmentationType() + " segmentation_id "
                + s.segmentationId() + ".");
      }
      trunks.addSubPort(trunkId, s, position++);
      setDevice(store, port, trunkId, Trunk.SUBPORT_OWNER, now);
      // A subport joining a trunk whose parent is bound is bound to the parent's host at once.
      if (parentHost != null) {
        TrunkBindings.bind(store, store.findPort(port.id()).orElseThrow(), parentHost, now);
      }
    }
  }

  /** Gives a former subport back its freedom: no device, no owner, no binding (Neutron unbinds it). */
  private static void release(NetworkStore store, String portId, String trunkId, Instant now) {
    Port port = store.findPort(portId).orElseThrow(() -> NetworkErrors.portNotFound(portId));
    if (port.deviceId().equals(trunkId) && port.deviceOwner().equals(Trunk.SUBPORT_OWNER)) {
      store.deleteBindings(portId);
      setDevice(store, store.findPort(portId).orElseThrow(), "", "", now);
    }
  }

  private static void setDevice(NetworkStore store, Port old, String deviceId, String deviceOwner, Instant now) {
    Ports.writePort(
        store,
        new Port(
            old.id(), old.projectId(), old.networkId(), old.name(), old.description(), old.macAddress(),
            old.adminStateUp(), Ports.status(old.adminStateUp(), deviceId, old.activeBinding() != null), deviceId,
            deviceOwner, old.portSecurityEnabled(), old.vnicType(),
            old.profile(), old.fixedIps(), old.securityGroups(), null, old.revision() + 1, old.createdAt(), now),
        old.revision());
  }

  private static void checkManageable(Trunk trunk) {
    if (!trunk.adminStateUp()) {
      throw ServiceException.conflict(
          "TrunkDisabled", "Trunk " + trunk.id() + " is disabled (admin_state_up is false); enable it first.");
    }
  }

  /** Runs a change; a unique constraint that a racing request won shows as the port being in use. */
  private <T> T write(Database.TransactionWork<T> work) {
    try {
      return db.inTransaction(work);
    } catch (StoreException e) {
      if (e.kind() == StoreException.Kind.DUPLICATE) {
        throw ServiceException.conflict("TrunkPortInUse", "A port of this request was put in a trunk at the same time.");
      }
      throw e;
    }
  }

  static ServiceException trunkNotFound(String id) {
    return ServiceException.notFound("TrunkNotFound", "Trunk " + id + " could not be found.");
  }

  private static ServiceException parentPortInUse(String portId) {
    return ServiceException.conflict(
        "ParentPortInUse", "Port " + portId + " is in use and cannot be the parent port of a trunk.");
  }
}
