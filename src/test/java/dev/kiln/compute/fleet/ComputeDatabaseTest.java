package dev.kiln.compute.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.ComputeService;
import dev.kiln.compute.catalog.Flavor;
import dev.kiln.compute.catalog.Flavors;
import dev.kiln.compute.catalog.Keypair;
import dev.kiln.compute.catalog.Keypairs;
import dev.kiln.compute.catalog.SshKeysTest;
import dev.kiln.store.Database;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The compute service on each database Kiln runs on (one subclass each): atomic claims that never
 * overcommit a host however many race, idempotent claims and releases, registration, services,
 * "fail the next N" faults taken exactly N times, and the flavor and keypair races.
 */
abstract class ComputeDatabaseTest {
  private static final int THREADS = 16;
  private static final Actor ADMIN = new Actor("admin-project", "admin", true);
  private static final Actor ALICE = new Actor("project-a", "alice", false);
  private static final Actor BOB = new Actor("project-b", "bob", false);
  private static final List<String> HOSTS = List.of("kiln-compute-1", "kiln-compute-2", "kiln-compute-3");

  private Database db;
  private ComputeService compute;
  private Fleet fleet;

  protected abstract Database openNewDatabase();

  @BeforeEach
  void setUp() {
    db = openNewDatabase();
    compute = start(FleetConfig.defaults(HOSTS));
    fleet = compute.fleet();
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  private ComputeService start(FleetConfig config) {
    return ComputeService.start(db, Clock.systemUTC(), IdGenerator.random(), new SecureRandom(), config);
  }

  /** Runs {@code work} on {@code n} threads at once; answers each outcome (a value or a refusal). */
  private static <T> List<Object> race(int n, Callable<T> work) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Object>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
      for (int i = 0; i < n; i++) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  try {
                    return work.call();
                  } catch (ServiceException | HypervisorException e) {
                    return e;
                  }
                }));
      }
      start.countDown();
      List<Object> outcomes = new ArrayList<>();
      for (Future<Object> f : futures) {
        outcomes.add(f.get());
      }
      return outcomes;
    }
  }

  // Claims

  @Test
  void parallelClaimsOnANearlyFullHostGrantExactlyTheOnesThatFit() throws Exception {
    String host = "kiln-compute-2";
    // 16 vCPUs, 32768 MiB, 1000 GiB: leave room for exactly five 1-vCPU, 512 MiB, 10 GiB servers.
    assertThat(fleet.claim("big", host, new Resources(11, 30_000, 100))).isTrue();
    AtomicInteger n = new AtomicInteger();
    List<Object> outcomes = race(40, () -> fleet.claim("vm-" + n.getAndIncrement(), host, new Resources(1, 512, 10)));

    assertThat(outcomes).filteredOn(Boolean.TRUE::equals).hasSize(5);
    assertThat(outcomes).filteredOn(Boolean.FALSE::equals).hasSize(35);
    Hypervisor h = fleet.hypervisor(host).orElseThrow();
    assertThat(h.used()).isEqualTo(new Resources(16, 32_560, 150));
    assertThat(h.runningVms()).isEqualTo(6);
    assertThat(fleet.claimsOn(host)).hasSize(6);
    // The other hosts are untouched.
    assertThat(fleet.hypervisor("kiln-compute-1").orElseThrow().used()).isEqualTo(Resources.NONE);
  }

  @Test
  void parallelClaimsLimitedByRamAlsoNeverOvercommit() throws Exception {
    String host = "kiln-compute-1";
    AtomicInteger n = new AtomicInteger();
    // 32768 MiB fits seven 4500 MiB claims; vCPUs and disk would take many more.
    List<Object> outcomes = race(30, () -> fleet.claim("vm-" + n.getAndIncrement(), host, new Resources(1, 4_500, 1)));
    assertThat(outcomes).filteredOn(Boolean.TRUE::equals).hasSize(7);
    assertThat(fleet.hypervisor(host).orElseThrow().used()).isEqualTo(new Resources(7, 31_500, 7));
  }

  @Test
  void claimingAgainIsHarmlessAndReleasingGivesBackExactlyOnce() throws Exception {
    String host = "kiln-compute-3";
    Resources size = new Resources(2, 4096, 40);
    assertThat(fleet.claim("server-1", host, size)).isTrue();
    // A retried task step claims again: held once.
    List<Object> retries = race(8, () -> fleet.claim("server-1", host, size));
    assertThat(retries).containsOnly(Boolean.TRUE);
    assertThat(fleet.hypervisor(host).orElseThrow().used()).isEqualTo(size);
    assertThatThrownBy(() -> fleet.claim("server-1", "kiln-compute-1", size))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already holds");

    List<Object> releases = race(8, () -> fleet.release("server-1"));
    assertThat(releases).filteredOn(o -> ((Optional<?>) o).isPresent()).hasSize(1);
    assertThat(fleet.hypervisor(host).orElseThrow().used()).isEqualTo(Resources.NONE);
    assertThat(fleet.release("server-1")).isEmpty();
    assertThat(fleet.findClaim("server-1")).isEmpty();
  }

  @Test
  void aClaimThatDoesNotFitChangesNothing() {
    assertThat(fleet.claim("huge", "kiln-compute-1", new Resources(17, 1, 1))).isFalse();
    assertThat(fleet.claim("fits", "kiln-compute-1", new Resources(16, 32_768, 1_000))).isTrue();
    assertThat(fleet.claim("one-more", "kiln-compute-1", new Resources(0, 0, 1))).isFalse();
    assertThat(fleet.findClaim("huge")).isEmpty();
    assertThat(fleet.free("kiln-compute-1")).isEqualTo(Resources.NONE);
    assertThatThrownBy(() -> fleet.claim("x", "no-such-host", new Resources(1, 1, 1)))
        .isInstanceOf(ServiceException.class)
        .hasFieldOrPropertyWithValue("kind", ServiceException.Kind.NOT_FOUND)
        .hasMessage("Compute host no-such-host could not be found.");
  }

  @Test
  void aClaimCanBeHandedToAnotherConsumer() {
    Resources size = new Resources(1, 512, 1);
    fleet.claim("migration-1", "kiln-compute-2", size);
    fleet.claim("server-9", "kiln-compute-1", size);
    assertThatThrownBy(() -> fleet.transferClaim("migration-1", "server-9")).isInstanceOf(IllegalStateException.class);
    fleet.release("server-9");
    assertThat(fleet.transferClaim("migration-1", "server-9")).isTrue();
    assertThat(fleet.findClaim("server-9").orElseThrow().host()).isEqualTo("kiln-compute-2");
    assertThat(fleet.transferClaim("migration-1", "server-10")).isFalse();
  }

  // Registration and services

  @Test
  void registeringAgainKeepsIdsUsageAndStateAndAppliesTheNewCapacity() {
    Hypervisor before = fleet.hypervisor("kiln-compute-1").orElseThrow();
    fleet.claim("s", "kiln-compute-1", new Resources(1, 512, 1));
    HostService compute1 = fleet.hypervisor("kiln-compute-1").orElseThrow().service();
    fleet.updateService(compute1.uuid(), new Fleet.ServiceChange(true, "maintenance", null));

    FleetConfig bigger =
        FleetConfig.of(
            List.of("kiln-compute-1", "kiln-compute-4"), new Resources(64, 131_072, 4_000),
            Map.of("kiln-compute-4", "az2"), "zero", Map.of());
    Fleet again = start(bigger).fleet();

    Hypervisor after = again.hypervisor("kiln-compute-1").orElseThrow();
    assertThat(after.id()).isEqualTo(before.id());
    assertThat(after.uuid()).isEqualTo(before.uuid());
    assertThat(after.capacity()).isEqualTo(new Resources(64, 131_072, 4_000));
    assertThat(after.used()).isEqualTo(new Resources(1, 512, 1));
    assertThat(after.service().disabled()).isTrue();
    assertThat(after.service().disabledReason()).isEqualTo("maintenance");
    // Only configured hosts are part of this fleet.
    assertThat(again.hypervisors()).extracting(Hypervisor::hostname).containsExactly("kiln-compute-1", "kiln-compute-4");
    assertThat(again.isKnown("kiln-compute-2")).isFalse();
    assertThat(again.hypervisor("kiln-compute-4").orElseThrow().availabilityZone()).isEqualTo("az2");
  }

  @Test
  void theSchedulerPicksTheHostWithMostFreeRamAndSpreadsBoots() {
    Scheduler scheduler = new Scheduler(db, fleet);
    Resources tiny = new Resources(1, 512, 1);
    fleet.claim("earlier", "kiln-compute-1", new Resources(1, 4_096, 1));
    fleet.claim("earlier-2", "kiln-compute-2", new Resources(1, 2_048, 1));
    // compute-3 has the most free RAM, then compute-2, then compute-1.
    assertThat(scheduler.selectAndClaim(Scheduler.Request.boot("s1", tiny, null)).orElseThrow().hostname())
        .isEqualTo("kiln-compute-3");
    List<String> next = new ArrayList<>();
    for (int i = 2; i <= 13; i++) {
      next.add(scheduler.selectAndClaim(Scheduler.Request.boot("s" + i, tiny, null)).orElseThrow().hostname());
    }
    // 2,048 MB apart: compute-3 takes 3 more before compute-2 catches up, and so on, and a
    // release is seen at once (the free-RAM column follows every claim and release).
    assertThat(next.subList(0, 3)).containsOnly("kiln-compute-3");
    fleet.release("earlier");
    assertThat(scheduler.selectAndClaim(Scheduler.Request.boot("after-release", tiny, null)).orElseThrow().hostname())
        .isEqualTo("kiln-compute-1");
    for (Hypervisor h : fleet.hypervisors()) {
      int claimed = fleet.claimsOn(h.hostname()).stream().mapToInt(c -> c.resources().ramMb()).sum();
      assertThat(h.used().ramMb()).as(h.hostname()).isEqualTo(claimed);
    }
  }

  @Test
  void theSchedulerSkipsDisabledDownExcludedAndFullHostsAndKeepsToTheZoneAndTheRequestedHost() {
    Scheduler scheduler = new Scheduler(db, fleet);
    Resources tiny = new Resources(1, 512, 1);
    fleet.updateService("kiln-compute-1", Fleet.COMPUTE_BINARY, new Fleet.ServiceChange(true, "maintenance", null));
    HostService two = fleet.updateService("kiln-compute-2", Fleet.COMPUTE_BINARY, new Fleet.ServiceChange(null, null, true));
    assertThat(scheduler.selectAndClaim(Scheduler.Request.boot("a", tiny, null)).orElseThrow().hostname())
        .isEqualTo("kiln-compute-3");
    Scheduler.Request notThree = new Scheduler.Request("b", "b", tiny, null, Set.of("kiln-compute-3"), null);
    assertThat(scheduler.selectAndClaim(notThree)).isEmpty();
    fleet.updateService(two.uuid(), new Fleet.ServiceChange(null, null, false));
    assertThat(scheduler.selectAndClaim(notThree).orElseThrow().hostname()).isEqualTo("kiln-compute-2");
    assertThat(scheduler.selectAndClaim(Scheduler.Request.boot("c", tiny, "elsewhere"))).isEmpty();
    Scheduler.Request onThree = new Scheduler.Request("d", "d", tiny, FleetConfig.DEFAULT_ZONE, Set.of(), "kiln-compute-3");
    assertThat(scheduler.selectAndClaim(onThree).orElseThrow().hostname()).isEqualTo("kiln-compute-3");
    Resources huge = new Resources(1, FleetConfig.DEFAULT_CAPACITY.ramMb(), 1);
    assertThat(scheduler.selectAndClaim(Scheduler.Request.boot("e", huge, null))).isEmpty();
  }

  @Test
  void parallelBootsThroughTheSchedulerFillTheFleetExactlyAndNeverOvercommit() throws Exception {
    Scheduler scheduler = new Scheduler(db, fleet);
    // Each host holds 32 of these by RAM: 96 fit in the fleet, 120 try.
    Resources quarter = new Resources(0, FleetConfig.DEFAULT_CAPACITY.ramMb() / 32, 0);
    AtomicInteger n = new AtomicInteger();
    List<Object> outcomes =
        race(120, () -> scheduler.selectAndClaim(Scheduler.Request.boot("b" + n.incrementAndGet(), quarter, null)));
    assertThat(outcomes.stream().filter(o -> o instanceof Optional<?> h && h.isPresent()).count()).isEqualTo(96);
    for (Hypervisor h : fleet.hypervisors()) {
      assertThat(h.free().ramMb()).as(h.hostname()).isZero();
    }
  }

  @Test
  void disablingAComputeServiceIsReportedAndSeenByTheScheduler() {
    assertThat(fleet.isEnabled("kiln-compute-3")).isTrue();
    HostService service =
        fleet.updateService("kiln-compute-3", Fleet.COMPUTE_BINARY, new Fleet.ServiceChange(true, "broken fan", null));
    assertThat(service.disabled()).isTrue();
    assertThat(fleet.isEnabled("kiln-compute-3")).isFalse();
    assertThat(fleet.isUp("kiln-compute-3")).isTrue();
    assertThat(fleet.hypervisor("kiln-compute-3").orElseThrow().acceptsInstances()).isFalse();

    fleet.updateService(service.uuid(), new Fleet.ServiceChange(null, null, true));
    assertThat(fleet.isUp("kiln-compute-3")).isFalse();
    fleet.updateService(service.uuid(), new Fleet.ServiceChange(false, null, false));
    HostService back = fleet.service(service.uuid()).orElseThrow();
    assertThat(back.disabled()).isFalse();
    assertThat(back.disabledReason()).isNull();
    assertThat(fleet.isEnabled("kiln-compute-3")).isTrue();

    assertThatThrownBy(
            () -> fleet.updateService(Fleet.CONTROL_HOST, Fleet.SCHEDULER_BINARY, new Fleet.ServiceChange(true, null, null)))
        .hasFieldOrPropertyWithValue("kind", ServiceException.Kind.INVALID);
    assertThatThrownBy(() -> fleet.updateService("nowhere", Fleet.COMPUTE_BINARY, new Fleet.ServiceChange(true, null, null)))
        .hasFieldOrPropertyWithValue("kind", ServiceException.Kind.NOT_FOUND)
        .hasMessage("Could not find binary nova-compute on host nowhere.");
  }

  @Test
  void servicesAndZonesDescribeTheFleet() {
    assertThat(fleet.services())
        .extracting(s -> s.host() + "/" + s.binary() + "/" + s.zone())
        .containsExactly(
            "kiln/nova-scheduler/internal",
            "kiln/nova-conductor/internal",
            "kiln-compute-1/nova-compute/nova",
            "kiln-compute-2/nova-compute/nova",
            "kiln-compute-3/nova-compute/nova");
    assertThat(fleet.zones()).extracting(AvailabilityZone::name).containsExactly("internal", "nova");
    for (String host : HOSTS) {
      fleet.updateService(host, Fleet.COMPUTE_BINARY, new Fleet.ServiceChange(true, null, null));
    }
    assertThat(fleet.zones())
        .extracting(z -> z.name() + "=" + z.available())
        .containsExactly("internal=true", "nova=false");
    assertThat(fleet.zoneAvailable("nova")).isFalse();
  }

  // Fault injection

  @Test
  void failNextNFailsExactlyNCallsHoweverManyRace() throws Exception {
    compute.driverSettings().put(
        new DriverSetting(DriverOperation.SPAWN, Duration.ZERO, new FaultRule(5, 0.0, null, "no capacity today")));
    AtomicInteger n = new AtomicInteger();
    List<Object> outcomes =
        race(
            30,
            () -> {
              compute.driver().spawn(spawn("i-" + n.getAndIncrement(), "kiln-compute-1"));
              return "ok";
            });
    assertThat(outcomes).filteredOn(HypervisorException.class::isInstance).hasSize(5)
        .allSatisfy(e -> assertThat(((HypervisorException) e).getMessage()).isEqualTo("no capacity today"));
    assertThat(compute.driverSettings().get(DriverOperation.SPAWN).faults().failNext()).isZero();
  }

  @Test
  void aFaultLimitedToOneHostFailsOnlyThere() {
    compute.driverSettings().put(
        new DriverSetting(DriverOperation.REBOOT, Duration.ZERO, new FaultRule(0, 1.0, "kiln-compute-2", null)));
    HypervisorDriver driver = compute.driver();
    driver.reboot(new HypervisorDriver.InstanceRef("a", "kiln-compute-1"), HypervisorDriver.RebootType.SOFT);
    assertThatThrownBy(() -> driver.reboot(new HypervisorDriver.InstanceRef("b", "kiln-compute-2"), HypervisorDriver.RebootType.HARD))
        .isInstanceOf(HypervisorException.class)
        .hasMessage("Simulated failure of reboot for instance b on kiln-compute-2 (injected through os-kiln-faults).");
    // A migration fails when either end is the host.
    compute.driverSettings().put(
        new DriverSetting(DriverOperation.LIVE_MIGRATE, Duration.ZERO, new FaultRule(0, 1.0, "kiln-compute-2", null)));
    assertThatThrownBy(
            () -> driver.liveMigrate(new HypervisorDriver.LiveMigrationRequest("c", "kiln-compute-1", "kiln-compute-2", false)))
        .isInstanceOf(HypervisorException.class);
    driver.liveMigrate(new HypervisorDriver.LiveMigrationRequest("c", "kiln-compute-1", "kiln-compute-3", false));
    // A restart applies the configuration again: no faults.
    start(FleetConfig.defaults(HOSTS));
    driver.reboot(new HypervisorDriver.InstanceRef("b", "kiln-compute-2"), HypervisorDriver.RebootType.HARD);
  }

  static HypervisorDriver.SpawnRequest spawn(String id, String host) {
    return new HypervisorDriver.SpawnRequest(
        new HypervisorDriver.InstanceRef(id, host), id, new Resources(1, 512, 1), "image", List.of(), List.of());
  }

  // Flavors and keypairs

  @Test
  void defaultFlavorsComeWithTheDatabase() {
    List<Flavor> all = compute.flavors().list(ALICE, Flavors.ListQuery.all()).flavors();
    assertThat(all).extracting(f -> f.id() + ":" + f.name() + ":" + f.vcpus() + ":" + f.ramMb() + ":" + f.diskGb())
        .containsExactly("1:m1.tiny:1:512:1", "2:m1.small:1:2048:20", "3:m1.medium:2:4096:40", "4:m1.large:4:8192:80");
    assertThat(compute.flavors().get(ALICE, "3").resources()).isEqualTo(new Resources(2, 4096, 40));
  }

  @Test
  void concurrentCreatesOfOneFlavorNameMakeOneFlavor() throws Exception {
    List<Object> outcomes =
        race(
            8,
            () ->
                compute.flavors().create(
                    ADMIN, new Flavors.Spec(null, "racy", 1, 256, 1, 0, 0, 1.0, true, null)));
    assertThat(outcomes).filteredOn(Flavor.class::isInstance).hasSize(1);
    assertThat(outcomes).filteredOn(ServiceException.class::isInstance).hasSize(7)
        .allSatisfy(e -> assertThat(((ServiceException) e).type()).isEqualTo("FlavorExists"));
  }

  @Test
  void privateFlavorsAreSeenOnlyByProjectsGivenAccess() {
    Flavors flavors = compute.flavors();
    Flavor secret =
        flavors.create(ADMIN, new Flavors.Spec("secret", "secret", 2, 1024, 10, 5, 1536, 1.0, false, "for A"));
    assertThat(secret.resources()).isEqualTo(new Resources(2, 1024, 17));
    assertThat(secret.resources(true)).isEqualTo(new Resources(2, 1024, 7));
    assertThat(flavors.find(ALICE, "secret")).isEmpty();
    flavors.addAccess(ADMIN, "secret", "project-a", true);
    assertThat(flavors.get(ALICE, "secret").name()).isEqualTo("secret");
    assertThat(flavors.find(BOB, "secret")).isEmpty();
    assertThat(flavors.list(ALICE, Flavors.ListQuery.all()).flavors()).extracting(Flavor::id).contains("secret");
    assertThat(flavors.list(BOB, Flavors.ListQuery.all()).flavors()).extracting(Flavor::id).doesNotContain("secret");
    assertThatThrownBy(() -> flavors.addAccess(ADMIN, "secret", "project-a", true))
        .hasFieldOrPropertyWithValue("type", "FlavorAccessExists");
    assertThatThrownBy(() -> flavors.addAccess(ADMIN, "1", "project-a", true))
        .hasFieldOrPropertyWithValue("kind", ServiceException.Kind.CONFLICT)
        .hasMessage("Can not add access to a public flavor.");
    assertThatThrownBy(() -> flavors.create(ALICE, new Flavors.Spec(null, "mine", 1, 1, 1, 0, 0, 1.0, true, null)))
        .hasFieldOrPropertyWithValue("kind", ServiceException.Kind.FORBIDDEN)
        .hasMessage("Policy doesn't allow os_compute_api:os-flavor-manage:create to be performed.");
  }

  @Test
  void keypairsBelongToTheirUserAndNamesAreUniquePerUser() throws Exception {
    Keypairs keypairs = compute.keypairs();
    String key = SshKeysTest.ED25519;
    keypairs.importKey(ALICE, null, "mine", key, null);
    keypairs.importKey(BOB, null, "mine", key, null);
    assertThat(keypairs.find("alice", "mine")).isPresent();
    assertThat(keypairs.list(BOB, null, null, null).keypairs()).extracting(Keypair::userId).containsExactly("bob");
    assertThatThrownBy(() -> keypairs.get(ALICE, "bob", "mine"))
        .hasFieldOrPropertyWithValue("kind", ServiceException.Kind.FORBIDDEN);
    assertThat(keypairs.get(ADMIN, "bob", "mine").userId()).isEqualTo("bob");

    List<Object> outcomes = race(8, () -> keypairs.importKey(ALICE, null, "racy", key, "ssh"));
    assertThat(outcomes).filteredOn(Keypair.class::isInstance).hasSize(1);
    assertThat(outcomes).filteredOn(ServiceException.class::isInstance).hasSize(7)
        .allSatisfy(e -> assertThat(((ServiceException) e).getMessage()).isEqualTo("Key pair 'racy' already exists."));
  }
}
