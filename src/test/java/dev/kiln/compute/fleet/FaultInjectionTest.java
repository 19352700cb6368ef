package dev.kiln.compute.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.common.IdGenerator;
import dev.kiln.compute.ComputeService;
import dev.kiln.store.Database;
import dev.kiln.testing.Api;
import dev.kiln.testing.RunningKiln;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection end to end: an admin sets a fault through {@code os-kiln-faults} on a running
 * Kiln, and the simulated driver, reached here as a second node on the same database would reach
 * it, fails exactly as told and then works again.
 */
class FaultInjectionTest {
  @TempDir static Path dataDir;
  private static RunningKiln kiln;
  private static Api admin;
  private static Database secondNode;
  private static ComputeService compute;
  private static final List<Duration> slept = new ArrayList<>();

  @BeforeAll
  static void start() {
    kiln = RunningKiln.start(dataDir);
    Api anonymous = kiln.api();
    admin = anonymous.withToken(anonymous.token("admin", RunningKiln.ADMIN_PASSWORD, "admin"));
    secondNode = Database.embedded(dataDir);
    compute =
        ComputeService.create(
            secondNode, Clock.systemUTC(), IdGenerator.random(), new SecureRandom(),
            FleetConfig.defaults(kiln.config().computeHosts()), slept::add);
  }

  @AfterAll
  static void stop() {
    secondNode.close();
    kiln.close();
  }

  @Test
  void failNextTwoSpawnsThroughTheAdminApi() {
    Api.Response set =
        admin.put("/compute/v2.1/os-kiln-faults/spawn", "{\"kiln_fault\": {\"fail_next\": 2, \"latency_ms\": 250}}");
    assertThat(set.status()).as(set.body()).isEqualTo(200);
    HypervisorDriver driver = compute.driver();

    for (int i = 1; i <= 2; i++) {
      String id = "server-" + i;
      assertThatThrownBy(() -> driver.spawn(ComputeDatabaseTest.spawn(id, "kiln-compute-1")))
          .isInstanceOfSatisfying(
              HypervisorException.class,
              e -> {
                assertThat(e.operation()).isEqualTo(DriverOperation.SPAWN);
                assertThat(e.host()).isEqualTo("kiln-compute-1");
                assertThat(e.injected()).isTrue();
                assertThat(e.getMessage())
                    .isEqualTo(
                        "Simulated failure of spawn for instance " + id
                            + " on kiln-compute-1 (injected through os-kiln-faults).");
              });
    }
    driver.spawn(ComputeDatabaseTest.spawn("server-3", "kiln-compute-1"));
    driver.spawn(ComputeDatabaseTest.spawn("server-4", "kiln-compute-2"));
    // Every call took the configured latency, failed or not.
    assertThat(slept).hasSize(4).containsOnly(Duration.ofMillis(250));
    assertThat(admin.get("/compute/v2.1/os-kiln-faults/spawn").json().at("/kiln_fault/fail_next").asInt()).isZero();
    // Other operations were never affected.
    driver.destroy(new HypervisorDriver.InstanceRef("server-3", "kiln-compute-1"));
    assertThatThrownBy(() -> driver.destroy(new HypervisorDriver.InstanceRef("x", "not-a-host")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aCertainFailureWithItsOwnMessageUntilReset() {
    admin.put(
        "/compute/v2.1/os-kiln-faults/attach_volume",
        "{\"kiln_fault\": {\"probability\": 1.0, \"message\": \"Volume driver exploded\"}}");
    HypervisorDriver.VolumeRequest attach =
        new HypervisorDriver.VolumeRequest(new HypervisorDriver.InstanceRef("s", "kiln-compute-3"), "vol", "/dev/vdb");
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> compute.driver().attachVolume(attach))
          .isInstanceOf(HypervisorException.class)
          .hasMessage("Volume driver exploded");
    }
    assertThat(admin.delete("/compute/v2.1/os-kiln-faults/attach_volume").status()).isEqualTo(204);
    compute.driver().attachVolume(attach);
  }
}
