package dev.kiln.compute.proxy;

import static dev.kiln.testing.Cloud.NET;
import static dev.kiln.testing.Cloud.NOVA;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.Await;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.TempestSchemas;
import dev.kiln.testing.Tenant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Nova's network proxies ({@code os-networks}, {@code os-tenant-networks}) over Networking and
 * its volume proxies ({@code os-volumes}, {@code os-snapshots}) over Block Storage, before 2.36;
 * bodies checked against Tempest's schemas.
 */
class NetworkAndVolumeProxiesTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Tenant tenant;
  private static Api v235;

  @BeforeAll
  static void start() {
    tenant = Tenant.create(kiln, kiln.admin(), "proxies", "proxies-user");
    v235 = tenant.api().withHeader("OpenStack-API-Version", "compute 2.35");
  }

  private static String network(Api api, String name, boolean shared) {
    return api.post(NET + "/networks", "{\"network\": {\"name\": \"" + name + "\", \"shared\": " + shared + "}}")
        .expect(201).at("/network/id").asText();
  }

  @Test
  void networksAreListedAsNovaNetworkShowedThemWithTheCallersView() {
    TempestSchemas schemas = new TempestSchemas();
    String own = network(tenant.api(), "own-net", false);
    String shared = network(kiln.admin(), "shared-net", true);
    String hidden = network(kiln.admin(), "admins-net", false);

    Api.Response tenantList = v235.get(NOVA + "/os-tenant-networks");
    schemas.check("compute.v2_1.tenant_networks.list_tenant_networks", tenantList);
    List<String> ids = tenantList.json().get("networks").findValuesAsText("id");
    assertThat(ids).contains(own, shared).doesNotContain(hidden);
    Api.Response tenantShow = v235.get(NOVA + "/os-tenant-networks/" + own);
    schemas.check("compute.v2_1.tenant_networks.get_tenant_network", tenantShow);
    assertThat(tenantShow.json().get("network").toString())
        .isEqualTo("{\"id\":\"" + own + "\",\"cidr\":\"None\",\"label\":\"own-net\"}");
    assertThat(v235.get(NOVA + "/os-tenant-networks/" + hidden).status()).isEqualTo(404);

    JsonNode memberView = v235.get(NOVA + "/os-networks/" + own).expect(200).get("network");
    assertThat(memberView.get("label").asText()).isEqualTo("own-net");
    assertThat(memberView.get("cidr").isNull()).isTrue();
    assertThat(memberView.has("project_id")).isFalse();
    Api.Response adminList = kiln.admin().withHeader("OpenStack-API-Version", "compute 2.35").get(NOVA + "/os-networks");
    JsonNode adminView = adminList.expect(200).get("networks");
    assertThat(adminView.findValuesAsText("label")).contains("own-net", "shared-net", "admins-net");
    assertThat(adminView.get(0).has("project_id")).isTrue();
    Api.Response unknown = v235.get(NOVA + "/os-networks/" + UUID.randomUUID());
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().at("/itemNotFound/message").asText()).isEqualTo("Network not found");

    Api.Response gone = v235.post(NOVA + "/os-networks", "{\"network\": {\"label\": \"x\"}}");
    assertThat(gone.status()).isEqualTo(410);
    assertThat(gone.json().has("computeFault")).isTrue();
    assertThat(tenant.api().withHeader("OpenStack-API-Version", "compute 2.36").get(NOVA + "/os-networks").status())
        .isEqualTo(404);
    assertThat(tenant.api().withHeader("OpenStack-API-Version", "compute 2.36").get(NOVA + "/os-tenant-networks").status())
        .isEqualTo(404);
    schemas.verify();
  }

  private static String availableVolume(String name) {
    Api.Response created =
        v235.post(NOVA + "/os-volumes", "{\"volume\": {\"size\": 1, \"display_name\": \"" + name + "\", \"metadata\": {\"Type\": \"work\"}}}");
    String id = created.expect(200).at("/volume/id").asText();
    Await.until(() -> v235.get(NOVA + "/os-volumes/" + id).expect(200).at("/volume/status").asText().equals("available"),
        Await.DEFAULT, name + " available");
    return id;
  }

  @Test
  void volumesAreMadeShownListedAndDeletedInBlockStorage() {
    TempestSchemas schemas = new TempestSchemas();
    Api.Response created =
        v235.post(NOVA + "/os-volumes", "{\"volume\": {\"size\": \"1\", \"display_name\": \"proxied\", \"display_description\": \"words\", \"metadata\": {\"Type\": \"work\"}}}");
    schemas.check("compute.v2_1.volumes.create_get_volume", created);
    String id = created.json().at("/volume/id").asText();
    assertThat(created.header("Location")).endsWith("/compute/v2.1/os-volumes/" + id);
    assertThat(created.json().at("/volume/attachments").toString()).isEqualTo("[{}]");
    Await.until(() -> v235.get(NOVA + "/os-volumes/" + id).expect(200).at("/volume/status").asText().equals("available"),
        Await.DEFAULT, "proxied available");

    Api.Response shown = v235.get(NOVA + "/os-volumes/" + id);
    schemas.check("compute.v2_1.volumes.create_get_volume", shown);
    JsonNode volume = shown.json().get("volume");
    assertThat(volume.get("displayName").asText()).isEqualTo("proxied");
    assertThat(volume.get("displayDescription").asText()).isEqualTo("words");
    assertThat(volume.get("size").asInt()).isEqualTo(1);
    assertThat(volume.get("volumeType").asText()).isNotEmpty();
    assertThat(volume.at("/metadata/Type").asText()).isEqualTo("work");
    JsonNode inCinder = tenant.api().get(tenant.cinder() + "/volumes/" + id).expect(200).get("volume");
    assertThat(inCinder.get("name").asText()).isEqualTo("proxied");
    assertThat(inCinder.get("volume_type").asText()).isEqualTo(volume.get("volumeType").asText());

    Api.Response list = v235.get(NOVA + "/os-volumes");
    schemas.check("compute.v2_1.volumes.list_volumes", list);
    assertThat(list.json().get("volumes")).contains(volume);
    Api.Response detail = v235.get(NOVA + "/os-volumes/detail");
    schemas.check("compute.v2_1.volumes.list_volumes", detail);
    assertThat(detail.json().get("volumes")).contains(volume);

    Api.Response deleted = v235.delete(NOVA + "/os-volumes/" + id);
    schemas.check("compute.v2_1.volumes.delete_volume", deleted);
    Await.until(() -> v235.get(NOVA + "/os-volumes/" + id).status() == 404, Await.DEFAULT, "proxied gone");
    assertThat(v235.get(NOVA + "/os-volumes/" + id).json().has("itemNotFound")).isTrue();
    schemas.verify();
  }

  @Test
  void volumeListsArePagedByOffsetAndLimitNewestFirst() {
    for (int i = 0; i < 3; i++) {
      availableVolume("paged-" + i);
    }
    List<String> all = v235.get(NOVA + "/os-volumes").expect(200).get("volumes").findValuesAsText("id");
    assertThat(v235.get(NOVA + "/os-volumes?limit=2").expect(200).get("volumes")).hasSize(2);
    assertThat(v235.get(NOVA + "/os-volumes/detail?offset=1&limit=1").expect(200).get("volumes").findValuesAsText("id"))
        .containsExactly(all.get(1));
    assertThat(v235.get(NOVA + "/os-volumes?limit=x").status()).isEqualTo(400);
    List<String> created = v235.get(NOVA + "/os-volumes").expect(200).get("volumes").findValuesAsText("createdAt");
    assertThat(created).isSortedAccordingTo(java.util.Comparator.reverseOrder());
  }

  @Test
  void badVolumeCreatesAreRefusedAndMakeNothing() {
    int before = v235.get(NOVA + "/os-volumes").expect(200).get("volumes").size();
    for (String size : List.of("\"#$%\"", "\"\"", "\"0\"", "0", "1.5", "true")) {
      Api.Response refused = v235.post(NOVA + "/os-volumes", "{\"volume\": {\"size\": " + size + ", \"display_name\": \"bad\"}}");
      assertThat(refused.status()).as("size " + size).isEqualTo(400);
      assertThat(refused.json().has("badRequest")).isTrue();
    }
    assertThat(v235.post(NOVA + "/os-volumes", "{\"volume\": {\"display_name\": \"no-size\"}}").status()).isEqualTo(400);
    assertThat(v235.post(NOVA + "/os-volumes", "{\"volume\": {\"size\": 1, \"name\": \"cinder-style\"}}").status()).isEqualTo(400);
    assertThat(v235.post(NOVA + "/os-volumes", "{\"volume\": {\"size\": 1, \"snapshot_id\": \"" + UUID.randomUUID() + "\"}}").status())
        .isEqualTo(404);
    assertThat(v235.get(NOVA + "/os-volumes").expect(200).get("volumes")).hasSize(before);
    assertThat(v235.get(NOVA + "/os-volumes/").status()).as("a show without an id").isEqualTo(404);
    assertThat(tenant.api().withHeader("OpenStack-API-Version", "compute 2.36").get(NOVA + "/os-volumes").status())
        .isEqualTo(404);
  }

  @Test
  void snapshotsAreTakenShownListedAndDeletedInBlockStorage() {
    TempestSchemas schemas = new TempestSchemas();
    String volume = availableVolume("snapped");
    Api.Response created =
        v235.post(NOVA + "/os-snapshots", "{\"snapshot\": {\"volume_id\": \"" + volume + "\", \"display_name\": \"snap\", \"force\": \"false\"}}");
    schemas.check("compute.v2_1.snapshots.create_get_snapshot", created);
    String id = created.json().at("/snapshot/id").asText();
    assertThat(created.json().at("/snapshot/volumeId").asText()).isEqualTo(volume);
    Await.until(() -> v235.get(NOVA + "/os-snapshots/" + id).expect(200).at("/snapshot/status").asText().equals("available"),
        Await.DEFAULT, "snapshot available");

    Api.Response shown = v235.get(NOVA + "/os-snapshots/" + id);
    schemas.check("compute.v2_1.snapshots.create_get_snapshot", shown);
    assertThat(shown.json().at("/snapshot/displayName").asText()).isEqualTo("snap");
    assertThat(shown.json().at("/snapshot/size").asInt()).isEqualTo(1);
    Api.Response list = v235.get(NOVA + "/os-snapshots");
    schemas.check("compute.v2_1.snapshots.list_snapshots", list);
    assertThat(list.json().get("snapshots").findValuesAsText("id")).contains(id);
    assertThat(v235.get(NOVA + "/os-snapshots/detail").expect(200).get("snapshots").findValuesAsText("id")).contains(id);
    assertThat(tenant.api().get(tenant.cinder() + "/snapshots/" + id).expect(200).at("/snapshot/name").asText()).isEqualTo("snap");

    assertThat(v235.post(NOVA + "/os-snapshots", "{\"snapshot\": {\"display_name\": \"no-volume\"}}").status()).isEqualTo(400);
    assertThat(v235.post(NOVA + "/os-snapshots", "{\"snapshot\": {\"volume_id\": \"" + volume + "\", \"force\": \"maybe\"}}").status())
        .isEqualTo(400);
    assertThat(v235.post(NOVA + "/os-snapshots", "{\"snapshot\": {\"volume_id\": \"" + UUID.randomUUID() + "\"}}").status())
        .isEqualTo(404);

    Api.Response deleted = v235.delete(NOVA + "/os-snapshots/" + id);
    schemas.check("compute.v2_1.snapshots.delete_snapshot", deleted);
    Await.until(() -> v235.get(NOVA + "/os-snapshots/" + id).status() == 404, Await.DEFAULT, "snapshot gone");
    schemas.verify();
  }
}
