package dev.kiln.compute.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.common.IdGenerator;
import dev.kiln.store.Database;
import dev.kiln.store.StatementCount;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FleetRegistrationTest {
  private final Database db = Database.inMemory("fleet-registration-" + UUID.randomUUID());

  @AfterEach
  void close() {
    db.close();
  }

  private Fleet fleet(HostSpec... hosts) {
    return new Fleet(db, Clock.systemUTC(), IdGenerator.random(), List.of(hosts));
  }

  private static HostSpec host(String name, int vcpus, String zone) {
    return new HostSpec(name, new Resources(vcpus, 8192, 100), zone);
  }

  @Test
  void aRestartWithTheSameFleetOnlyReadsIt() {
    fleet(host("a", 8, "nova"), host("b", 8, "nova")).register();
    List<String> servicesBefore = fleet().services().stream().map(HostService::uuid).toList();

    Object outer = StatementCount.start();
    fleet(host("a", 8, "nova"), host("b", 8, "nova")).register();
    int statements = StatementCount.stop(outer);

    assertThat(statements).isEqualTo(2);
    assertThat(fleet().services().stream().map(HostService::uuid).toList()).isEqualTo(servicesBefore);
  }

  @Test
  void aRestartRegistersNewHostsAndAppliesChangedCapacityAndZones() {
    fleet(host("a", 8, "nova")).register();

    Fleet restarted = fleet(host("a", 16, "az-2"), host("c", 4, "nova"));
    restarted.register();

    assertThat(restarted.hypervisors())
        .extracting(Hypervisor::hostname, h -> h.capacity().vcpus(), Hypervisor::availabilityZone)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a", 16, "az-2"), org.assertj.core.groups.Tuple.tuple("c", 4, "nova"));
    assertThat(restarted.services()).extracting(HostService::host).contains("kiln", "a", "c");
  }
}
