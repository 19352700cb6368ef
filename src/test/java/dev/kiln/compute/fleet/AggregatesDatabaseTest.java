package dev.kiln.compute.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.ComputeService;
import dev.kiln.store.Database;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Host aggregates on each database Kiln runs on (one subclass each): an aggregate's zone is the
 * zone the scheduler's walk filters on, racing requests cannot put one host in two zones nor give
 * two aggregates one name, and a zone does not change under running servers.
 */
abstract class AggregatesDatabaseTest {
  private static final List<String> HOSTS = List.of("kiln-compute-1", "kiln-compute-2", "kiln-compute-3");
  private static final Resources SMALL = new Resources(1, 512, 1);

  private Database db;
  private Fleet fleet;
  private Aggregates aggregates;

  protected abstract Database openNewDatabase();

  @BeforeEach
  void setUp() {
    db = openNewDatabase();
    ComputeService compute =
        ComputeService.start(db, Clock.systemUTC(), IdGenerator.random(), new SecureRandom(), FleetConfig.defaults(HOSTS));
    fleet = compute.fleet();
    aggregates = compute.aggregates();
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  private static List<Object> race(int n, Callable<Object> work) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Object>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
      for (int i = 0; i < n; i++) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  try {
                    return work.call();
                  } catch (ServiceException e) {
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

  @Test
  void anAggregatesZoneIsWhereTheSchedulerLooksForItsHosts() {
    Aggregate zone = aggregates.create("edge", "az-edge");
    assertThat(fleet.candidates(SMALL, "az-edge", null, Set.of(), 8)).isEmpty();
    aggregates.addHost(zone.id(), "kiln-compute-2");
    assertThat(fleet.candidates(SMALL, "az-edge", null, Set.of(), 8)).containsExactly("kiln-compute-2");
    assertThat(fleet.candidates(SMALL, "nova", null, Set.of(), 8))
        .containsExactlyInAnyOrder("kiln-compute-1", "kiln-compute-3");
    assertThat(fleet.hypervisor("kiln-compute-2").orElseThrow().availabilityZone()).isEqualTo("az-edge");
    assertThat(fleet.zoneAvailable("az-edge")).isTrue();

    aggregates.removeHost(zone.id(), "kiln-compute-2");
    assertThat(fleet.hypervisor("kiln-compute-2").orElseThrow().availabilityZone()).isEqualTo("nova");
    assertThat(fleet.zoneAvailable("az-edge")).isFalse();
  }

  @Test
  void racingZonesForOneHostLeaveItInExactlyOne() throws Exception {
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      ids.add(aggregates.create("zone-" + i, "az-" + i).id());
    }
    int[] next = {0};
    List<Object> outcomes =
        race(8, () -> {
          int id;
          synchronized (next) {
            id = ids.get(next[0]++);
          }
          return aggregates.addHost(id, "kiln-compute-1");
        });
    List<Aggregate> won = outcomes.stream().filter(o -> o instanceof Aggregate).map(o -> (Aggregate) o).toList();
    assertThat(won).hasSize(1);
    assertThat(outcomes.stream().filter(o -> o instanceof ServiceException))
        .allSatisfy(e -> assertThat(((ServiceException) e).kind()).isEqualTo(ServiceException.Kind.CONFLICT));
    assertThat(fleet.hypervisor("kiln-compute-1").orElseThrow().availabilityZone())
        .isEqualTo(won.getFirst().availabilityZone());
  }

  @Test
  void racingCreatesOfOneNameHaveOneWinner() throws Exception {
    List<Object> outcomes = race(8, () -> aggregates.create("same", null));
    assertThat(outcomes.stream().filter(o -> o instanceof Aggregate)).hasSize(1);
    assertThat(aggregates.list()).extracting(Aggregate::name).containsExactly("same");
  }

  @Test
  void aZoneDoesNotChangeUnderRunningServers() {
    Aggregate zone = aggregates.create("busy", "az-busy");
    aggregates.addHost(zone.id(), "kiln-compute-3");
    assertThat(fleet.claim("server-1", "kiln-compute-3", SMALL)).isTrue();
    assertThatThrownBy(() -> aggregates.update(zone.id(), null, true, "az-other"))
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.kind()).isEqualTo(ServiceException.Kind.INVALID));
    assertThat(aggregates.get(zone.id()).availabilityZone()).isEqualTo("az-busy");
    fleet.release("server-1");
    assertThat(aggregates.update(zone.id(), "calm", true, "az-other").availabilityZone()).isEqualTo("az-other");
    assertThat(fleet.hypervisor("kiln-compute-3").orElseThrow().availabilityZone()).isEqualTo("az-other");
  }
}
