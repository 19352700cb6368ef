package dev.kiln.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.network.store.NetworkStore;
import dev.kiln.store.Database;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What Compute does with ports: plug into an instance, unplug, plug elsewhere. */
class PortPlugTest {
  private static final Actor TENANT = new Actor("tenant-1", "user-1", false);

  private Database db;
  private NetworkService network;
  private String networkId;

  @BeforeEach
  void setUp() {
    db = Database.inMemory("plug-" + System.nanoTime());
    network =
        NetworkService.create(
            db, Clock.systemUTC(), IdGenerator.random(), new Random(7), Set.of("host-a", "host-b")::contains);
    networkId = network.networks().create(TENANT, new Networks.Spec(null, "net", null, null, null, null, null, null)).id();
    network.subnets().create(
        TENANT,
        new Subnets.Spec(null, networkId, "sub", null, 4, "10.5.0.0/24", false, null, null, null, null, null, null, null));
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  private Port userPort() {
    return network.ports().create(
        TENANT, new Ports.Spec(null, networkId, "mine", null, null, null, null, null, null, null, null, null, null, null));
  }

  @Test
  void unplugKeepsThePortItsMacAndItsAddresses() {
    Port port = userPort();
    Port plugged = network.ports().plug(port.id(), "server-1", "compute:nova", "host-a");
    assertThat(plugged.status()).isEqualTo("ACTIVE");
    assertThat(plugged.activeBinding().host()).isEqualTo("host-a");

    Port unplugged = network.ports().unplug(port.id());

    assertThat(unplugged.id()).isEqualTo(port.id());
    assertThat(unplugged.macAddress()).isEqualTo(port.macAddress());
    assertThat(unplugged.fixedIps()).isEqualTo(port.fixedIps());
    assertThat(unplugged.deviceId()).isEmpty();
    assertThat(unplugged.deviceOwner()).isEmpty();
    assertThat(unplugged.activeBinding()).isNull();
    assertThat(unplugged.status()).isEqualTo("DOWN");
    assertThat(network.bindings().list(port.id())).isEmpty();
  }

  @Test
  void detachedPortCanBePluggedIntoAnotherServerAtOnce() {
    Port port = userPort();
    network.ports().plug(port.id(), "server-1", "compute:nova", "host-a");
    network.ports().unplug(port.id());

    Port moved = network.ports().plug(port.id(), "server-2", "compute:nova", "host-b");

    assertThat(moved.id()).isEqualTo(port.id());
    assertThat(moved.deviceId()).isEqualTo("server-2");
    assertThat(moved.activeBinding().host()).isEqualTo("host-b");
    assertThat(moved.fixedIps()).isEqualTo(port.fixedIps());
  }

  @Test
  void portPluggedIntoOneServerCannotBePluggedIntoAnother() {
    Port port = userPort();
    network.ports().plug(port.id(), "server-1", "compute:nova", "host-a");

    assertThatThrownBy(() -> network.ports().plug(port.id(), "server-2", "compute:nova", "host-b"))
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.type()).isEqualTo("PortInUse"));
    assertThat(network.ports().visible(TENANT, port.id()).deviceId()).isEqualTo("server-1");
  }

  @Test
  void pluggingOnAnUnknownHostChangesNothing() {
    Port port = userPort();
    assertThatThrownBy(() -> network.ports().plug(port.id(), "server-1", "compute:nova", "nowhere"))
        .isInstanceOf(ServiceException.class)
        .hasMessageContaining("nowhere");
    Port after = network.ports().visible(TENANT, port.id());
    assertThat(after.deviceId()).isEmpty();
    assertThat(after.revision()).isEqualTo(port.revision());
    assertThat(network.bindings().list(port.id())).isEmpty();
  }

  @Test
  void twoActivationsRacingLeaveOneActiveBinding() throws Exception {
    Port port = userPort();
    network.ports().plug(port.id(), "server-1", "compute:nova", "host-a");
    network.bindings().create(port.id(), "host-b", null, null);
    List<Thread> threads =
        List.of(
            Thread.ofVirtual().unstarted(() -> activateQuietly(port.id(), "host-b")),
            Thread.ofVirtual().unstarted(() -> activateQuietly(port.id(), "host-b")));
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    List<PortBinding> bindings = network.bindings().list(port.id());
    assertThat(bindings.stream().filter(b -> b.status() == PortBinding.Status.ACTIVE))
        .singleElement()
        .satisfies(b -> assertThat(b.host()).isEqualTo("host-b"));
  }

  private void activateQuietly(String portId, String host) {
    try {
      network.bindings().activate(portId, host);
    } catch (ServiceException e) {
      assertThat(e.type()).isEqualTo("PortBindingAlreadyActive");
    }
  }

  @Test
  void aPortWriteFromAStaleReadIsRefusedAndChangesNothing() {
    Port port = network.ports().plug(userPort().id(), "server-1", "compute:nova", "host-a");
    Port unplugged =
        new Port(
            port.id(), port.projectId(), port.networkId(), port.name(), port.description(), port.macAddress(),
            port.adminStateUp(), "DOWN", "", "", port.portSecurityEnabled(), port.vnicType(), port.profile(),
            port.fixedIps(), port.securityGroups(), null, port.revision() + 1, port.createdAt(), port.updatedAt());

    assertThatThrownBy(
            () -> db.inTransaction(
                sql -> {
                  Ports.writePort(new NetworkStore(sql), unplugged, port.revision() - 1);
                  return null;
                }))
        .isInstanceOfSatisfying(
            ServiceException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ServiceException.Kind.CONFLICT);
              assertThat(e.type()).isEqualTo(Ports.PORT_CHANGED);
              assertThat(e.getMessage()).contains(port.id()).contains("retry");
            });
    Port now = network.ports().visible(TENANT, port.id());
    assertThat(now.deviceId()).isEqualTo("server-1");
    assertThat(now.revision()).isEqualTo(port.revision());
  }
}
