package dev.kiln.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.store.Database;
import dev.kiln.store.TestPostgres;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Address allocation under concurrency, on each database: parallel port creates on a small subnet
 * get distinct addresses until the pool is empty, then a clean IpAddressGenerationFailure.
 */
abstract class AddressAllocationTest {
  private static final Actor TENANT = new Actor("tenant-1", "user-1", false);

  private Database db;
  private NetworkService network;

  protected abstract Database openDatabase();

  @BeforeEach
  void setUp() {
    db = openDatabase();
    network = NetworkService.create(db, Clock.systemUTC(), IdGenerator.random(), new Random(), Set.of("h")::contains);
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  @Test
  void parallelCreatesNeverShareAnAddress() throws Exception {
    String net = network.networks().create(TENANT, new Networks.Spec(null, "n", null, null, null, null, null, null)).id();
    network.subnets().create(
        TENANT, new Subnets.Spec(null, net, "s", null, 4, "10.9.0.0/28", false, null, null, null, null, null, null, null));
    int requests = 20; // .2 to .14: thirteen addresses
    List<String> addresses = new ArrayList<>();
    int refused = 0;
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<Future<Object>> futures = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        futures.add(
            pool.submit(
                () -> {
                  try {
                    return network.ports().create(
                        TENANT, new Ports.Spec(null, net, null, null, null, null, null, null, null, null, null, null, null, null));
                  } catch (ServiceException e) {
                    return e;
                  }
                }));
      }
      for (Future<Object> f : futures) {
        Object outcome = f.get();
        if (outcome instanceof Port port) {
          addresses.add(port.fixedIps().getFirst().ipAddress());
        } else {
          assertThat(((ServiceException) outcome).type()).isEqualTo("IpAddressGenerationFailure");
          refused++;
        }
      }
    }
    assertThat(addresses).hasSize(13).doesNotHaveDuplicates();
    assertThat(refused).isEqualTo(7);
  }

  static class OnH2 extends AddressAllocationTest {
    @Override
    protected Database openDatabase() {
      return Database.inMemory("alloc-" + System.nanoTime());
    }
  }

  static class OnPostgres extends AddressAllocationTest {
    @Override
    protected Database openDatabase() {
      return TestPostgres.newDatabase();
    }
  }
}
