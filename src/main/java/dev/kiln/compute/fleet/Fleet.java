package dev.kiln.compute.fleet;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.fleet.store.FleetStore;
import dev.kiln.network.ComputeHosts;
import dev.kiln.store.Database;
import dev.kiln.store.Sql;
import dev.kiln.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The simulated fleet: the configured compute hosts with their capacity, what is claimed on each,
 * and Nova's services. Capacity is claimed atomically ({@link #claim}): a claim that would
 * overcommit a host fails, however many race for it, on one node or many. Networking asks it
 * which hosts exist ({@link ComputeHosts}); the scheduler asks which accept instances.
 *
 * <p>Just over 400 lines: Nova's service records and availability zones are views of the same
 * configured hosts as the claims (a compute service is listed only for a known host, a zone is
 * available when one of its hosts accepts instances). They could become a class of their own that
 * asks this one about its hosts, if they grow.
 */
public final class Fleet implements ComputeHosts {
  public static final String COMPUTE_BINARY = "nova-compute";
  public static final String SCHEDULER_BINARY = "nova-scheduler";
  public static final String CONDUCTOR_BINARY = "nova-conductor";
  /** The host Nova's control services run on. */
  public static final String CONTROL_HOST = "kiln";
  /** Nova's zone for services that are not compute services. */
  public static final String INTERNAL_ZONE = "internal";

  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  private final List<HostSpec> hosts;
  private final Set<String> hostNames;
  private final Instant startedAt;
  private volatile HostedServers hostedServers = HostedServers.NONE;

  public Fleet(Database db, Clock clock, IdGenerator ids, List<HostSpec> hosts) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.hosts = List.copyOf(hosts);
    Set<String> names = new LinkedHashSet<>();
    this.hosts.forEach(h -> names.add(h.name()));
    this.hostNames = Set.copyOf(names);
    this.startedAt = clock.instant();
  }

  /**
   * Records the configured hosts and their services: new ones are added, existing ones keep their
   * ids, usage and service state and take the configured capacity and zone. Safe to run on
   * several nodes at once.
   */
  public void register() {
    Instant now = now();
    db.inTransaction(
        sql -> {
          // Read first and write only what is new or changed: a restart with the same fleet
          // writes nothing (on H2 each insert that conflicts also costs an exception).
          FleetStore store = new FleetStore(sql);
          Set<String> services = new HashSet<>();
          for (HostService service : store.services()) {
            services.add(serviceKey(service.host(), service.binary()));
          }
          Map<String, HostSpec> registered = store.registeredHosts();
          registerServiceIfNew(store, services, CONTROL_HOST, SCHEDULER_BINARY, now);
          registerServiceIfNew(store, services, CONTROL_HOST, CONDUCTOR_BINARY, now);
          for (HostSpec host : hosts) {
            if (!sameConfiguration(host, registered.get(host.name()))) {
              store.registerHost(host, ids.uuid(), now);
            }
            registerServiceIfNew(store, services, host.name(), COMPUTE_BINARY, now);
          }
          return null;
        });
  }

  private void registerServiceIfNew(FleetStore store, Set<String> services, String host, String binary, Instant now) {
    if (!services.contains(serviceKey(host, binary))) {
      store.registerService(host, binary, ids.uuid(), now);
    }
  }

  private static String serviceKey(String host, String binary) {
    return host + "\n" + binary;
  }

  /**
   * Field by field rather than the records' own equals: theirs is bootstrapped on first use, a
   * cost each start would pay here for a comparison made once.
   */
  private static boolean sameConfiguration(HostSpec wanted, HostSpec registered) {
    return registered != null
        && wanted.availabilityZone().equals(registered.availabilityZone())
        && wanted.capacity().vcpus() == registered.capacity().vcpus()
        && wanted.capacity().ramMb() == registered.capacity().ramMb()
        && wanted.capacity().diskGb() == registered.capacity().diskGb();
  }

  /** Plugs in the servers service, which knows the servers on each host. */
  public void hostedServers(HostedServers servers) {
    this.hostedServers = requireNonNull(servers, "servers is null");
  }

  public HostedServers hostedServers() {
    return hostedServers;
  }

  // Hosts

  /** The configured hosts, in configuration order. */
  public List<HostSpec> hosts() {
    return hosts;
  }

  @Override
  public boolean isKnown(String host) {
    return host != null && hostNames.contains(host);
  }

  /** Whether the host's compute service is enabled (an operator can disable it). */
  public boolean isEnabled(String host) {
    return hypervisor(host).map(h -> !h.service().disabled()).orElse(false);
  }

  /** Whether the host's compute service is up (it is, unless an operator forced it down). */
  public boolean isUp(String host) {
    return hypervisor(host).map(h -> h.service().isUp()).orElse(false);
  }

  /** Every configured host with its usage and service, by hypervisor id. */
  public List<Hypervisor> hypervisors() {
    return store().hypervisors().stream().filter(h -> isKnown(h.hostname())).toList();
  }

  /**
   * Up to {@code limit} hosts this node knows that could take {@code amount} now, best first (see
   * {@link FleetStore#candidates}). Hosts the database has but this node's configuration no longer
   * lists are passed over, reading further down the list when a page holds only such hosts.
   */
  public List<String> candidates(Resources amount, String zone, String onlyHost, Set<String> excluded, int limit) {
    for (int page = limit; ; page *= 4) {
      List<String> found = store().candidates(amount, zone, onlyHost, excluded, page);
      List<String> known = found.stream().filter(this::isKnown).limit(limit).toList();
      if (!known.isEmpty() || found.size() < page) {
        return known;
      }
    }
  }

  public Optional<Hypervisor> hypervisor(String host) {
    return isKnown(host) ? store().hypervisor(host) : Optional.empty();
  }

  /** What the host has left to claim. */
  public Resources free(String host) {
    return hypervisor(host).orElseThrow(() -> hostNotFound(host)).free();
  }

  /** How long this node's fleet has been up, for the hypervisor uptime report. */
  public Duration uptime() {
    Duration d = Duration.between(startedAt, clock.instant());
    return d.isNegative() ? Duration.ZERO : d;
  }

  /** The fleet's clock, for reports. */
  public Instant time() {
    return clock.instant();
  }

  /** The sum over the fleet, for {@code os-hypervisors/statistics}. */
  public Statistics statistics() {
    List<Hypervisor> all = hypervisors();
    Resources capacity = Resources.NONE;
    Resources used = Resources.NONE;
    Resources free = Resources.NONE;
    int vms = 0;
    for (Hypervisor h : all) {
      capacity = capacity.plus(h.capacity());
      used = used.plus(h.used());
      free = free.plus(h.free());
      vms += h.runningVms();
    }
    return new Statistics(all.size(), capacity, used, free, vms);
  }

  /** Fleet totals. */
  public record Statistics(int count, Resources capacity, Resources used, Resources free, int runningVms) {}

  // Claims

  /**
   * Claims {@code amount} on {@code host} for {@code consumerId} (a server id, or a migration id
   * for a resize's destination) with one conditional update that fails when the host would be
   * overcommitted. Answers whether the claim is held. Claiming again what the consumer already
   * holds on that host succeeds without counting twice, so a retried task step is harmless.
   *
   * @throws ServiceException NOT_FOUND when the host is not in the fleet
   * @throws IllegalStateException when the consumer holds a different claim
   */
  public boolean claim(String consumerId, String host, Resources amount) {
    requireNonNull(consumerId, "consumerId is null");
    requireNonNull(amount, "amount is null");
    if (!isKnown(host)) {
      throw hostNotFound(host);
    }
    try {
      return db.inTransaction(sql -> claimWith(new FleetStore(sql), consumerId, host, amount));
    } catch (StoreException e) {
      if (e.kind() == StoreException.Kind.DUPLICATE) {
        // The same consumer claimed concurrently and won; this attempt was rolled back.
        return findClaim(consumerId).map(c -> sameClaim(c, host, amount)).orElse(false);
      }
      throw e;
    }
  }

  /**
   * Claims as {@link #claim(String, String, Resources)} does, inside the caller's transaction: for
   * a placement that holds other locks (a server group's) until the claim is made.
   */
  public boolean claim(Sql sql, String consumerId, String host, Resources amount) {
    requireNonNull(consumerId, "consumerId is null");
    requireNonNull(amount, "amount is null");
    if (!isKnown(host)) {
      throw hostNotFound(host);
    }
    return claimWith(new FleetStore(sql), consumerId, host, amount);
  }

  private boolean claimWith(FleetStore store, String consumerId, String host, Resources amount) {
    Optional<Claim> held = store.findClaim(consumerId);
    if (held.isPresent()) {
      return sameClaim(held.get(), host, amount);
    }
    if (!store.addUsage(host, amount)) {
      return false;
    }
    store.insertClaim(new Claim(consumerId, host, amount, now()));
    return true;
  }

  /**
   * Gives back what the consumer holds; answers the claim released, or empty when it held nothing
   * (already released: releasing twice is harmless).
   */
  public Optional<Claim> release(String consumerId) {
    requireNonNull(consumerId, "consumerId is null");
    return db.inTransaction(
        sql -> {
          FleetStore store = new FleetStore(sql);
          Optional<Claim> held = store.findClaim(consumerId);
          if (held.isEmpty() || store.deleteClaim(consumerId) == 0) {
            return Optional.empty();
          }
          store.subtractUsage(held.get().host(), held.get().resources());
          return held;
        });
  }

  /**
   * Hands a claim from one consumer to another (a confirmed resize: the migration's claim becomes
   * the server's); answers whether {@code from} held one.
   *
   * @throws IllegalStateException when {@code to} already holds a claim
   */
  public boolean transferClaim(String from, String to) {
    requireNonNull(from, "from is null");
    requireNonNull(to, "to is null");
    try {
      return db.inTransaction(sql -> new FleetStore(sql).renameClaim(from, to) == 1);
    } catch (StoreException e) {
      if (e.kind() == StoreException.Kind.DUPLICATE) {
        throw new IllegalStateException(to + " already holds a claim; release it before transferring " + from + "'s");
      }
      throw e;
    }
  }

  public Optional<Claim> findClaim(String consumerId) {
    return store().findClaim(consumerId);
  }

  public List<Claim> claimsOn(String host) {
    return store().claimsOn(host);
  }

  private static boolean sameClaim(Claim held, String host, Resources amount) {
    if (held.host().equals(host) && held.resources().equals(amount)) {
      return true;
    }
    throw new IllegalStateException(
        held.consumerId() + " already holds " + held.resources() + " on " + held.host()
            + "; release it before claiming " + amount + " on " + host);
  }

  // Services

  /** Nova's services, as {@code os-services} lists them; simulated heartbeats are current. */
  public List<HostService> services() {
    Instant now = now();
    return store().services().stream()
        .filter(s -> !s.isCompute() || isKnown(s.host()))
        .map(s -> heartbeat(s, now))
        .toList();
  }

  public Optional<HostService> service(String uuid) {
    return store().serviceByUuid(uuid).filter(s -> !s.isCompute() || isKnown(s.host())).map(s -> heartbeat(s, now()));
  }

  /**
   * What an update changes; null leaves a field as it is. Enabling clears the disabled reason;
   * disabling sets it to {@code disabledReason} (null for none).
   */
  public record ServiceChange(Boolean disabled, String disabledReason, Boolean forcedDown) {}

  /** Updates the service with this uuid (microversion 2.53 and later). */
  public HostService updateService(String uuid, ServiceChange change) {
    HostService service =
        service(uuid)
            .orElseThrow(
                () -> ServiceException.notFound("ServiceNotFound", "Service " + uuid + " could not be found."));
    return update(service, change);
  }

  /** Updates the service {@code binary} on {@code host} (before microversion 2.53). */
  public HostService updateService(String host, String binary, ServiceChange change) {
    if (!COMPUTE_BINARY.equals(binary)) {
      throw notUpdatable(binary);
    }
    HostService service =
        (isKnown(host) ? store().service(host, binary) : Optional.<HostService>empty())
            .orElseThrow(
                () ->
                    ServiceException.notFound(
                        "HostBinaryNotFound", "Could not find binary " + binary + " on host " + host + "."));
    return update(service, change);
  }

  private HostService update(HostService service, ServiceChange change) {
    if (!service.isCompute()) {
      throw notUpdatable(service.binary());
    }
    boolean disabled = change.disabled() == null ? service.disabled() : change.disabled();
    String reason =
        change.disabled() == null ? service.disabledReason() : change.disabled() ? change.disabledReason() : null;
    boolean forcedDown = change.forcedDown() == null ? service.forcedDown() : change.forcedDown();
    Instant now = now();
    store().updateService(service.uuid(), disabled, reason, forcedDown, now);
    return new HostService(
        service.id(), service.uuid(), service.host(), service.binary(), service.zone(), disabled, reason,
        forcedDown, now);
  }

  private static ServiceException notUpdatable(String binary) {
    return ServiceException.invalid(
        "HTTPBadRequest",
        "Updating a " + binary + " service is not supported. Only nova-compute services can be updated.");
  }

  // Availability zones

  /**
   * The zones as Nova lists them: every zone with an enabled service is available (with those
   * services), then the zones whose services are all disabled. The internal zone is included;
   * the API hides it from the summary.
   */
  public List<AvailabilityZone> zones() {
    Map<String, List<HostService>> available = new LinkedHashMap<>();
    Set<String> disabledOnly = new LinkedHashSet<>();
    List<HostService> all = services();
    for (HostService s : all) {
      if (!s.disabled()) {
        available.computeIfAbsent(s.zone(), z -> new ArrayList<>()).add(s);
      }
    }
    for (HostService s : all) {
      if (s.disabled() && !available.containsKey(s.zone())) {
        disabledOnly.add(s.zone());
      }
    }
    List<AvailabilityZone> zones = new ArrayList<>();
    available.forEach((zone, services) -> zones.add(new AvailabilityZone(zone, true, services)));
    disabledOnly.forEach(zone -> zones.add(new AvailabilityZone(zone, false, List.of())));
    return zones;
  }

  /** Whether new instances may be placed in this zone: one of its compute hosts accepts them. */
  public boolean zoneAvailable(String zone) {
    return hypervisors().stream().anyMatch(h -> h.availabilityZone().equals(zone) && h.acceptsInstances());
  }

  // Helpers

  private HostService heartbeat(HostService s, Instant now) {
    return new HostService(
        s.id(), s.uuid(), s.host(), s.binary(), s.zone(), s.disabled(), s.disabledReason(), s.forcedDown(),
        s.forcedDown() && s.updatedAt() != null ? s.updatedAt() : now);
  }

  static ServiceException hostNotFound(String host) {
    return ServiceException.notFound("ComputeHostNotFound", "Compute host " + host + " could not be found.");
  }

  private FleetStore store() {
    return new FleetStore(db.sql());
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
