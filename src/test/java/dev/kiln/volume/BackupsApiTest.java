package dev.kiln.volume;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.Await;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.TempestSchemas;
import dev.kiln.testing.Tenant;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Cinder volume backups over HTTP, as Tempest's and cinder-tempest-plugin's backup tests drive
 * them: the views per call against Tempest's schemas, the volume and backup state machines,
 * incremental backups and their parents, restores, records, quotas and the admin actions.
 */
class BackupsApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Api admin;
  private static Api member;
  private static Tenant operator;
  private static Tenant tenant;
  private static String v3;

  @BeforeAll
  static void start() {
    operator = Tenant.admin(kiln);
    admin = operator.api();
    tenant = Tenant.create(kiln, admin, "backups", "backups-user");
    member = tenant.api();
    v3 = tenant.cinder();
  }

  private static Api at(String version) {
    return member.withHeader("OpenStack-API-Version", "volume " + version);
  }

  private static String volume(String name) {
    return Cloud.availableVolume(member, v3, name);
  }

  private static String availableBackup(Api api, String body) {
    Api.Response created = api.post(v3 + "/backups", "{\"backup\": " + body + "}");
    assertThat(created.status()).as(created.body()).isEqualTo(202);
    String id = created.json().at("/backup/id").asText();
    Await.until(() -> backup(api, id).path("status").asText().equals("available"), "backup " + id + " available");
    return id;
  }

  private static JsonNode backup(Api api, String id) {
    return api.get(v3 + "/backups/" + id).expect(200).get("backup");
  }

  private static void deleteAndAwaitGone(Api api, String id) {
    assertThat(api.delete(v3 + "/backups/" + id).status()).isEqualTo(202);
    Await.until(() -> api.get(v3 + "/backups/" + id).status() == 404, "backup " + id + " gone");
  }

  @Test
  void aBackupAskedForWhileCinderBackupIsDisabledIsRefusedWith503AndChangesNothing() {
    String source = volume("backup-service-off");
    String adminV3 = operator.cinder();
    admin.put(adminV3 + "/os-services/disable-log-reason",
            "{\"host\": \"kiln\", \"binary\": \"cinder-backup\", \"disabled_reason\": \"maintenance\"}")
        .expect(200);
    try {
      Api.Response refused = member.post(v3 + "/backups", "{\"backup\": {\"volume_id\": \"" + source + "\"}}");
      assertThat(refused.status()).as(refused.body()).isEqualTo(503);
      assertThat(refused.json().at("/serviceUnavailable/message").asText()).contains("cinder-backup");
      assertThat(Cloud.volumeStatus(member, v3, source)).isEqualTo("available");
      assertThat(member.get(v3 + "/backups?volume_id=" + source).expect(200).get("backups")).isEmpty();
    } finally {
      admin.put(adminV3 + "/os-services/enable", "{\"host\": \"kiln\", \"binary\": \"cinder-backup\"}").expect(200);
    }
    deleteAndAwaitGone(member, availableBackup(member, "{\"volume_id\": \"" + source + "\"}"));
    // The class's tests share the project's volume quota.
    assertThat(member.delete(v3 + "/volumes/" + source).status()).isEqualTo(202);
    Await.until(() -> member.get(v3 + "/volumes/" + source).status() == 404, "volume " + source + " gone");
  }

  @Test
  void backupViewsMatchTempestsSchemasAndARestoreGivesBackTheVolumesMetadata() {
    TempestSchemas schemas = new TempestSchemas();
    Api.Response made = member.post(v3 + "/volumes",
        "{\"volume\": {\"size\": 1, \"name\": \"with-meta\", \"metadata\": {\"vol-meta1\": \"value1\"}}}");
    String source = Cloud.awaitAvailable(member, v3, made.expect(202).at("/volume/id").asText(), Await.DEFAULT, "source");

    Api.Response created = member.post(v3 + "/backups",
        "{\"backup\": {\"volume_id\": \"" + source + "\", \"name\": \"b1\", \"description\": \"first\","
            + " \"container\": \"container\"}}");
    schemas.check("volume.backups.create_backup", created);
    String id = created.json().at("/backup/id").asText();
    assertThat(created.json().get("backup").has("status")).as("create answers the summary view").isFalse();
    Await.until(() -> backup(member, id).path("status").asText().equals("available"), "backup available");
    assertThat(Cloud.volumeStatus(member, v3, source)).isEqualTo("available");

    Api.Response shown = member.get(v3 + "/backups/" + id);
    schemas.check("volume.backups.show_backup", shown);
    JsonNode b = shown.json().get("backup");
    assertThat(b.get("container").asText()).isEqualTo("container");
    assertThat(b.get("description").asText()).isEqualTo("first");
    assertThat(b.get("size").asInt()).isEqualTo(1);
    assertThat(b.get("object_count").asInt()).isEqualTo(21);
    assertThat(b.get("is_incremental").asBoolean()).isFalse();
    assertThat(b.get("data_timestamp").asText()).isEqualTo(b.get("created_at").asText());
    assertThat(b.has("os-backup-project-attr:project_id")).as("an admin's attribute").isFalse();
    schemas.check("volume.backups.show_backup", admin.withHeader("OpenStack-API-Version", "volume 3.18")
        .get("/volume/v3/" + tenant.projectId() + "/backups/" + id));
    schemas.check("volume.backups.list_backups_no_detail", member.get(v3 + "/backups"));
    Api.Response detail = at("3.45").get(v3 + "/backups/detail?with_count=true&name=b1");
    schemas.check("volume.backups.list_backups_with_detail", member.get(v3 + "/backups/detail"));
    assertThat(detail.json().get("count").asInt()).isEqualTo(1);

    assertThat(member.put(v3 + "/backups/" + id, "{\"backup\": {\"name\": \"b2\"}}").status())
        .as("update is from 3.9").isEqualTo(404);
    Api.Response updated = at("3.43").put(v3 + "/backups/" + id,
        "{\"backup\": {\"name\": \"b2\", \"description\": \"renamed\", \"metadata\": {\"k\": \"v\"}}}");
    schemas.check("volume.backups.update_backup", updated);
    JsonNode after = at("3.43").get(v3 + "/backups/" + id).expect(200).get("backup");
    assertThat(after.get("name").asText()).isEqualTo("b2");
    assertThat(after.at("/metadata/k").asText()).isEqualTo("v");

    Api.Response restore = member.post(v3 + "/backups/" + id + "/restore", "{\"restore\": {\"name\": \"back\"}}");
    schemas.check("volume.backups.restore_backup", restore);
    String restored = restore.json().at("/restore/volume_id").asText();
    assertThat(restore.json().at("/restore/volume_name").asText()).isEqualTo("back");
    Cloud.awaitAvailable(member, v3, restored, Await.DEFAULT, "restored volume");
    Await.until(() -> backup(member, id).path("status").asText().equals("available"), "backup available again");
    assertThat(member.get(v3 + "/volumes/" + restored).expect(200).at("/volume/metadata/vol-meta1").asText())
        .isEqualTo("value1");
    schemas.verify();
  }

  @Test
  void anInUseVolumeNeedsForceAndStaysInUse() {
    String source = volume("attached");
    String action = v3 + "/volumes/" + source + "/action";
    member.post(action, "{\"os-reserve\": {}}").expect(202);
    member.post(action, "{\"os-attach\": {\"instance_uuid\": \"" + UUID.randomUUID() + "\", \"mountpoint\": \"/dev/vdb\"}}")
        .expect(202);
    assertThat(Cloud.volumeStatus(member, v3, source)).isEqualTo("in-use");
    Api.Response refused = member.post(v3 + "/backups", "{\"backup\": {\"volume_id\": \"" + source + "\"}}");
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body()).contains("Backing up an in-use volume must use the force flag.");
    String id = availableBackup(member, "{\"volume_id\": \"" + source + "\", \"force\": true}");
    assertThat(backup(member, id).get("volume_id").asText()).isEqualTo(source);
    assertThat(Cloud.volumeStatus(member, v3, source)).isEqualTo("in-use");
  }

  @Test
  void incrementalBackupsNeedAFullParentWhichTheyProtectFromDeletion() {
    String source = volume("incremental");
    Api.Response orphan = member.post(v3 + "/backups",
        "{\"backup\": {\"volume_id\": \"" + source + "\", \"incremental\": true}}");
    assertThat(orphan.status()).isEqualTo(400);
    assertThat(orphan.body()).contains("No backups available to do an incremental backup.");

    String full = availableBackup(member, "{\"volume_id\": \"" + source + "\"}");
    assertThat(backup(member, full).get("has_dependent_backups").asBoolean()).isFalse();
    String child = availableBackup(member, "{\"volume_id\": \"" + source + "\", \"incremental\": \"True\"}");
    assertThat(backup(member, child).get("is_incremental").asBoolean()).isTrue();
    assertThat(backup(member, child).get("object_count").asInt()).isZero();
    assertThat(backup(member, full).get("has_dependent_backups").asBoolean()).isTrue();

    Api.Response refused = member.delete(v3 + "/backups/" + full);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body()).contains("Incremental backups exist for this backup.");
    // An admin's backups of the member's volume are the admin project's: none to build on.
    assertThat(admin.post("/volume/v3/" + operator.projectId() + "/backups",
        "{\"backup\": {\"volume_id\": \"" + source + "\", \"incremental\": true}}").status()).isEqualTo(400);

    deleteAndAwaitGone(member, child);
    assertThat(backup(member, full).get("has_dependent_backups").asBoolean()).isFalse();
    deleteAndAwaitGone(member, full);
  }

  @Test
  void aBackupOfASnapshotHoldsTheSnapshotAndDatesItsDataFromIt() {
    String source = volume("snapped");
    Api.Response snap = member.post(v3 + "/snapshots", "{\"snapshot\": {\"volume_id\": \"" + source + "\"}}");
    String snapshot = snap.expect(202).at("/snapshot/id").asText();
    Await.until(() -> member.get(v3 + "/snapshots/" + snapshot).expect(200).at("/snapshot/status").asText()
        .equals("available"), "snapshot available");
    String id = availableBackup(member, "{\"volume_id\": \"" + source + "\", \"snapshot_id\": \"" + snapshot + "\"}");
    JsonNode b = backup(member, id);
    assertThat(b.get("snapshot_id").asText()).isEqualTo(snapshot);
    assertThat(b.get("data_timestamp").asText())
        .isEqualTo(member.get(v3 + "/snapshots/" + snapshot).expect(200).at("/snapshot/created_at").asText());
    assertThat(member.get(v3 + "/snapshots/" + snapshot).expect(200).at("/snapshot/status").asText()).isEqualTo("available");

    String other = volume("other");
    assertThat(member.post(v3 + "/backups",
        "{\"backup\": {\"volume_id\": \"" + other + "\", \"snapshot_id\": \"" + snapshot + "\"}}").status())
        .as("a snapshot of another volume").isEqualTo(400);
  }

  @Test
  void aRestoreOverAnExistingVolumeNeedsItAvailableAndLargeEnough() {
    String source = member.post(v3 + "/volumes", "{\"volume\": {\"size\": 2, \"name\": \"two\"}}")
        .expect(202).at("/volume/id").asText();
    Cloud.awaitAvailable(member, v3, source, Await.DEFAULT, "source");
    String id = availableBackup(member, "{\"volume_id\": \"" + source + "\"}");
    String small = volume("small");
    Api.Response tooSmall = member.post(v3 + "/backups/" + id + "/restore", "{\"restore\": {\"volume_id\": \"" + small + "\"}}");
    assertThat(tooSmall.status()).isEqualTo(400);
    assertThat(tooSmall.body()).contains("volume size 1 is too small to restore backup of size 2.");
    assertThat(backup(member, id).get("status").asText()).isEqualTo("available");

    Api.Response restore = member.post(v3 + "/backups/" + id + "/restore", "{\"restore\": {\"volume_id\": \"" + source + "\"}}");
    assertThat(restore.expect(202).at("/restore/volume_id").asText()).isEqualTo(source);
    assertThat(restore.json().at("/restore/volume_name").asText()).isEqualTo("two");
    Cloud.awaitAvailable(member, v3, source, Await.DEFAULT, "restored over");
    Await.until(() -> backup(member, id).path("status").asText().equals("available"), "backup available");
    assertThat(member.post(v3 + "/backups/" + id + "/restore", "{\"restore\": null}").expect(202)
        .at("/restore/volume_name").asText()).isEqualTo("restore_backup_" + id);
  }

  @Test
  void backupsCountAgainstTheirQuotasWithCindersOverLimitFault() {
    Tenant small = Tenant.create(kiln, admin, "backup-quota", "backup-quota-user");
    String cinder = small.cinder();
    admin.put("/volume/v3/" + operator.projectId() + "/os-quota-sets/" + small.projectId(),
        "{\"quota_set\": {\"backups\": 1}}").expect(200);
    String source = Cloud.availableVolume(small.api(), cinder, "quota");
    Api.Response first = small.api().post(cinder + "/backups", "{\"backup\": {\"volume_id\": \"" + source + "\"}}");
    String id = first.expect(202).at("/backup/id").asText();
    Await.until(() -> small.api().get(cinder + "/backups/" + id).expect(200).at("/backup/status").asText()
        .equals("available"), "backup available");
    Api.Response over = small.api().post(cinder + "/backups", "{\"backup\": {\"volume_id\": \"" + source + "\"}}");
    assertThat(over.status()).isEqualTo(413);
    assertThat(over.json().at("/overLimit/message").asText()).contains("BackupLimitExceeded")
        .contains("Maximum number of backups allowed (1) exceeded");
    JsonNode usage = small.api().get(cinder + "/os-quota-sets/" + small.projectId() + "?usage=True")
        .expect(200).get("quota_set");
    assertThat(usage.at("/backups/in_use").asInt()).isEqualTo(1);
    assertThat(usage.at("/backup_gigabytes/in_use").asInt()).isEqualTo(1);
    assertThat(small.api().get(cinder + "/limits").expect(200).at("/limits/absolute/totalBackupsUsed").asInt()).isEqualTo(1);

    assertThat(small.api().delete(cinder + "/backups/" + id).status()).isEqualTo(202);
    Await.until(() -> small.api().get(cinder + "/backups/" + id).status() == 404, "backup gone");
    assertThat(small.api().get(cinder + "/os-quota-sets/" + small.projectId() + "?usage=True")
        .expect(200).at("/quota_set/backups/in_use").asInt()).isZero();
  }

  @Test
  void adminsResetForceDeleteExportAndImportBackups() throws Exception {
    TempestSchemas schemas = new TempestSchemas();
    String source = volume("admin-actions");
    String id = availableBackup(member, "{\"volume_id\": \"" + source + "\", \"name\": \"exported\"}");
    String action = v3 + "/backups/" + id + "/action";
    assertThat(member.post(action, "{\"os-reset_status\": {\"status\": \"error\"}}").status()).isEqualTo(403);
    assertThat(admin.post(action, "{\"os-reset_status\": {\"status\": \"restoring\"}}").status()).isEqualTo(400);
    schemas.check("volume.backups.reset_backup_status", admin.post(action, "{\"os-reset_status\": {\"status\": \"error\"}}"));
    assertThat(backup(member, id).get("status").asText()).isEqualTo("error");
    assertThat(admin.get(v3 + "/backups/" + id + "/export_record").status()).as("only available backups").isEqualTo(400);
    admin.post(action, "{\"os-reset_status\": {\"status\": \"available\"}}").expect(202);

    assertThat(member.get(v3 + "/backups/" + id + "/export_record").status()).isEqualTo(403);
    Api.Response exported = admin.get(v3 + "/backups/" + id + "/export_record");
    schemas.check("volume.backups.export_backup", exported);
    JsonNode record = exported.json().get("backup-record");
    assertThat(record.get("backup_service").asText()).startsWith("cinder.backup.drivers");
    ObjectNode decoded = (ObjectNode) JSON.readTree(Base64.getDecoder().decode(record.get("backup_url").asText()));
    String copy = UUID.randomUUID().toString();
    decoded.put("id", copy);
    String url = Base64.getEncoder().encodeToString(decoded.toString().getBytes(StandardCharsets.UTF_8));
    String adminV3 = "/volume/v3/" + operator.projectId();
    Api.Response imported = admin.post(adminV3 + "/backups/import_record",
        "{\"backup-record\": {\"backup_service\": \"" + record.get("backup_service").asText() + "\", \"backup_url\": \"" + url + "\"}}");
    schemas.check("volume.backups.import_backup", imported);
    assertThat(imported.json().at("/backup/id").asText()).isEqualTo(copy);
    Await.until(() -> admin.get(adminV3 + "/backups/" + copy).expect(200).at("/backup/status").asText().equals("available"),
        "imported backup available");
    assertThat(admin.post(adminV3 + "/backups/import_record",
        "{\"backup-record\": {\"backup_service\": \"" + record.get("backup_service").asText() + "\", \"backup_url\": \"" + url + "\"}}")
        .status()).as("the id exists").isEqualTo(400);
    assertThat(admin.post(adminV3 + "/backups/import_record",
        "{\"backup-record\": {\"backup_service\": \"" + record.get("backup_service").asText() + "\", \"backup_url\": \"not-base64!\"}}")
        .status()).isEqualTo(400);

    admin.post(action, "{\"os-reset_status\": {\"status\": \"error\"}}").expect(202);
    assertThat(admin.post(action, "{\"os-force_delete\": {}}").status()).isEqualTo(202);
    Await.until(() -> member.get(v3 + "/backups/" + id).status() == 404, "force-deleted");
    deleteAndAwaitGone(admin, copy);
    schemas.verify();
  }
  @Test
  void listsFilterSortAndPageAsCindersDo() {
    Tenant lister = Tenant.create(kiln, admin, "backup-lists", "backup-lists-user");
    Api api = lister.api();
    String cinder = lister.cinder();
    String source = Cloud.availableVolume(api, cinder, "listed");
    String first = api.post(cinder + "/backups", "{\"backup\": {\"volume_id\": \"" + source + "\", \"name\": \"list-a\"}}")
        .expect(202).at("/backup/id").asText();
    Await.until(() -> api.get(cinder + "/backups/" + first).expect(200).at("/backup/status").asText().equals("available"), "a");
    String second = api.post(cinder + "/backups", "{\"backup\": {\"volume_id\": \"" + source + "\", \"name\": \"list-b\"}}")
        .expect(202).at("/backup/id").asText();
    Await.until(() -> api.get(cinder + "/backups/" + second).expect(200).at("/backup/status").asText().equals("available"), "b");

    JsonNode byName = api.get(cinder + "/backups/detail?sort=name:asc").expect(200);
    assertThat(byName.findValuesAsText("name")).containsExactly("list-a", "list-b");
    JsonNode page = api.get(cinder + "/backups?sort=name:asc&limit=1").expect(200);
    assertThat(page.findValuesAsText("name")).containsExactly("list-a");
    assertThat(page.at("/backups_links/0/href").asText()).contains("marker=" + first);
    assertThat(api.get(cinder + "/backups?sort=name:asc&limit=1&marker=" + first).expect(200).findValuesAsText("name"))
        .containsExactly("list-b");
    assertThat(api.get(cinder + "/backups?volume_id=" + source + "&name=list-b").expect(200).findValuesAsText("id"))
        .containsExactly(second);
    assertThat(api.get(cinder + "/backups?sort_key=volume_type").status()).isEqualTo(400);
    assertThat(api.get(cinder + "/backups?container=volumebackups").status())
        .as("not a filter members may use").isEqualTo(400);
    assertThat(api.get(cinder + "/backups").expect(200).get("backups")).allSatisfy(b ->
        assertThat(b.get("links").get(0).get("href").asText()).endsWith("/v3/" + lister.projectId() + "/backups/" + b.get("id").asText()));
  }
}
