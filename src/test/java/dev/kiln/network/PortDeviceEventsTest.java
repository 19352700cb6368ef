package dev.kiln.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.store.Database;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What Networking tells Compute about its servers' ports, as Neutron's Nova notifier does. */
class PortDeviceEventsTest {
  private static final Actor TENANT = new Actor("tenant-1", "user-1", false);
  private static final Actor ADMIN = new Actor("tenant-1", "admin", true);

  private Database db;
  private NetworkService network;
  private String networkId;
  private final List<String> sent = new ArrayList<>();

  @BeforeEach
  void setUp() {
    db = Database.inMemory("devev-" + System.nanoTime());
    network =
        NetworkService.create(
            db, Clock.systemUTC(), IdGenerator.random(), new Random(7), Set.of("host-a", "host-b")::contains);
    networkId = network.networks().create(TENANT, new Networks.Spec(null, "net", null, null, null, null, null, null)).id();
    network.subnets().create(
        TENANT,
        new Subnets.Spec(null, networkId, "sub", null, 4, "10.5.0.0/24", false, null, null, null, null, null, null, null));
    network.ports().deviceEvents((server, name, port) -> sent.add(name + " " + server + " " + port));
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  private Port port() {
    return network.ports().create(
        TENANT, new Ports.Spec(null, networkId, "p", null, null, null, null, null, null, null, null, null, null, null));
  }

  private static Ports.Spec adminUp(boolean up) {
    return new Ports.Spec(null, null, null, null, up, null, null, null, null, null, null, null, null, null);
  }

  @Test
  void plugUnplugAndDeleteEachTellTheServer() {
    String p = port().id();
    network.ports().plug(p, "server-1", "compute:nova", "host-a");
    network.ports().unplug(p);
    network.ports().plug(p, "server-2", "compute:nova", "host-b");
    network.ports().delete(ADMIN, p);
    assertThat(sent)
        .containsExactly(
            "network-vif-plugged server-1 " + p,
            "network-vif-unplugged server-1 " + p,
            "network-vif-plugged server-2 " + p,
            "network-vif-deleted server-2 " + p);
  }

  @Test
  void aPortGoingDownAndUpOnItsServerIsUnpluggedThenPlugged() {
    String p = port().id();
    network.ports().plug(p, "server-1", "compute:nova", "host-a");
    network.ports().update(ADMIN, p, adminUp(false));
    network.ports().update(ADMIN, p, adminUp(false)); // no change, no news
    network.ports().update(ADMIN, p, adminUp(true));
    assertThat(sent)
        .containsExactly(
            "network-vif-plugged server-1 " + p, "network-vif-unplugged server-1 " + p, "network-vif-plugged server-1 " + p);
  }

  @Test
  void portsOfOtherDevicesAndUnusedPortsTellNobody() {
    String dhcp = port().id();
    network.ports().plug(dhcp, "dhcp-1", "network:dhcp", "host-a");
    network.ports().unplug(dhcp);
    String unused = port().id();
    network.ports().delete(ADMIN, unused);
    assertThat(sent).isEmpty();
  }

  @Test
  void aFailingReceiverDoesNotUndoThePlug() {
    network.ports().deviceEvents((server, name, port) -> {
      throw new IllegalStateException("compute is down");
    });
    String p = port().id();
    Port plugged = network.ports().plug(p, "server-1", "compute:nova", "host-a");
    assertThat(plugged.status()).isEqualTo("ACTIVE");
    assertThat(network.ports().visible(ADMIN, p).deviceId()).isEqualTo("server-1");
  }
}
