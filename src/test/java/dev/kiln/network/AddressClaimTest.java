package dev.kiln.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.network.Port.FixedIp;
import dev.kiln.network.Ports.AddressRequest;
import dev.kiln.network.store.NetworkStore;
import dev.kiln.store.Database;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A new port takes its addresses by inserting their rows, from subnets read before its
 * transaction: an address in use is passed over (or refused when asked for), and subnets that
 * changed after they were read are read again once locked.
 */
class AddressClaimTest {
  private static final Actor TENANT = new Actor("tenant-1", "user-1", false);

  private Database db;
  private NetworkService network;
  private String net;

  @BeforeEach
  void setUp() {
    db = Database.inMemory("claim-" + System.nanoTime());
    network = NetworkService.create(db, Clock.systemUTC(), IdGenerator.random(), new Random(), Set.of("h")::contains);
    net = network.networks().create(TENANT, new Networks.Spec(null, "n", null, null, null, null, null, null)).id();
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  @Test
  void aDrawnAddressInUseIsPassedOver() {
    String subnet = subnet("10.9.0.0/24", null);
    port(List.of(new AddressRequest(subnet, "10.9.0.11")));
    // Asked for last, .10 leaves the next address to try at .11, which is in use.
    port(List.of(new AddressRequest(subnet, "10.9.0.10")));

    Port drawn = port(null);

    assertThat(drawn.fixedIps()).containsExactly(new FixedIp(subnet, "10.9.0.12"));
    assertThat(network.ports().byIds(List.of(drawn.id())).getFirst().fixedIps()).containsExactly(drawn.fixedIps().getFirst());
  }

  @Test
  void anAddressAskedForInUseIsRefusedAndNothingIsKept() {
    String subnet = subnet("10.9.0.0/24", null);
    port(List.of(new AddressRequest(subnet, "10.9.0.20")));
    int ports = network.ports().list(TENANT).size();

    assertThatThrownBy(() -> port(List.of(new AddressRequest(subnet, "10.9.0.20"))))
        .isInstanceOfSatisfying(
            ServiceException.class, e -> assertThat(e.type()).isEqualTo("IpAddressAlreadyAllocated"));
    assertThat(network.ports().list(TENANT)).hasSize(ports);
  }

  @Test
  void theGatewayAskedForIsRefusedAsTheGateway() {
    String subnet = subnet("10.9.0.0/24", null);

    assertThatThrownBy(() -> port(List.of(new AddressRequest(subnet, "10.9.0.1"))))
        .isInstanceOfSatisfying(
            ServiceException.class, e -> assertThat(e.getMessage()).contains("is the gateway of subnet " + subnet));
  }

  @Test
  void poolsChangedAfterTheSubnetsWereReadAreReadAgain() {
    String subnet = subnet("10.9.0.0/24", null);
    List<Subnet> before = new NetworkStore(db.sql()).subnets().subnetsForAllocation(net);
    network.subnets().update(TENANT, subnet, poolsOnly(List.of(new Subnet.Pool("10.9.0.100", "10.9.0.110"))));

    List<FixedIp> taken = claimWith(before);

    assertThat(taken).containsExactly(new FixedIp(subnet, "10.9.0.100"));
  }

  @Test
  void aSubnetDeletedAfterTheSubnetsWereReadIsNotUsed() {
    String first = subnet("10.9.0.0/28", null);
    String second = subnet("10.9.1.0/28", null);
    List<Subnet> before = new NetworkStore(db.sql()).subnets().subnetsForAllocation(net);
    network.subnets().delete(TENANT, first);

    List<FixedIp> taken = claimWith(before);

    assertThat(taken).containsExactly(new FixedIp(second, "10.9.1.2"));
  }

  /** Allocates one address from the network with these subnets as known, claiming without a port row. */
  private List<FixedIp> claimWith(List<Subnet> known) {
    return db.inTransaction(
        sql -> AddressAllocator.claim(new NetworkStore(sql), net, null, null, known, (ip, position) -> true));
  }

  private String subnet(String cidr, List<Subnet.Pool> pools) {
    return network.subnets()
        .create(TENANT, new Subnets.Spec(null, net, "s", null, 4, cidr, false, null, null, pools, null, null, null, null))
        .id();
  }

  private static Subnets.Spec poolsOnly(List<Subnet.Pool> pools) {
    return new Subnets.Spec(null, null, null, null, null, null, false, null, null, pools, null, null, null, null);
  }

  private Port port(List<AddressRequest> fixedIps) {
    return network.ports().create(
        TENANT, new Ports.Spec(null, net, null, null, null, null, fixedIps, null, null, null, null, null, null, null));
  }
}
