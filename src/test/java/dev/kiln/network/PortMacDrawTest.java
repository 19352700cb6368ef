package dev.kiln.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.store.Database;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The MAC address a port create draws when none is asked for, and what a clash does. */
class PortMacDrawTest {
  private static final Actor TENANT = new Actor("tenant-1", "user-1", false);

  /** Answers the bytes it is given to {@code nextInt(256)}, in order, then random ones. */
  private static final class ScriptedBytes extends Random {
    final ArrayDeque<Integer> next = new ArrayDeque<>();

    @Override
    public int nextInt(int bound) {
      return bound == 256 && !next.isEmpty() ? next.poll() : super.nextInt(bound);
    }
  }

  private final ScriptedBytes bytes = new ScriptedBytes();
  private Database db;
  private NetworkService network;
  private String networkId;

  @BeforeEach
  void setUp() {
    db = Database.inMemory("mac-draw-" + System.nanoTime());
    network = NetworkService.create(db, Clock.systemUTC(), IdGenerator.random(), bytes, Set.of("host-a")::contains);
    networkId = network.networks().create(TENANT, new Networks.Spec(null, "net", null, null, null, null, null, null)).id();
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  private Port portWithMac(String mac) {
    return network.ports().create(
        TENANT, new Ports.Spec(null, networkId, "p", null, null, mac, null, null, null, null, null, null, null, null));
  }

  @Test
  void aDrawnMacHasOpenStacksPrefixAndTheDrawnBytes() {
    bytes.next.addAll(List.of(0x0a, 0xb1, 0xff));

    assertThat(portWithMac(null).macAddress()).isEqualTo("fa:16:3e:0a:b1:ff");
  }

  @Test
  void aDrawnMacAnotherPortOfTheNetworkHasIsDrawnAgain() {
    portWithMac("fa:16:3e:01:02:03");
    bytes.next.addAll(List.of(1, 2, 3, 4, 5, 6));

    Port drawn = portWithMac(null);

    assertThat(drawn.macAddress()).isEqualTo("fa:16:3e:04:05:06");
    assertThat(network.ports().list(TENANT)).extracting(Port::macAddress)
        .containsExactlyInAnyOrder("fa:16:3e:01:02:03", "fa:16:3e:04:05:06");
  }

  @Test
  void aMacAskedForThatAnotherPortHasIsRefused() {
    portWithMac("fa:16:3e:01:02:03");

    assertThatThrownBy(() -> portWithMac("fa:16:3e:01:02:03"))
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.type()).isEqualTo("MacAddressInUse"));
    assertThat(network.ports().list(TENANT)).hasSize(1);
  }
}
