package dev.kiln.volume;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.Await;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Race;
import dev.kiln.testing.TempestSchemas;
import dev.kiln.testing.Tenant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Cinder's volume transfers over HTTP: the offer, the key, the move of the volume and its quota. */
class VolumeTransfersApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static Tenant donor;
  private static Tenant recipient;

  @BeforeAll
  static void start() {
    admin = Tenant.admin(kiln).api();
    donor = Tenant.create(kiln, admin, "transfer-donor", "donor-user");
    recipient = Tenant.create(kiln, admin, "transfer-recipient", "recipient-user");
  }

  private static String availableVolume(Tenant owner, int size) {
    String id = owner.api().post(owner.cinder() + "/volumes", "{\"volume\": {\"size\": " + size + "}}").expect(202)
        .at("/volume/id").asText();
    Await.until(() -> status(owner, id).equals("available"), "volume " + id + " available");
    return id;
  }

  private static String status(Tenant owner, String volumeId) {
    return owner.api().get(owner.cinder() + "/volumes/" + volumeId).json().at("/volume/status").asText();
  }

  private static JsonNode usage(Tenant tenant) {
    return admin.get("/volume/v3/" + tenant.projectId() + "/os-quota-sets/" + tenant.projectId() + "?usage=True")
        .expect(200).get("quota_set");
  }

  @Test
  void acceptingMovesTheVolumeAndItsQuotaUsage() {
    String volume = availableVolume(donor, 3);
    long donorGb = usage(donor).at("/gigabytes/in_use").asLong();
    long recipientGb = usage(recipient).at("/gigabytes/in_use").asLong();

    JsonNode made = donor.api().post(donor.cinder() + "/os-volume-transfer",
        "{\"transfer\": {\"volume_id\": \"" + volume + "\", \"name\": \" gift \"}}").expect(202).get("transfer");
    String transfer = made.get("id").asText();
    String key = made.get("auth_key").asText();
    assertThat(key).hasSize(16);
    assertThat(made.get("name").asText()).isEqualTo("gift");
    assertThat(made.has("no_snapshots")).as("only from 3.55").isFalse();
    assertThat(status(donor, volume)).isEqualTo("awaiting-transfer");

    JsonNode shown = donor.api().get(donor.cinder() + "/os-volume-transfer/" + transfer).expect(200).get("transfer");
    assertThat(shown.get("volume_id").asText()).isEqualTo(volume);
    assertThat(shown.has("auth_key")).isFalse();
    assertThat(recipient.api().get(recipient.cinder() + "/os-volume-transfer/" + transfer).status())
        .as("only the donor sees the offer").isEqualTo(404);
    assertThat(donor.api().delete(donor.cinder() + "/volumes/" + volume).status())
        .as("a volume on offer is not deleted").isEqualTo(400);

    Api.Response wrongKey = recipient.api().post(recipient.cinder() + "/os-volume-transfer/" + transfer + "/accept",
        "{\"accept\": {\"auth_key\": \"not-the-key\"}}");
    assertThat(wrongKey.status()).isEqualTo(400);
    assertThat(wrongKey.json().at("/badRequest/message").asText())
        .isEqualTo("Invalid auth key: Attempt to transfer " + transfer + " with invalid auth key.");
    assertThat(status(donor, volume)).isEqualTo("awaiting-transfer");

    JsonNode accepted = recipient.api().post(recipient.cinder() + "/os-volume-transfer/" + transfer + "/accept",
        "{\"accept\": {\"auth_key\": \"" + key + "\"}}").expect(202).get("transfer");
    assertThat(accepted.get("volume_id").asText()).isEqualTo(volume);

    JsonNode moved = admin.get("/volume/v3/" + recipient.projectId() + "/volumes/" + volume).expect(200).get("volume");
    assertThat(moved.get("status").asText()).isEqualTo("available");
    assertThat(moved.get("user_id").asText()).isEqualTo(recipient.userId());
    assertThat(moved.get("os-vol-tenant-attr:tenant_id").asText()).isEqualTo(recipient.projectId());
    assertThat(donor.api().get(donor.cinder() + "/volumes/" + volume).status()).isEqualTo(404);
    assertThat(usage(donor).at("/gigabytes/in_use").asLong()).isEqualTo(donorGb - 3);
    assertThat(usage(recipient).at("/gigabytes/in_use").asLong()).isEqualTo(recipientGb + 3);
    assertThat(donor.api().get(donor.cinder() + "/os-volume-transfer/" + transfer).status())
        .as("an accepted transfer is gone").isEqualTo(404);
  }

  @Test
  void deletingTheTransferGivesTheVolumeBack() {
    String volume = availableVolume(donor, 1);
    Api v357 = donor.api().withHeader("OpenStack-API-Version", "volume 3.57");
    JsonNode made = v357.post(donor.cinder() + "/volume-transfers",
        "{\"transfer\": {\"volume_id\": \"" + volume + "\", \"no_snapshots\": true}}").expect(202).get("transfer");
    assertThat(made.get("no_snapshots").asBoolean()).isTrue();
    assertThat(made.get("source_project_id").asText()).isEqualTo(donor.projectId());
    assertThat(made.get("destination_project_id").isNull()).isTrue();
    assertThat(made.get("accepted").asBoolean()).isFalse();
    String transfer = made.get("id").asText();

    JsonNode listed = v357.get(donor.cinder() + "/volume-transfers/detail").expect(200).get("transfers");
    assertThat(listed.findValuesAsText("id")).contains(transfer);
    JsonNode summary = donor.api().get(donor.cinder() + "/os-volume-transfer").expect(200).get("transfers");
    assertThat(summary.get(0).has("created_at")).as("the summary list has no details").isFalse();
    assertThat(recipient.api().get(recipient.cinder() + "/os-volume-transfer").expect(200).get("transfers").size()).isZero();

    Api.Response again = donor.api().post(donor.cinder() + "/os-volume-transfer",
        "{\"transfer\": {\"volume_id\": \"" + volume + "\"}}");
    assertThat(again.status()).isEqualTo(400);
    assertThat(again.json().at("/badRequest/message").asText()).isEqualTo("Invalid volume: status must be available");

    donor.api().delete(donor.cinder() + "/volume-transfers/" + transfer).expect(202);
    assertThat(status(donor, volume)).isEqualTo("available");
    assertThat(donor.api().delete(donor.cinder() + "/volume-transfers/" + transfer).status()).isEqualTo(404);
  }

  @Test
  void badRequestsAreRefusedByName() {
    Api.Response notUuid = donor.api().post(donor.cinder() + "/os-volume-transfer", "{\"transfer\": {\"volume_id\": \"abc\"}}");
    assertThat(notUuid.status()).isEqualTo(400);
    Api.Response missing = donor.api().post(donor.cinder() + "/os-volume-transfer",
        "{\"transfer\": {\"volume_id\": \"6f0b4e5c-8f2e-4a43-9d0f-1c2d3e4f5a6b\"}}");
    assertThat(missing.status()).isEqualTo(404);
    String volume = availableVolume(donor, 1);
    assertThat(donor.api().post(donor.cinder() + "/os-volume-transfer",
        "{\"transfer\": {\"volume_id\": \"" + volume + "\", \"no_snapshots\": true}}").status())
        .as("no_snapshots is not in the original extension").isEqualTo(400);
    assertThat(recipient.api().post(recipient.cinder() + "/os-volume-transfer",
        "{\"transfer\": {\"volume_id\": \"" + volume + "\"}}").status())
        .as("only the owner offers a volume").isEqualTo(404);
    assertThat(recipient.api().post(recipient.cinder() + "/os-volume-transfer/no-such/accept",
        "{\"accept\": {\"auth_key\": \"x\"}}").status()).isEqualTo(404);
  }

  @Test
  void racingAcceptsMoveTheVolumeOnce() {
    String volume = availableVolume(donor, 2);
    JsonNode made = donor.api().post(donor.cinder() + "/os-volume-transfer",
        "{\"transfer\": {\"volume_id\": \"" + volume + "\"}}").expect(202).get("transfer");
    long before = usage(recipient).at("/volumes/in_use").asLong();
    List<Integer> statuses = Race.run(10, i -> recipient.api().post(
        recipient.cinder() + "/os-volume-transfer/" + made.get("id").asText() + "/accept",
        "{\"accept\": {\"auth_key\": \"" + made.get("auth_key").asText() + "\"}}").status());
    assertThat(statuses).filteredOn(s -> s == 202).hasSize(1);
    assertThat(statuses).filteredOn(s -> s != 202).containsOnly(404);
    assertThat(usage(recipient).at("/volumes/in_use").asLong()).isEqualTo(before + 1);
  }

  @Test
  void answersMatchTempestsSchemasAtEachMicroversion() {
    TempestSchemas schemas = new TempestSchemas();
    String[][] versions = {{"3.0", "volume.transfers", "os-volume-transfer"},
        {"3.55", "volume.v3_55.transfers", "volume-transfers"}, {"3.57", "volume.v3_57.transfers", "volume-transfers"}};
    for (String[] v : versions) {
      Api from = donor.api().withHeader("OpenStack-API-Version", "volume " + v[0]);
      Api to = recipient.api().withHeader("OpenStack-API-Version", "volume " + v[0]);
      String url = donor.cinder() + "/" + v[2];
      String volume = availableVolume(donor, 1);
      Api.Response made = from.post(url, "{\"transfer\": {\"volume_id\": \"" + volume + "\"}}");
      String id = made.json().at("/transfer/id").asText();
      schemas.check(v[0] + " create", v[1] + ".create_volume_transfer", made)
          .check(v[0] + " show", v[1] + ".show_volume_transfer", from.get(url + "/" + id))
          .check(v[0] + " list", v[1] + ".list_volume_transfers_no_detail", from.get(url))
          .check(v[0] + " detail", v[1] + ".list_volume_transfers_with_detail", from.get(url + "/detail"))
          .check(v[0] + " accept", v[1] + ".accept_volume_transfer", to.post(
              recipient.cinder() + "/" + v[2] + "/" + id + "/accept",
              "{\"accept\": {\"auth_key\": \"" + made.json().at("/transfer/auth_key").asText() + "\"}}"));
      String other = availableVolume(donor, 1);
      String second = from.post(url, "{\"transfer\": {\"volume_id\": \"" + other + "\"}}").json().at("/transfer/id").asText();
      schemas.check(v[0] + " delete", v[1] + ".delete_volume_transfer", from.delete(url + "/" + second));
    }
    schemas.verify();
  }
}
