package dev.kiln.volume;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.Await;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.OpenStackCli;
import dev.kiln.testing.Tenant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /volumes} with {@code backup_id} (3.47): the new volume is made, then restored from
 * the backup (passing through {@code restoring-backup}), with the backed-up metadata.
 */
class VolumeFromBackupApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api member;
  private static String v3;

  @BeforeAll
  static void start() {
    Tenant operator = Tenant.admin(kiln);
    Tenant tenant = Tenant.create(kiln, operator.api(), "from-backup", "from-backup-user");
    operator.api().put("/volume/v3/" + operator.projectId() + "/os-quota-sets/" + tenant.projectId(),
        "{\"quota_set\": {\"volumes\": 40, \"gigabytes\": 100}}").expect(200);
    member = tenant.api().withHeader("OpenStack-API-Version", "volume 3.47");
    v3 = tenant.cinder();
  }

  private static String availableBackup(String volumeId) {
    String id = member.post(v3 + "/backups", "{\"backup\": {\"volume_id\": \"" + volumeId + "\"}}").expect(202).at("/backup/id").asText();
    Await.until(() -> backup(id).path("status").asText().equals("available"), "backup " + id + " available");
    return id;
  }

  private static JsonNode backup(String id) {
    return member.get(v3 + "/backups/" + id).expect(200).get("backup");
  }

  private static JsonNode volume(String id) {
    return member.get(v3 + "/volumes/" + id).expect(200).get("volume");
  }

  @Test
  void aVolumeMadeFromABackupIsRestoredFromItAndGetsItsMetadata() {
    String source = Cloud.awaitAvailable(member, v3,
        member.post(v3 + "/volumes", "{\"volume\": {\"size\": 1, \"metadata\": {\"kept\": \"yes\"}}}").expect(202).at("/volume/id").asText(),
        Await.DEFAULT, "source");
    String backupId = availableBackup(source);

    JsonNode created = member.post(v3 + "/volumes", "{\"volume\": {\"name\": \"restored\", \"backup_id\": \"" + backupId + "\"}}").expect(202).get("volume");
    assertThat(created.get("status").asText()).isEqualTo("creating");
    assertThat(created.get("size").asInt()).isEqualTo(1);
    String id = created.get("id").asText();
    List<String> seen = new ArrayList<>();
    Await.until(() -> {
      String status = volume(id).get("status").asText();
      if (seen.isEmpty() || !seen.getLast().equals(status)) {
        seen.add(status);
      }
      return status.equals("available");
    }, "volume from backup available");
    assertThat(seen).isSubsetOf("creating", "restoring-backup", "available").endsWith("available");
    assertThat(volume(id).get("metadata").get("kept").asText()).isEqualTo("yes");
    assertThat(backup(backupId).get("status").asText()).isEqualTo("available");

    // A size larger than the backup's is kept.
    String bigger = member.post(v3 + "/volumes", "{\"volume\": {\"size\": 3, \"backup_id\": \"" + backupId + "\"}}").expect(202).at("/volume/id").asText();
    Cloud.awaitAvailable(member, v3, bigger, Await.DEFAULT, "bigger");
    assertThat(volume(bigger).get("size").asInt()).isEqualTo(3);
  }

  @Test
  void badBackupSourcesAreRefusedAndMakeNoVolume() {
    String source = Cloud.availableVolume(member, v3, "bad-source");
    String backupId = availableBackup(source);
    int before = member.get(v3 + "/volumes").expect(200).get("volumes").size();

    member.post(v3 + "/volumes", "{\"volume\": {\"backup_id\": \"00000000-0000-0000-0000-000000000000\"}}").expect(404);
    assertThat(member.post(v3 + "/volumes", "{\"volume\": {\"size\": 2, \"backup_id\": \"" + backupId + "\", \"source_volid\": \"" + source + "\"}}")
        .expect(400).toString()).contains("only one of");
    // Before 3.47 Cinder ignores backup_id, so a volume of the size asked for is made empty.
    String old = member.withHeader("OpenStack-API-Version", "volume 3.46")
        .post(v3 + "/volumes", "{\"volume\": {\"size\": 1, \"backup_id\": \"" + backupId + "\"}}").expect(202).at("/volume/id").asText();
    Cloud.awaitAvailable(member, v3, old, Await.DEFAULT, "old");
    assertThat(backup(backupId).get("status").asText()).isEqualTo("available");
    assertThat(member.get(v3 + "/volumes").expect(200).get("volumes")).hasSize(before + 1);
  }

  @Test
  void cindersClientCreatesAVolumeFromABackup() {
    String backupId = availableBackup(Cloud.availableVolume(member, v3, "cli-source"));
    OpenStackCli cli = OpenStackCli.as(kiln.authUrl(), "from-backup-user", "pw", "from-backup");
    cli.cinderOk("3.47", "create", "--backup-id", backupId, "--name", "cli-restored");
    String id = member.get(v3 + "/volumes?name=cli-restored").expect(200).at("/volumes/0/id").asText();
    Cloud.awaitAvailable(member, v3, id, Await.DEFAULT, "cli-restored");
    assertThat(backup(backupId).get("status").asText()).isEqualTo("available");
  }

  @Test
  void aFailedCreateFromABackupGivesTheBackupBack() {
    String backupId = availableBackup(Cloud.availableVolume(member, v3, "fail-source"));
    String id = member.post(v3 + "/volumes",
        "{\"volume\": {\"backup_id\": \"" + backupId + "\", \"metadata\": {\"kiln:fail\": \"create\"}}}").expect(202).at("/volume/id").asText();
    assertThat(backup(backupId).get("status").asText()).isIn("restoring", "available");
    Await.until(() -> volume(id).get("status").asText().equals("error"), "volume error");
    assertThat(backup(backupId).get("status").asText()).isEqualTo("available");
  }

  @Test
  void aVolumeAFailedRestoreLeftErrorRestoringCanBeDeleted() {
    String backupId = availableBackup(
        Cloud.awaitAvailable(member, v3,
            member.post(v3 + "/volumes", "{\"volume\": {\"size\": 1, \"metadata\": {\"kiln:fail\": \"restore\"}}}")
                .expect(202).at("/volume/id").asText(),
            Await.DEFAULT, "failing-restore-source"));
    String target = Cloud.availableVolume(member, v3, "failing-restore-target");
    member.post(v3 + "/backups/" + backupId + "/restore", "{\"restore\": {\"volume_id\": \"" + target + "\"}}").expect(202);
    Await.until(() -> volume(target).get("status").asText().equals("error_restoring"), "volume error_restoring");

    assertThat(member.delete(v3 + "/volumes/" + target).status()).isEqualTo(202);
    Await.until(() -> member.get(v3 + "/volumes/" + target).status() == 404, "volume gone");
    assertThat(backup(backupId).get("status").asText()).isEqualTo("available");
  }

  @Test
  void aCreateFromABackupOverTheQuotaIsRefusedAndLeavesTheBackupAvailable() {
    String backupId = availableBackup(Cloud.availableVolume(member, v3, "quota-source"));
    member.post(v3 + "/volumes", "{\"volume\": {\"size\": 500, \"backup_id\": \"" + backupId + "\"}}").expect(413);
    assertThat(backup(backupId).get("status").asText()).isEqualTo("available");
  }
}
