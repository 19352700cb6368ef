package dev.kiln.compute.servers;

import static java.util.Objects.requireNonNull;
import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.catalog.Flavor;
import dev.kiln.compute.catalog.Flavors;
import dev.kiln.compute.catalog.Keypairs;
import dev.kiln.compute.fleet.Fleet;
import dev.kiln.compute.groups.ServerGroups;
import dev.kiln.compute.quotas.ComputeQuotas;
import dev.kiln.compute.servers.Server.FlavorSnapshot;
import dev.kiln.compute.servers.Server.PluggedPort;
import dev.kiln.compute.servers.Servers.Hints;
import dev.kiln.compute.servers.Servers.NetworkRequest;
import dev.kiln.compute.servers.Servers.Spec;
import dev.kiln.compute.servers.store.BlockDeviceStore;
import dev.kiln.compute.servers.store.InstanceActionStore;
import dev.kiln.compute.servers.store.ServerStore;
import dev.kiln.compute.servers.store.ServerTagStore;
import dev.kiln.network.NetworkService;
import dev.kiln.network.Port;
import dev.kiln.network.SecurityGroup;
import dev.kiln.store.Database;
import dev.kiln.tasks.TaskRunner;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A server create: checks the request at once (flavor, image or volumes, networks and ports, key
 * pair, zone, security groups), reserves the volumes it names, and records the servers with their
 * {@code server.build} tasks in one commit under the project's quota lock.
 */
final class ServerCreates {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  private final Fleet fleet;
  private final Flavors flavors;
  private final Keypairs keypairs;
  private final ComputeQuotas quotas;
  private final NetworkService network;
  private final TaskRunner tasks;
  private final ServerGroups groups;
  private final BootDisks bootDisks;
  private final ServerVolumes volumes;

  ServerCreates(
      Database db,
      Clock clock,
      IdGenerator ids,
      Fleet fleet,
      Flavors flavors,
      Keypairs keypairs,
      ComputeQuotas quotas,
      NetworkService network,
      TaskRunner tasks,
      ServerGroups groups,
      BootDisks bootDisks,
      ServerVolumes volumes) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.fleet = requireNonNull(fleet, "fleet is null");
    this.flavors = requireNonNull(flavors, "flavors is null");
    this.keypairs = requireNonNull(keypairs, "keypairs is null");
    this.quotas = requireNonNull(quotas, "quotas is null");
    this.network = requireNonNull(network, "network is null");
    this.tasks = requireNonNull(tasks, "tasks is null");
    this.groups = requireNonNull(groups, "groups is null");
    this.bootDisks = requireNonNull(bootDisks, "bootDisks is null");
    this.volumes = requireNonNull(volumes, "volumes is null");
  }

  Server create(Actor actor, Spec spec) {
    if (actor.projectId() == null) {
      throw ServiceException.invalid("badRequest", "A project-scoped token is needed to create a server.");
    }
    Flavor flavor =
        flavors.find(actor, spec.flavorRef())
            .orElseThrow(() -> ServiceException.invalid("FlavorNotFound", "Flavor " + spec.flavorRef() + " could not be found."));
    if (flavor.disabled()) {
      throw ServiceException.invalid("FlavorNotFound", "Flavor " + spec.flavorRef() + " could not be found.");
    }
    BootDisks.Plan disks = bootDisks.plan(actor, flavor, spec.imageRef(), spec.blockDevices());
    List<NetworkRequest> requested = spec.networks();
    if (spec.autoNetwork()) {
      // As Nova: the one network the project can use (its own or shared, not external); there is
      // no auto-allocated topology to create when there is none.
      List<String> usable =
          network.networks().list(actor).stream().filter(n -> !n.external()).map(n -> n.id()).toList();
      if (usable.size() > 1) {
        throw ServiceException.conflict(
            "NetworkAmbiguous", "Multiple possible networks found, use a Network ID to be more specific.");
      }
      if (usable.isEmpty()) {
        throw ServiceException.invalid(
            "badRequest", "Unable to automatically allocate a network for project " + actor.projectId());
      }
      requested = List.of(new NetworkRequest(usable.getFirst(), null, null));
    }
    Set<String> seenPorts = new HashSet<>();
    List<PluggedPort> userPorts = new ArrayList<>();
    List<Integer> userPortPositions = new ArrayList<>();
    List<String> userPortTags = new ArrayList<>();
    for (int i = 0; i < requested.size(); i++) {
      NetworkRequest n = requested.get(i);
      if (n.portId() != null) {
        Port port;
        try {
          port = network.ports().visible(actor, n.portId());
        } catch (ServiceException e) {
          if (e.kind() != ServiceException.Kind.NOT_FOUND) {
            throw e;
          }
          throw ServiceException.invalid("PortNotFound", "Port id " + n.portId() + " could not be found.");
        }
        if (!port.deviceId().isEmpty() || !seenPorts.add(port.id())) {
          throw ServiceException.conflict("PortInUse", "Port " + port.id() + " is still in use.");
        }
        userPorts.add(new PluggedPort(port.id(), false));
        userPortPositions.add(i);
        userPortTags.add(n.tag());
      } else {
        try {
          network.networks().visible(actor, n.networkId());
        } catch (ServiceException e) {
          if (e.kind() != ServiceException.Kind.NOT_FOUND) {
            throw e;
          }
          throw ServiceException.invalid("NetworkNotFound", "Network " + n.networkId() + " could not be found.");
        }
      }
    }
    if (spec.keyName() != null && keypairs.find(actor.userId(), spec.keyName()).isEmpty()) {
      throw ServiceException.invalid("KeypairNotFound", "Invalid key_name provided.");
    }
    String zone = spec.availabilityZone();
    if (zone != null && !fleet.zoneAvailable(zone)) {
      throw ServiceException.invalid("InvalidInput", "The requested availability zone is not available");
    }
    int count = spec.maxCount();
    if (count > 1 && !userPorts.isEmpty()) {
      throw ServiceException.invalid(
          "badRequest", "Unable to launch multiple instances with a single configured port ID. Please launch your"
              + " instance one by one with different ports.");
    }
    List<String> securityGroups = securityGroupIds(actor, spec.securityGroups());
    Instant now = now();
    String reservationId = "r-" + ids.uuid().substring(0, 8);
    List<Server> made = new ArrayList<>();
    for (int index = 0; index < count; index++) {
      String id = ids.uuid();
      // As Nova's multi_instance_display_name_template: name-1, name-2, ...
      String name = count > 1 ? spec.name() + "-" + (index + 1) : spec.name();
      made.add(
          new Server(
              id, actor.projectId(), actor.userId(), name, spec.description(), Server.BUILD, "scheduling", "building",
              0, null, zone, FlavorSnapshot.of(flavor), disks.bootsFromVolume() ? null : disks.rootImage().id(),
              spec.keyName(), spec.userData(), now, now, null, false, null, null,
              requireNonNullElse(spec.metadata(), Map.of()), List.of(), reservationId, index, spec.attributes()));
    }
    String requestId = InstanceAction.currentRequestId(ids);
    List<NetworkRequest> networks = requested;
    // As Nova's API: the volumes a create names are reserved for their server at once, so no
    // other attach takes them before the build. The reservations join the transaction that records
    // the servers (Block Storage's writes become part of it): they commit together or not at all,
    // so a create cut short by a kill never leaves a volume reserved for a server that was never
    // recorded. Volumes are locked in id order, so two creates naming the same volumes cannot
    // deadlock.
    db.inTransactionJoinedByNestedWork(
        sql -> {
          List<List<BlockDevice>> devices = new ArrayList<>();
          for (Server server : made) {
            devices.add(reserveBlockDevices(actor, server, disks, now));
          }
          // Counted and inserted in one transaction under the project's quota lock. No metadata
          // exceeds no limit: its limits need not be read then.
          if (!made.getFirst().metadata().isEmpty()) {
            quotas.checkMetadataItems(sql, actor.projectId(), made.getFirst().metadata().size());
          }
          quotas.reserveForBoot(sql, actor.projectId(), actor.userId(), made.size(), flavor.vcpus(), flavor.ramMb());
          ServerStore store = new ServerStore(sql);
          BlockDeviceStore deviceStore = new BlockDeviceStore(sql);
          for (int n = 0; n < made.size(); n++) {
            Server server = made.get(n);
            store.insert(server);
            for (int i = 0; i < userPorts.size(); i++) {
              store.addPort(server.id(), userPorts.get(i), userPortPositions.get(i), userPortTags.get(i));
            }
            devices.get(n).forEach(deviceStore::insert);
            ServerTagStore tagStore = new ServerTagStore(sql);
            spec.tags().forEach(t -> tagStore.add(server.id(), t));
            if (spec.groupId() != null) {
              groups.join(sql, actor, spec.groupId(), server.id(), now);
            }
            new InstanceActionStore(sql)
                .insert(server.id(), requestId, "create", actor.projectId(), actor.userId(), now);
            tasks.submit(sql, Servers.BUILD_TASK, buildPayload(server.id(), networks, securityGroups, spec.hints()), now, 3);
          }
          return null;
        });
    tasks.wake();
    // The first server as it was inserted, with the user's ports it was given: reading it back
    // would cost three statements and find the same (its build task may have started meanwhile,
    // but nothing the build changes is what a create answers).
    Server first = made.getFirst();
    return first.withDetails(new java.util.TreeMap<>(first.metadata()), List.copyOf(userPorts));
  }

  /**
   * The server's block device mappings, each existing volume reserved for the server (in volume id
   * order); called inside the create's transaction, which the reservations join.
   */
  private List<BlockDevice> reserveBlockDevices(Actor actor, Server server, BootDisks.Plan disks, Instant now) {
    Map<String, String> attachments = new java.util.HashMap<>();
    disks.volumes().stream()
        .filter(v -> v.existing() != null)
        .map(v -> v.existing().id())
        .distinct()
        .sorted()
        .forEach(volumeId -> attachments.put(volumeId, volumes.reserve(actor, volumeId, server.id())));
    List<BlockDevice> into = new ArrayList<>();
    for (BootDisks.PlannedVolume v : disks.volumes()) {
      BootDisks.Mapping m = v.mapping();
      String attachmentId = v.existing() == null ? null : attachments.get(v.existing().id());
      into.add(
          new BlockDevice(
              ids.uuid(), server.id(), m.bootIndex(), m.source(), m.uuid(),
              v.existing() == null ? null : v.existing().id(), v.size(), m.volumeType(), v.deviceName(),
              m.deleteOnTermination(), m.tag(), attachmentId, BlockDevice.State.ATTACHING, now));
    }
    return into;
  }

  /** What the build task needs beyond the server's row: the networks to make ports on. */
  private static String buildPayload(String id, List<NetworkRequest> requested, List<String> securityGroups, Hints hints) {
    ObjectNode payload = JSON.createObjectNode().put("server_id", id);
    hints.sameHost().forEach(payload.putArray("same_host")::add);
    hints.differentHost().forEach(payload.putArray("different_host")::add);
    ArrayNode nets = payload.putArray("networks");
    for (int i = 0; i < requested.size(); i++) {
      NetworkRequest n = requested.get(i);
      if (n.portId() == null) {
        nets.addObject().put("position", i).put("network_id", n.networkId()).put("fixed_ip", n.fixedIp()).put("tag", n.tag());
      }
    }
    ArrayNode groups = payload.putArray("security_groups");
    securityGroups.forEach(groups::add);
    return payload.toString();
  }

  /**
   * The ids of the security groups a create names (by name or id, as Nova lets it) for the ports
   * Compute creates; empty for the project's default. The user's own ports keep their groups.
   */
  private List<String> securityGroupIds(Actor actor, List<String> requested) {
    if (requested.isEmpty()) {
      return List.of();
    }
    Actor member = new Actor(actor.projectId(), actor.userId(), false);
    List<SecurityGroup> visible = network.securityGroups().list(member, actor.projectId());
    List<String> result = new ArrayList<>();
    for (String wanted : requested) {
      List<SecurityGroup> matches =
          visible.stream().filter(g -> g.id().equals(wanted) || g.name().equals(wanted)).toList();
      if (matches.isEmpty()) {
        throw ServiceException.invalid("SecurityGroupNotFound", "Security group " + wanted + " not found.");
      }
      if (matches.size() > 1) {
        throw ServiceException.conflict(
            "NoUniqueMatch", "Multiple security groups found matching '" + wanted + "'. Use an ID to be more specific.");
      }
      if (!result.contains(matches.getFirst().id())) {
        result.add(matches.getFirst().id());
      }
    }
    return result;
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
