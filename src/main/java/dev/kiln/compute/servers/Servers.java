package dev.kiln.compute.servers;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.catalog.Flavors;
import dev.kiln.compute.catalog.Keypairs;
import dev.kiln.compute.fleet.Fleet;
import dev.kiln.compute.fleet.HostedServers;
import dev.kiln.compute.fleet.HypervisorDriver;
import dev.kiln.compute.fleet.Scheduler;
import dev.kiln.compute.groups.ServerGroups;
import dev.kiln.compute.quotas.ComputeQuotas;
import dev.kiln.compute.servers.Server.PluggedPort;
import dev.kiln.compute.servers.store.BlockDeviceStore;
import dev.kiln.compute.servers.store.ServerStore;
import dev.kiln.image.ImageService;
import dev.kiln.network.NetworkService;
import dev.kiln.store.Database;
import dev.kiln.tasks.Task;
import dev.kiln.tasks.TaskHandler;
import dev.kiln.tasks.TaskRunner;
import dev.kiln.volume.VolumeService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Nova servers, the facade of this package: create ({@link ServerCreates}), the durable build and
 * delete tasks ({@link ServerBuilds}, {@link ServerDeletes}), lists ({@link ServerLists}), port
 * bindings ({@link ServerBindings}), rename and metadata ({@link ServerEdits}); show here, with
 * the request and view records the API and the other rooms share.
 *
 * <p>Why over 400 lines: its own code is ~150 lines; the rest are the request and view records
 * (Spec, Query, TagFilter, Page, Address, NetworkDetails…) kept nested here, because the API, the
 * other compute rooms and Heat's server types all name them {@code Servers.Spec} and so on.
 */
public final class Servers {
  public static final String BUILD_TASK = "server.build";
  public static final String DELETE_TASK = "server.delete";
  public static final String NO_VALID_HOST = Scheduler.NO_VALID_HOST;
  /** How long a build waits for a volume it made, as Nova's block_device_allocate_retries (60 × 3 s). */
  private static final Duration VOLUME_WAIT = Duration.ofMinutes(3);

  private final Database db;
  private final Fleet fleet;
  private final ServerGroups groups;
  private final ServerVolumes volumes;
  private final ServerTags tags;
  private final ServerCreates creates;
  private final ServerBuilds builds;
  private final ServerDeletes deletes;
  private final ServerLists lists;
  private final ServerBindings bindings;
  private final ServerEdits edits;
  private final ServerLifecycle lifecycle = new ServerLifecycle();

  public Servers(
      Database db,
      Clock clock,
      IdGenerator ids,
      Fleet fleet,
      HypervisorDriver driver,
      Flavors flavors,
      Keypairs keypairs,
      ComputeQuotas quotas,
      NetworkService network,
      ImageService image,
      VolumeService volume,
      TaskRunner tasks) {
    this.db = requireNonNull(db, "db is null");
    requireNonNull(clock, "clock is null");
    this.fleet = requireNonNull(fleet, "fleet is null");
    requireNonNull(quotas, "quotas is null");
    requireNonNull(ids, "ids is null");
    requireNonNull(driver, "driver is null");
    requireNonNull(network, "network is null");
    requireNonNull(tasks, "tasks is null");
    this.groups = new ServerGroups(db, clock, ids, quotas);
    this.volumes = new ServerVolumes(db, volume, VOLUME_WAIT);
    this.tags = new ServerTags(db, clock, this);
    this.bindings = new ServerBindings(db, network);
    this.creates =
        new ServerCreates(
            db, clock, ids, fleet, flavors, keypairs, quotas, network, tasks, groups, new BootDisks(image, volume), volumes);
    this.builds = new ServerBuilds(db, clock, fleet, driver, network, new Scheduler(db, fleet), volumes, bindings, lifecycle);
    this.deletes = new ServerDeletes(db, clock, ids, fleet, driver, tasks, volumes, bindings, lifecycle, image);
    this.lists = new ServerLists(db, new ServerAddresses(network), tags);
    this.edits = new ServerEdits(db, clock, quotas);
    tasks.register(BUILD_TASK, TaskHandler.withGiveUp(this::build, this::giveUpBuild));
    tasks.register(DELETE_TASK, TaskHandler.withGiveUp(this::finishDelete, this::giveUpDelete));
    fleet.hostedServers(
        host -> new ServerStore(db.sql()).onHost(host).stream()
            .map(r -> new HostedServers.Server(r[0], r[1]))
            .toList());
  }

  /** Who is told of servers becoming ACTIVE after their build, and of servers deleted. */
  public void observeLifecycle(ServerLifecycleObserver observer) {
    lifecycle.observe(observer);
  }

  /** How Compute attaches volumes through Block Storage. */
  public ServerVolumes volumes() {
    return volumes;
  }

  /** The server, if it exists (whoever owns it). */
  public Optional<Server> find(String id) {
    return new ServerStore(db.sql()).find(id);
  }

  /** Server tags (2.26). */
  public ServerTags tags() {
    return tags;
  }

  /** Server groups, which a create may put its servers in. */
  public ServerGroups groups() {
    return groups;
  }

  /**
   * Nova's scheduler hints beyond the group: {@code same_host} (a host running one of these
   * servers, SameHostFilter) and {@code different_host} (no host running any of them,
   * DifferentHostFilter).
   */
  public record Hints(List<String> sameHost, List<String> differentHost) {
    public static final Hints NONE = new Hints(List.of(), List.of());

    public Hints {
      sameHost = sameHost == null ? List.of() : List.copyOf(sameHost);
      differentHost = differentHost == null ? List.of() : List.copyOf(differentHost);
    }
  }

  /**
   * One entry of a create's {@code networks}: a network (with maybe an address), or a port; {@code
   * tag} is the interface's device tag, or null.
   */
  public record NetworkRequest(String networkId, String portId, String fixedIp, String tag) {
    public NetworkRequest(String networkId, String portId, String fixedIp) {
      this(networkId, portId, fixedIp, null);
    }
  }

  /**
   * What a create asks for.
   *
   * @param networks the requested networks; empty for none
   * @param autoNetwork whether {@code "auto"} was asked for
   */
  public record Spec(
      String name,
      String description,
      String flavorRef,
      String imageRef,
      List<NetworkRequest> networks,
      boolean autoNetwork,
      String keyName,
      Map<String, String> metadata,
      String availabilityZone,
      String userData,
      List<String> securityGroups,
      String groupId,
      int minCount,
      int maxCount,
      List<BootDisks.Mapping> blockDevices,
      Hints hints,
      Server.Attributes attributes,
      List<String> tags) {

    public Spec {
      securityGroups = securityGroups == null ? List.of() : List.copyOf(securityGroups);
      blockDevices = blockDevices == null ? List.of() : List.copyOf(blockDevices);
      hints = hints == null ? Hints.NONE : hints;
      attributes = attributes == null ? Server.Attributes.NONE : attributes;
      tags = tags == null ? List.of() : List.copyOf(new java.util.LinkedHashSet<>(tags));
    }

    /** A request without placement hints (beyond the group) or attributes. */
    public Spec(
        String name,
        String description,
        String flavorRef,
        String imageRef,
        List<NetworkRequest> networks,
        boolean autoNetwork,
        String keyName,
        Map<String, String> metadata,
        String availabilityZone,
        String userData,
        List<String> securityGroups,
        String groupId,
        int minCount,
        int maxCount,
        List<BootDisks.Mapping> blockDevices) {
      this(name, description, flavorRef, imageRef, networks, autoNetwork, keyName, metadata, availabilityZone, userData,
          securityGroups, groupId, minCount, maxCount, blockDevices, null, null, null);
    }

    /** One server, with the project's default security group and no server group. */
    public Spec(
        String name,
        String description,
        String flavorRef,
        String imageRef,
        List<NetworkRequest> networks,
        boolean autoNetwork,
        String keyName,
        Map<String, String> metadata,
        String availabilityZone,
        String userData) {
      this(name, description, flavorRef, imageRef, networks, autoNetwork, keyName, metadata, availabilityZone, userData,
          List.of(), null, 1, 1, List.of());
    }
  }

  /**
   * Filters of a list; null means "any".
   *
   * @param name a regular expression on the name (Nova's)
   * @param ip a regular expression matched from the start of an IPv4 address, fixed or floating
   * @param ip6 the same on IPv6 addresses
   * @param reservationId the servers one create request made
   */
  public record Query(
      boolean allProjects,
      String name,
      String status,
      String host,
      Instant changesSince,
      String projectId,
      String imageId,
      String flavorId,
      String ip,
      String ip6,
      String reservationId,
      TagFilter tags) {

    public Query {
      tags = tags == null ? TagFilter.NONE : tags;
    }

    public Query(
        boolean allProjects, String name, String status, String host, Instant changesSince, String projectId,
        String imageId, String flavorId, String ip, String ip6, String reservationId) {
      this(allProjects, name, status, host, changesSince, projectId, imageId, flavorId, ip, ip6, reservationId, null);
    }

    public Query(boolean allProjects, String name, String status, String host, Instant changesSince) {
      this(allProjects, name, status, host, changesSince, null, null, null, null, null, null, null);
    }

    public Query(
        boolean allProjects, String name, String status, String host, Instant changesSince, String projectId,
        String imageId, String flavorId) {
      this(allProjects, name, status, host, changesSince, projectId, imageId, flavorId, null, null, null, null);
    }
  }

  public Server create(Actor actor, Spec spec) {
    return creates.create(actor, spec);
  }

  /** Schedules, claims, plugs the ports and spawns; the server ends ACTIVE, or ERROR with a fault. */
  public String build(Task task) throws Exception {
    return builds.build(task);
  }

  /** After the build task's last attempt failed unexpectedly: the server ends in ERROR. */
  void giveUpBuild(Task task, String error) {
    builds.giveUpBuild(task, error);
  }

  /**
   * The actor's project's servers (all for an admin asking), newest first, filtered, from after
   * {@code marker} (if given), at most {@code limit} (if given).
   */
  public Page list(Actor actor, Query query, Integer limit, String marker) {
    return lists.list(actor, query, limit, marker);
  }

  /**
   * The Networking details of these servers (a page of a list): one lookup for all their ports,
   * one for their floating IPs, then one per network and security group for its name.
   */
  public NetworkDetails networkDetails(List<Server> servers) {
    return lists.networkDetails(servers);
  }

  /**
   * Runs {@code binding} while holding the server's row, if the server exists and no delete has
   * begun; else throws the server's 404 and binds nothing (see {@link ServerBindings}).
   */
  public <T> T whileNotDeleting(String serverId, java.util.function.Function<dev.kiln.store.Sql, T> binding) {
    return bindings.whileNotDeleting(serverId, binding);
  }

  /** Gives a port back: Compute's own is deleted, a user's is unplugged and kept. */
  public void releasePort(Server server, PluggedPort p) {
    bindings.releasePort(server, p);
  }

  /** Gives a port back for a server that may be gone already. */
  public void releasePort(String serverId, PluggedPort p) {
    bindings.releasePort(serverId, p);
  }

  /**
   * Deletes a server, as Nova does, in the background (see {@link ServerDeletes}). A locked server
   * is only deleted by an admin; deleting twice is harmless.
   */
  public void delete(Actor actor, String id) {
    Server server = visible(actor, id);
    ServerChecks.requireUnlocked(actor, server);
    deletes.delete(actor, server);
  }

  /** The {@code server.delete} task; safe to repeat. */
  public String finishDelete(Task task) throws Exception {
    return deletes.finishDelete(task);
  }

  void giveUpDelete(Task task, String error) {
    deletes.giveUpDelete(task, error);
  }

  /** The volumes of several servers (a page of a list), by server id. */
  public Map<String, List<BlockDevice>> blockDevices(List<String> serverIds) {
    return new BlockDeviceStore(db.sql()).ofServers(serverIds);
  }

  /** The server's volumes, boot volume first. */
  public List<BlockDevice> blockDevices(String serverId) {
    return new BlockDeviceStore(db.sql()).ofServer(serverId);
  }

  /** Compute acting for the server's owner with the rights Nova's service user has. */
  public static Actor system(Server server) {
    return new Actor(server.projectId(), server.userId(), true);
  }

  /**
   * An address of a server, from one of its plugged ports, as Nova's {@code addresses} shows it.
   *
   * @param type {@link #FIXED} or {@link #FLOATING} (Nova's {@code OS-EXT-IPS:type})
   */
  public record Address(String networkName, int version, String addr, String mac, String type) {
    public static final String FIXED = "fixed";
    public static final String FLOATING = "floating";

    /** A fixed address. */
    public Address(String networkName, int version, String addr, String mac) {
      this(networkName, version, addr, mac, FIXED);
    }
  }

  /**
   * Nova's {@code host_status} (2.16): UP, DOWN, MAINTENANCE (the host's compute service is
   * disabled), or "" for a server that has no host.
   */
  public String hostStatus(Server server) {
    if (server.host() == null) {
      return "";
    }
    if (!fleet.isKnown(server.host())) {
      return "UNKNOWN";
    }
    if (!fleet.isUp(server.host())) {
      return "DOWN";
    }
    return fleet.isEnabled(server.host()) ? "UP" : "MAINTENANCE";
  }

  public Server get(String id) {
    return new ServerStore(db.sql()).find(id).orElseThrow(() -> notFound(id));
  }

  public Server visible(Actor actor, String id) {
    return new ServerStore(db.sql()).find(id).filter(s -> actor.owns(s.projectId())).orElseThrow(() -> notFound(id));
  }

  /**
   * Nova's tag filters (2.26): servers with all of {@code all}, with any of {@code any}, without
   * all of {@code notAll} (some may be there), without any of {@code notAny}. Empty means no
   * condition.
   */
  public record TagFilter(List<String> all, List<String> any, List<String> notAll, List<String> notAny) {
    public static final TagFilter NONE = new TagFilter(List.of(), List.of(), List.of(), List.of());

    public TagFilter {
      all = List.copyOf(all);
      any = List.copyOf(any);
      notAll = List.copyOf(notAll);
      notAny = List.copyOf(notAny);
    }

    boolean isEmpty() {
      return all.isEmpty() && any.isEmpty() && notAll.isEmpty() && notAny.isEmpty();
    }

    boolean matches(List<String> tags) {
      return tags.containsAll(all)
          && (any.isEmpty() || any.stream().anyMatch(tags::contains))
          && (notAll.isEmpty() || !tags.containsAll(notAll))
          && notAny.stream().noneMatch(tags::contains);
    }
  }

  /** One page of a list; {@code nextMarker} is null on the last page. */
  public record Page(List<Server> servers, String nextMarker) {}

  /**
   * What a page of servers shows from Networking, by server id: the addresses, port by port in
   * boot order (each fixed address followed by its floating IPs), and the names of the ports'
   * security groups (each once, sorted), as Nova shows a server's {@code addresses} and {@code
   * security_groups}.
   */
  public record NetworkDetails(Map<String, List<Address>> addresses, Map<String, List<String>> securityGroups) {}

  public Server update(Actor actor, String id, String name, String description, boolean setDescription) {
    return update(actor, id, name, description, setDescription, null);
  }

  /**
   * Renames the server, sets its description, and (when {@code attributes} is given) its access
   * addresses and disk config, all in one commit.
   */
  public Server update(
      Actor actor, String id, String name, String description, boolean setDescription, Server.Attributes attributes) {
    return edits.update(visible(actor, id), name, description, setDescription, attributes);
  }

  /** Sets metadata: {@code replace} drops the keys not given (PUT), else they are kept (POST). */
  public Map<String, String> setMetadata(Actor actor, String id, Map<String, String> metadata, boolean replace) {
    return edits.setMetadata(visible(actor, id), metadata, replace);
  }

  public void deleteMetadataKey(Actor actor, String id, String key) {
    edits.deleteMetadataKey(visible(actor, id), key);
  }

  public static ServiceException notFound(String id) {
    return ServiceException.notFound("InstanceNotFound", "Instance " + id + " could not be found.");
  }
}
