package dev.kiln.clients;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.Await;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.OpenStack4j;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openstack4j.api.Builders;
import org.openstack4j.api.OSClient.OSClientV3;
import org.openstack4j.model.compute.Action;
import org.openstack4j.model.compute.Address;
import org.openstack4j.model.compute.Flavor;
import org.openstack4j.model.compute.InstanceAction;
import org.openstack4j.model.compute.Keypair;
import org.openstack4j.model.compute.RebootType;
import org.openstack4j.model.compute.Server;
import org.openstack4j.model.compute.ServerCreate;
import org.openstack4j.model.image.v2.Image;
import org.openstack4j.model.network.IPVersionType;
import org.openstack4j.model.network.Network;

/** Servers driven by openstack4j: what a Java user of Kiln writes to boot and manage one. */
class OpenStack4jComputeTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();

  private static OSClientV3 login() {
    return OpenStack4j.admin(kiln.authUrl());
  }

  @Test
  void bootsAServerWithAKeypairAndANetworkThenPowersItAroundAndDeletesIt() {
    OSClientV3 os = login();
    List<? extends Flavor> flavors = os.compute().flavors().list();
    assertThat(flavors).extracting(Flavor::getName).contains("m1.tiny", "m1.small");
    Flavor tiny = flavors.stream().filter(f -> f.getName().equals("m1.tiny")).findFirst().orElseThrow();
    assertThat(tiny.getRam()).isEqualTo(512);
    assertThat(tiny.getVcpus()).isEqualTo(1);

    List<? extends Image> images = os.imagesV2().list();
    Image cirros = images.stream().filter(i -> i.getName().equals("cirros")).findFirst().orElseThrow();
    // And through Nova's image proxy, which openstack4j's compute API still reads.
    List<? extends org.openstack4j.model.compute.Image> proxied = os.compute().images().list();
    assertThat(proxied).anySatisfy(i -> {
      assertThat(i.getId()).isEqualTo(cirros.getId());
      assertThat(i.getStatus()).isEqualTo(org.openstack4j.model.compute.Image.Status.ACTIVE);
    });
    assertThat(os.compute().images().get(cirros.getId()).getName()).isEqualTo("cirros");

    Keypair keypair = os.compute().keypairs().create("o4j-key", null);
    assertThat(keypair.getPrivateKey()).contains("PRIVATE KEY");
    assertThat(keypair.getFingerprint()).isNotBlank();
    assertThat(os.compute().keypairs().list()).extracting(Keypair::getName).contains("o4j-key");

    Network network = os.networking().network().create(
        Builders.network().name("o4j-compute-net").adminStateUp(true).build());
    os.networking().subnet().create(
        Builders.subnet().name("o4j-compute-sub").networkId(network.getId())
            .ipVersion(IPVersionType.V4).cidr("10.88.0.0/24").build());

    ServerCreate create =
        Builders.server()
            .name("o4j-server")
            .flavor(tiny.getId())
            .image(cirros.getId())
            .networks(List.of(network.getId()))
            .keypairName("o4j-key")
            .addMetadataItem("owner", "openstack4j")
            .build();
    Server booted = os.compute().servers().boot(create);
    assertThat(booted.getId()).isNotBlank();
    assertThat(booted.getAdminPass()).isNotBlank();

    Server active = os.compute().servers().waitForServerStatus(booted.getId(), Server.Status.ACTIVE, 30, TimeUnit.SECONDS);
    assertThat(active.getStatus()).isEqualTo(Server.Status.ACTIVE);
    assertThat(active.getName()).isEqualTo("o4j-server");
    assertThat(active.getKeyName()).isEqualTo("o4j-key");
    assertThat(active.getMetadata()).containsEntry("owner", "openstack4j");
    assertThat(active.getFlavorId()).isEqualTo(tiny.getId());
    assertThat(active.getImageId()).isEqualTo(cirros.getId());
    List<? extends Address> addresses = active.getAddresses().getAddresses("o4j-compute-net");
    assertThat(addresses).singleElement().satisfies(a -> {
      assertThat(a.getAddr()).startsWith("10.88.0.");
      assertThat(a.getVersion()).isEqualTo(4);
      assertThat(a.getType()).isEqualTo("fixed");
      assertThat(a.getMacAddr()).isNotBlank();
    });
    assertThat(os.compute().servers().list()).extracting(Server::getId).contains(booted.getId());

    assertThat(os.compute().servers().reboot(booted.getId(), RebootType.SOFT).isSuccess()).isTrue();
    os.compute().servers().waitForServerStatus(booted.getId(), Server.Status.ACTIVE, 30, TimeUnit.SECONDS);
    assertThat(os.compute().servers().action(booted.getId(), Action.STOP).isSuccess()).isTrue();
    Server stopped = os.compute().servers().waitForServerStatus(booted.getId(), Server.Status.SHUTOFF, 30, TimeUnit.SECONDS);
    assertThat(stopped.getStatus()).isEqualTo(Server.Status.SHUTOFF);
    assertThat(os.compute().servers().action(booted.getId(), Action.START).isSuccess()).isTrue();
    Server started = os.compute().servers().waitForServerStatus(booted.getId(), Server.Status.ACTIVE, 30, TimeUnit.SECONDS);
    assertThat(started.getStatus()).isEqualTo(Server.Status.ACTIVE);
    List<? extends InstanceAction> actions = os.compute().servers().instanceActions().list(booted.getId());
    assertThat(actions).extracting(InstanceAction::getAction).contains("create", "reboot", "stop", "start");
    InstanceAction stop = actions.stream().filter(a -> a.getAction().equals("stop")).findFirst().orElseThrow();
    InstanceAction shown = os.compute().servers().instanceActions().get(booted.getId(), stop.getRequestId());
    assertThat(shown.getInstanceUuid()).isEqualTo(booted.getId());
    assertThat(shown.getStartTime()).isNotNull();

    assertThat(os.compute().servers().delete(booted.getId()).isSuccess()).isTrue();
    Await.until(() -> os.compute().servers().get(booted.getId()) == null, "server to go");
    assertThat(os.compute().keypairs().delete("o4j-key").isSuccess()).isTrue();
  }
}
