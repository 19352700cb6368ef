package dev.kiln.compute.metadata;

import static dev.kiln.testing.Cloud.NET;
import static dev.kiln.testing.Cloud.NOVA;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Tenant;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code os-kiln-metadata}: the metadata service's documents of a server, for admins. */
class InstanceMetadataApiTest {
  private static final String KEY =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIn8v4x9tYyC3K5n9mL0vA2S6wQ8cJm1Yk7bT0u4pXzR meta@kiln";

  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static Api member;
  private static String memberProject;
  private static String imageId;
  private static String networkId;
  private static String subnetId;

  @BeforeAll
  static void start() {
    admin = kiln.admin();
    Tenant tenant = Tenant.create(kiln, admin, "meta", "metauser");
    memberProject = tenant.projectId();
    member = tenant.api();
    imageId = Cloud.cirros(member);
    networkId = member.post(NET + "/networks", "{\"network\": {\"name\": \"md-net\"}}").expect(201).at("/network/id").asText();
    subnetId =
        member.post(
            NET + "/subnets",
            "{\"subnet\": {\"network_id\": \"" + networkId + "\", \"ip_version\": 4, \"cidr\": \"10.9.0.0/24\","
                + " \"enable_dhcp\": false, \"dns_nameservers\": [\"10.9.0.53\"],"
                + " \"host_routes\": [{\"destination\": \"192.168.0.0/16\", \"nexthop\": \"10.9.0.254\"}]}}").expect(201)
            .at("/subnet/id").asText();
  }

  private static String bootWithEverything() {
    member.post(
        NOVA + "/os-keypairs",
        "{\"keypair\": {\"name\": \"md-key\", \"public_key\": \"" + KEY + "\"}}").expect(200);
    String port = member.post(NET + "/ports", "{\"port\": {\"network_id\": \"" + networkId + "\"}}").expect(201).at("/port/id").asText();
    String userData = Base64.getEncoder().encodeToString("#!/bin/sh\necho hello\n".getBytes(StandardCharsets.UTF_8));
    String id =
        member.post(
            NOVA + "/servers",
            "{\"server\": {\"name\": \"Web_1\", \"flavorRef\": \"1\", \"imageRef\": \"" + imageId + "\","
                + " \"networks\": [{\"port\": \"" + port + "\"}], \"key_name\": \"md-key\","
                + " \"metadata\": {\"role\": \"web\"}, \"user_data\": \"" + userData + "\"}}").expect(202)
            .at("/server/id").asText();
    Cloud.awaitActive(member, id);
    return id;
  }

  private static String md(String id) {
    return NOVA + "/os-kiln-metadata/" + id + "/openstack";
  }

  @Test
  void adminReadsTheDocumentsAGuestWouldGet() {
    String id = bootWithEverything();
    JsonNode port = member.get(NET + "/ports?device_id=" + id).expect(200).at("/ports/0");
    String portId = port.get("id").asText();

    Api.Response versions = admin.get(md(id));
    assertThat(versions.status()).isEqualTo(200);
    assertThat(versions.header("Content-Type")).startsWith("text/plain");
    assertThat(versions.body().split("\n")).startsWith("2012-08-10", "2013-04-04").endsWith("latest");
    assertThat(admin.get(md(id) + "/").body()).isEqualTo(versions.body());
    assertThat(admin.get(md(id) + "/latest").body().split("\n"))
        .containsExactly(
            "meta_data.json", "user_data", "password", "vendor_data.json", "network_data.json", "vendor_data2.json");

    JsonNode meta = admin.get(md(id) + "/latest/meta_data.json").expect(200);
    assertThat(meta.get("uuid").asText()).isEqualTo(id);
    assertThat(meta.get("name").asText()).isEqualTo("Web_1");
    assertThat(meta.get("hostname").asText()).isEqualTo("web-1.novalocal");
    assertThat(meta.get("launch_index").asInt()).isZero();
    assertThat(meta.get("availability_zone").asText()).isEqualTo("nova");
    assertThat(meta.get("project_id").asText()).isEqualTo(memberProject);
    assertThat(meta.at("/meta/role").asText()).isEqualTo("web");
    assertThat(meta.at("/public_keys/md-key").asText()).isEqualTo(KEY);
    assertThat(meta.at("/keys/0/name").asText()).isEqualTo("md-key");
    assertThat(meta.at("/keys/0/type").asText()).isEqualTo("ssh");
    assertThat(meta.at("/keys/0/data").asText()).isEqualTo(KEY);
    assertThat(meta.get("devices").isArray()).isTrue();
    assertThat(Base64.getDecoder().decode(meta.get("random_seed").asText())).hasSize(512);

    JsonNode folsom = admin.get(md(id) + "/2012-08-10/meta_data.json").expect(200);
    assertThat(folsom.has("random_seed")).isFalse();
    assertThat(folsom.has("project_id")).isFalse();
    assertThat(admin.get(md(id) + "/2013-10-17/network_data.json").status()).isEqualTo(404);

    JsonNode net = admin.get(md(id) + "/latest/network_data.json").expect(200);
    JsonNode link = net.at("/links/0");
    assertThat(link.get("id").asText()).isEqualTo(("tap" + portId).substring(0, 14));
    assertThat(link.get("vif_id").asText()).isEqualTo(portId);
    assertThat(link.get("ethernet_mac_address").asText()).isEqualTo(port.get("mac_address").asText());
    assertThat(link.get("mtu").asInt()).isEqualTo(1500);
    assertThat(link.get("type").asText()).isEqualTo("ovs");
    JsonNode network = net.at("/networks/0");
    assertThat(network.get("id").asText()).isEqualTo("network0");
    assertThat(network.get("type").asText()).isEqualTo("ipv4");
    assertThat(network.get("link").asText()).isEqualTo(link.get("id").asText());
    assertThat(network.get("network_id").asText()).isEqualTo(networkId);
    assertThat(network.get("ip_address").asText()).isEqualTo(port.at("/fixed_ips/0/ip_address").asText());
    assertThat(network.get("netmask").asText()).isEqualTo("255.255.255.0");
    assertThat(network.at("/routes/0").toString())
        .isEqualTo("{\"network\":\"0.0.0.0\",\"netmask\":\"0.0.0.0\",\"gateway\":\"10.9.0.1\"}");
    assertThat(network.at("/routes/1").toString())
        .isEqualTo("{\"network\":\"192.168.0.0\",\"netmask\":\"255.255.0.0\",\"gateway\":\"10.9.0.254\"}");
    assertThat(network.get("services").toString()).isEqualTo("[{\"type\":\"dns\",\"address\":\"10.9.0.53\"}]");
    assertThat(net.get("services").toString()).isEqualTo("[{\"type\":\"dns\",\"address\":\"10.9.0.53\"}]");

    Api.Response userData = admin.get(md(id) + "/latest/user_data");
    assertThat(userData.status()).isEqualTo(200);
    assertThat(userData.body()).isEqualTo("#!/bin/sh\necho hello\n");
    assertThat(admin.get(md(id) + "/latest/vendor_data.json").expect(200).toString()).isEqualTo("{}");
    assertThat(admin.get(md(id) + "/latest/vendor_data2.json").expect(200).toString()).isEqualTo("{\"static\":{}}");
    assertThat(admin.get(md(id) + "/latest/password").body()).isEmpty();
    assertThat(admin.get(md(id) + "/latest/nothing-here").status()).isEqualTo(404);
    assertThat(admin.get(md(id) + "/1999-01-01/meta_data.json").status()).isEqualTo(404);
  }

  @Test
  void aServerWithoutUserDataOrPortsHasNoneToGive() {
    String id =
        member.post(
            NOVA + "/servers",
            "{\"server\": {\"name\": \"bare\", \"flavorRef\": \"1\", \"imageRef\": \"" + imageId + "\"}}").expect(202)
            .at("/server/id").asText();
    Cloud.awaitActive(member, id);
    assertThat(admin.get(md(id) + "/latest/user_data").status()).isEqualTo(404);
    assertThat(admin.get(md(id) + "/latest").body()).doesNotContain("user_data");
    assertThat(admin.get(md(id) + "/latest/network_data.json").expect(200).toString()).isEqualTo("{}");
    JsonNode meta = admin.get(md(id) + "/latest/meta_data.json").expect(200);
    assertThat(meta.has("public_keys")).isFalse();
    assertThat(meta.has("meta")).isFalse();
  }

  @Test
  void aSubnetWithDhcpTellsTheGuestToAskDhcp() {
    String dhcpNet = Cloud.network(member, "md-dhcp", "10.10.0.0/24");
    String id =
        member.post(
            NOVA + "/servers",
            "{\"server\": {\"name\": \"dhcp\", \"flavorRef\": \"1\", \"imageRef\": \"" + imageId + "\","
                + " \"networks\": [{\"uuid\": \"" + dhcpNet + "\"}]}}").expect(202)
            .at("/server/id").asText();
    Cloud.awaitActive(member, id);
    JsonNode network = admin.get(md(id) + "/latest/network_data.json").expect(200).at("/networks/0");
    assertThat(network.get("type").asText()).isEqualTo("ipv4_dhcp");
    assertThat(network.get("network_id").asText()).isEqualTo(dhcpNet);
    assertThat(network.has("ip_address")).isFalse();
  }

  @Test
  void onlyAdminsReadThemAndAnUnknownServerIsNotFound() {
    String id =
        member.post(
            NOVA + "/servers",
            "{\"server\": {\"name\": \"mine\", \"flavorRef\": \"1\", \"imageRef\": \"" + imageId + "\"}}").expect(202)
            .at("/server/id").asText();
    assertThat(member.get(md(id) + "/latest/meta_data.json").status()).isEqualTo(403);
    assertThat(member.get(md(id)).status()).isEqualTo(403);
    Api.Response unknown = admin.get(md("6a1e4b1c-0000-4000-8000-000000000000") + "/latest/meta_data.json");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().at("/itemNotFound/message").asText()).contains("could not be found");
    assertThat(admin.get(md("6a1e4b1c-0000-4000-8000-000000000000")).status()).isEqualTo(404);
    assertThat(admin.get(md("6a1e4b1c-0000-4000-8000-000000000000") + "/latest/whatever").status()).isEqualTo(404);
  }
}
