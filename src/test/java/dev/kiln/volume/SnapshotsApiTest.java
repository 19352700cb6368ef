package dev.kiln.volume;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.Await;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.TempestSchemas;
import dev.kiln.testing.Tenant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Cinder snapshots over HTTP, as Tempest's snapshot tests drive them: the views per call, their
 * metadata, the admin actions, and the list conventions (sort keys, markers, offsets).
 */
class SnapshotsApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static Api member;
  private static String adminV3;
  private static String v3;
  private static String volume;

  @BeforeAll
  static void start() {
    Tenant operator = Tenant.admin(kiln);
    admin = operator.api();
    Tenant tenant = Tenant.create(kiln, admin, "snaps", "snaps-user");
    member = tenant.api();
    v3 = tenant.cinder();
    adminV3 = "/volume/v3/" + operator.projectId();
    volume = Cloud.availableVolume(member, v3, "origin");
  }

  private static String availableSnapshot(String body) {
    Api.Response created = member.post(v3 + "/snapshots", "{\"snapshot\": " + body + "}");
    assertThat(created.status()).as(created.body()).isEqualTo(202);
    String id = created.json().at("/snapshot/id").asText();
    Await.until(() -> status(id).equals("available"), "snapshot " + id + " available");
    return id;
  }

  private static String status(String snapshot) {
    return member.get(v3 + "/snapshots/" + snapshot).expect(200).at("/snapshot/status").asText();
  }

  @Test
  void snapshotViewsAreCindersPerCall() {
    TempestSchemas schemas = new TempestSchemas();
    Api.Response created = member.post(v3 + "/snapshots",
        "{\"snapshot\": {\"volume_id\": \"" + volume + "\", \"name\": \"s1\", \"metadata\": {\"purpose\": \"test\"}}}");
    JsonNode snapshot = created.expect(202).get("snapshot");
    assertThat(snapshot.has("links")).isFalse();
    assertThat(snapshot.has("os-extended-snapshot-attributes:project_id")).isFalse();
    assertThat(snapshot.at("/metadata/purpose").asText()).isEqualTo("test");
    schemas.check("create", "volume.snapshots.create_snapshot", created);
    String id = snapshot.get("id").asText();
    Await.until(() -> status(id).equals("available"), "available");

    Api.Response shown = member.get(v3 + "/snapshots/" + id);
    assertThat(shown.json().at("/snapshot/os-extended-snapshot-attributes:progress").asText()).isEqualTo("100%");
    schemas.check("show", "volume.snapshots.show_snapshot", shown);
    schemas.check("update", "volume.snapshots.update_snapshot",
        member.put(v3 + "/snapshots/" + id, "{\"snapshot\": {\"name\": \"s2\"}}"));
    schemas.check("list", "volume.snapshots.list_snapshots_no_detail", member.get(v3 + "/snapshots"));
    schemas.check("detail", "volume.snapshots.list_snapshots_with_detail", member.get(v3 + "/snapshots/detail"));
    schemas.verify();
    assertThat(at("3.41").get(v3 + "/snapshots/" + id).json().at("/snapshot/user_id").asText()).isNotEmpty();
  }

  private static Api at(String version) {
    return member.withHeader("OpenStack-API-Version", "volume " + version);
  }

  @Test
  void snapshotMetadataIsKeptAndChangedItemByItem() {
    String id = availableSnapshot("{\"volume_id\": \"" + volume + "\", \"metadata\": {\"a\": \"1\"}}");
    String metadata = v3 + "/snapshots/" + id + "/metadata";
    assertThat(member.post(metadata, "{\"metadata\": {\"b\": \"2\"}}").expect(200).get("metadata").toString())
        .isEqualTo("{\"a\":\"1\",\"b\":\"2\"}");
    assertThat(member.put(metadata, "{\"metadata\": {\"c\": \"3\"}}").expect(200).get("metadata").toString())
        .isEqualTo("{\"c\":\"3\"}");
    assertThat(member.put(metadata + "/c", "{\"meta\": {\"c\": \"4\"}}").expect(200).at("/meta/c").asText()).isEqualTo("4");
    assertThat(member.put(metadata + "/c", "{\"meta\": {\"d\": \"4\"}}").status()).isEqualTo(400);
    assertThat(member.get(metadata + "/c").expect(200).at("/meta/c").asText()).isEqualTo("4");
    assertThat(member.delete(metadata + "/c").status()).isEqualTo(200);
    assertThat(member.get(metadata + "/c").status()).isEqualTo(404);
    assertThat(member.get(metadata).expect(200).get("metadata")).isEmpty();
  }

  @Test
  void adminsResetAndForceDeleteSnapshotsAndDriversReportProgress() {
    String id = availableSnapshot("{\"volume_id\": \"" + volume + "\"}");
    String action = v3 + "/snapshots/" + id + "/action";
    assertThat(member.post(action, "{\"os-reset_status\": {\"status\": \"creating\"}}").status()).isEqualTo(403);
    assertThat(admin.post(action, "{\"os-reset_status\": {\"status\": \"creating\"}}").status()).isEqualTo(202);
    assertThat(status(id)).isEqualTo("creating");
    assertThat(member.post(action, "{\"os-update_snapshot_status\": {\"status\": \"deleting\"}}").status())
        .as("creating may become creating, available or error only").isEqualTo(400);
    assertThat(member.post(action, "{\"os-update_snapshot_status\": {\"status\": \"error\", \"progress\": \"80%\"}}").status())
        .isEqualTo(202);
    JsonNode shown = admin.get(v3 + "/snapshots/" + id).expect(200).get("snapshot");
    assertThat(shown.get("status").asText()).isEqualTo("error");
    assertThat(shown.get("os-extended-snapshot-attributes:progress").asText()).isEqualTo("80%");

    assertThat(admin.post(action, "{\"os-reset_status\": {\"status\": \"deleting\"}}").status()).isEqualTo(202);
    assertThat(member.delete(v3 + "/snapshots/" + id).status()).as("deleting is not deletable").isEqualTo(400);
    assertThat(admin.post(action, "{\"os-force_delete\": {}}").status()).isEqualTo(202);
    assertThat(member.get(v3 + "/snapshots/" + id).status()).isEqualTo(404);
  }

  @Test
  void listsCheckSortKeysMarkersAndOffsets() {
    String first = availableSnapshot("{\"volume_id\": \"" + volume + "\", \"name\": \"list-a\"}");
    String second = availableSnapshot("{\"volume_id\": \"" + volume + "\", \"name\": \"list-b\"}");
    Api.Response badSort = member.get(v3 + "/snapshots?sort_key=invalid");
    assertThat(badSort.status()).isEqualTo(400);
    assertThat(badSort.body()).contains("sort key");
    Api.Response badMarker = member.get(v3 + "/snapshots?marker=9d6e3b8c-5a2f-4d4e-9b1a-1f0e2d3c4b5a");
    assertThat(badMarker.status()).isEqualTo(404);
    assertThat(badMarker.body()).contains("Marker");

    assertThat(at("3.34").get(v3 + "/snapshots?sort=name:asc&name~=list-").expect(200).get("snapshots").findValuesAsText("id"))
        .containsExactly(first, second);
    assertThat(member.get(v3 + "/snapshots?sort_key=display_name&sort_dir=asc").status())
        .as("display_name sorts as name").isEqualTo(200);
    JsonNode page = at("3.34").get(v3 + "/snapshots?sort=name:asc&name~=list-&limit=1").expect(200);
    assertThat(page.get("snapshots").findValuesAsText("id")).containsExactly(first);
    String next = page.at("/snapshots_links/0/href").asText();
    assertThat(next).contains("marker=" + first).contains("limit=1");
    JsonNode offset = at("3.34").get(v3 + "/snapshots?sort=name:asc&name~=list-&offset=1").expect(200);
    assertThat(offset.get("snapshots").findValuesAsText("id")).containsExactly(second);
  }

  @Test
  void aSnapshotOfNoVolumeIsNotFound() {
    Api.Response created = member.post(v3 + "/snapshots", "{\"snapshot\": {\"volume_id\": null, \"display_name\": \"x\"}}");
    assertThat(created.status()).isEqualTo(404);
    assertThat(created.json().at("/itemNotFound/message").asText()).contains("could not be found");
    assertThat(admin.get(adminV3 + "/snapshots?all_tenants=1").status()).isEqualTo(200);
  }
}
