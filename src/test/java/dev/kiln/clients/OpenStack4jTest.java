package dev.kiln.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.OpenStack4j;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openstack4j.api.OSClient.OSClientV3;
import org.openstack4j.model.network.IPVersionType;
import org.openstack4j.model.network.Network;
import org.openstack4j.model.network.Port;
import org.openstack4j.model.network.Subnet;
import org.openstack4j.model.storage.block.Volume;

/** Kiln driven by openstack4j, the Java client users run against OpenStack. */
class OpenStack4jTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();

  private static OSClientV3 login() {
    return OpenStack4j.admin(kiln.authUrl());
  }

  @Test
  void authenticatesAndReadsIdentity() {
    OSClientV3 os = login();
    assertThat(os.getToken().getProject().getName()).isEqualTo("admin");
    assertThat(os.identity().projects().list()).extracting(p -> p.getName()).contains("admin");
    assertThat(os.identity().users().getByName("admin", "default")).isNotNull();
  }

  @Test
  void createsANetworkSubnetAndPort() {
    OSClientV3 os = login();
    Network network = os.networking().network().create(
        org.openstack4j.api.Builders.network().name("o4j-net").adminStateUp(true).build());
    assertThat(network.getId()).isNotBlank();
    Subnet subnet = os.networking().subnet().create(
        org.openstack4j.api.Builders.subnet().name("o4j-sub").networkId(network.getId())
            .ipVersion(IPVersionType.V4).cidr("10.77.0.0/24").build());
    assertThat(subnet.getGateway()).isEqualTo("10.77.0.1");
    Port port = os.networking().port().create(
        org.openstack4j.api.Builders.port().name("o4j-port").networkId(network.getId()).build());
    assertThat(port.getFixedIps()).singleElement().satisfies(ip -> assertThat(ip.getIpAddress()).isEqualTo("10.77.0.2"));
    assertThat(os.networking().port().delete(port.getId()).isSuccess()).isTrue();
    assertThat(os.networking().network().list()).extracting(Network::getName).contains("o4j-net");
  }

  @Test
  void createsAVolumeThatBecomesAvailable() {
    OSClientV3 os = login();
    Volume volume = os.blockStorage().volumes().create(
        org.openstack4j.api.Builders.volume().name("o4j-vol").size(1).build());
    await().atMost(Duration.ofSeconds(10))
        .until(() -> login().blockStorage().volumes().get(volume.getId()).getStatus() == Volume.Status.AVAILABLE);
    assertThat(os.blockStorage().volumes().list()).extracting(Volume::getName).contains("o4j-vol");
  }
}
