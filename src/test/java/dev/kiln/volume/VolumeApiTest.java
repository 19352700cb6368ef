package dev.kiln.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Tenant;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Cinder v3 over HTTP: volumes, snapshots, the attachments API and the legacy actions. */
class VolumeApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static String v3;

  private static final String CONNECTOR =
      "{\"initiator\": \"iqn.1993-08.org.debian:01:kiln\", \"ip\": \"192.0.2.10\", \"host\": \"kiln-compute-1\"}";

  @BeforeAll
  static void start() {
    Tenant operator = Tenant.admin(kiln);
    admin = operator.api();
    v3 = operator.cinder();
    // Many volumes, but the gigabytes quota stays (a test checks it).
    admin.put(v3 + "/os-quota-sets/" + operator.projectId(), "{\"quota_set\": {\"volumes\": -1}}").expect(200);
  }

  private static Api at(String version) {
    return admin.withHeader("OpenStack-API-Version", "volume " + version);
  }

  private static JsonNode availableVolume(String body) {
    Api.Response created = admin.post(v3 + "/volumes", "{\"volume\": " + body + "}");
    assertThat(created.status()).as(created.body()).isEqualTo(202);
    String id = created.json().at("/volume/id").asText();
    await().atMost(Duration.ofSeconds(10))
        .until(() -> !admin.get(v3 + "/volumes/" + id).json().at("/volume/status").asText().equals("creating"));
    return admin.get(v3 + "/volumes/" + id).json().get("volume");
  }

  @Test
  void volumeIsCreatedAsynchronouslyThenListedAndDeleted() {
    Api.Response created = admin.post(v3 + "/volumes", "{\"volume\": {\"size\": 2, \"name\": \"first\", \"metadata\": {\"team\": \"kiln\"}}}");
    assertThat(created.status()).isEqualTo(202);
    assertThat(created.json().at("/volume/status").asText()).isEqualTo("creating");
    String id = created.json().at("/volume/id").asText();
    await().atMost(Duration.ofSeconds(10))
        .until(() -> admin.get(v3 + "/volumes/" + id).json().at("/volume/status").asText().equals("available"));
    JsonNode volume = admin.get(v3 + "/volumes/" + id).json().get("volume");
    assertThat(volume.get("size").asInt()).isEqualTo(2);
    assertThat(volume.get("volume_type").asText()).isEqualTo("__DEFAULT__");
    assertThat(volume.at("/metadata/team").asText()).isEqualTo("kiln");
    assertThat(volume.get("bootable").asText()).isEqualTo("false");

    assertThat(admin.get(v3 + "/volumes?name=first").json().get("volumes")).hasSize(1);
    assertThat(admin.get(v3 + "/volumes/detail?metadata=%7B%22team%22%3A%22kiln%22%7D").json().at("/volumes/0/id").asText()).isEqualTo(id);
    // Admins may filter on anything, as in Cinder; an attribute no volume has matches none.
    assertThat(admin.get(v3 + "/volumes?colour=red").json().get("volumes")).isEmpty();

    Api.Response renamed = admin.put(v3 + "/volumes/" + id, "{\"volume\": {\"name\": \"renamed\"}}");
    assertThat(renamed.json().at("/volume/name").asText()).isEqualTo("renamed");
    assertThat(admin.delete(v3 + "/volumes/" + id).status()).isEqualTo(202);
    Api.Response gone = admin.get(v3 + "/volumes/" + id);
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.json().at("/itemNotFound/message").asText()).contains(id);
  }

  @Test
  void badSizesAndUnknownThingsAre4xxAndChangeNothing() {
    int before = admin.get(v3 + "/volumes").json().get("volumes").size();
    Api.Response zero = admin.post(v3 + "/volumes", "{\"volume\": {\"size\": 0}}");
    assertThat(zero.status()).isEqualTo(400);
    assertThat(zero.json().at("/badRequest/message").asText()).contains("size");
    assertThat(admin.post(v3 + "/volumes", "{\"volume\": {\"size\": -3}}").status()).isEqualTo(400);
    assertThat(admin.post(v3 + "/volumes", "{\"volume\": {\"size\": \"big\"}}").status()).isEqualTo(400);
    Api.Response type = admin.post(v3 + "/volumes", "{\"volume\": {\"size\": 1, \"volume_type\": \"gold\"}}");
    assertThat(type.status()).isEqualTo(404);
    assertThat(admin.get(v3 + "/volumes").json().get("volumes").size()).isEqualTo(before);
    assertThat(admin.get(v3 + "/volumes/no-such-volume").status()).isEqualTo(404);
    assertThat(at("3.99").get(v3 + "/volumes").status()).isEqualTo(406);
    assertThat(at("three").get(v3 + "/volumes").status()).isEqualTo(400);
  }

  @Test
  void volumeOverTheGigabytesQuotaIs413AndCreatesNothing() {
    int before = admin.get(v3 + "/volumes").json().get("volumes").size();
    Api.Response tooBig = admin.post(v3 + "/volumes", "{\"volume\": {\"size\": 5000}}");
    assertThat(tooBig.status()).isEqualTo(413);
    assertThat(tooBig.json().at("/overLimit/message").asText()).contains("gigabytes");
    assertThat(admin.get(v3 + "/volumes").json().get("volumes").size()).isEqualTo(before);
  }

  @Test
  void backendFailureLeavesTheVolumeInError() {
    JsonNode volume = availableVolume("{\"size\": 1, \"metadata\": {\"kiln:fail\": \"create\"}}");
    assertThat(volume.get("status").asText()).isEqualTo("error");
    assertThat(admin.delete(v3 + "/volumes/" + volume.get("id").asText()).status()).isEqualTo(202);
  }

  @Test
  void attachmentsApiReservesConnectsCompletesAndDeletes() {
    String id = availableVolume("{\"size\": 1}").get("id").asText();
    Api api = at("3.44");
    Api.Response reserved = api.post(v3 + "/attachments", "{\"attachment\": {\"volume_uuid\": \"" + id + "\", \"instance_uuid\": \"5a1c0de0-0000-4000-8000-000000000001\"}}");
    assertThat(reserved.status()).as(reserved.body()).isEqualTo(200);
    assertThat(reserved.json().at("/attachment/status").asText()).isEqualTo("reserved");
    assertThat(reserved.json().at("/attachment/connection_info")).isEmpty();
    String attachment = reserved.json().at("/attachment/id").asText();
    assertThat(admin.get(v3 + "/volumes/" + id).json().at("/volume/status").asText()).isEqualTo("reserved");

    Api.Response second = api.post(v3 + "/attachments", "{\"attachment\": {\"volume_uuid\": \"" + id + "\", \"instance_uuid\": \"5a1c0de0-0000-4000-8000-000000000002\"}}");
    assertThat(second.status()).isEqualTo(400);
    assertThat(second.json().at("/badRequest/message").asText()).contains("multiattach");

    Api.Response connected = api.put(v3 + "/attachments/" + attachment, "{\"attachment\": {\"connector\": " + CONNECTOR + "}}");
    assertThat(connected.status()).isEqualTo(200);
    JsonNode info = connected.json().at("/attachment/connection_info");
    assertThat(info.get("driver_volume_type").asText()).isEqualTo("iscsi");
    assertThat(info.get("target_iqn").asText()).endsWith(id);
    assertThat(info.get("attachment_id").asText()).isEqualTo(attachment);
    assertThat(admin.get(v3 + "/volumes/" + id).json().at("/volume/status").asText()).isEqualTo("attaching");

    assertThat(api.post(v3 + "/attachments/" + attachment + "/action", "{\"os-complete\": null}").status()).isEqualTo(204);
    JsonNode inUse = admin.get(v3 + "/volumes/" + id).json().get("volume");
    assertThat(inUse.get("status").asText()).isEqualTo("in-use");
    assertThat(inUse.at("/attachments/0/attachment_id").asText()).isEqualTo(attachment);
    assertThat(inUse.at("/attachments/0/server_id").asText()).isEqualTo("5a1c0de0-0000-4000-8000-000000000001");
    assertThat(inUse.at("/attachments/0/host_name").asText()).isEqualTo("kiln-compute-1");
    assertThat(admin.delete(v3 + "/volumes/" + id).status()).isEqualTo(400);

    assertThat(api.get(v3 + "/attachments?volume_id=" + id).json().get("attachments")).hasSize(1);
    assertThat(api.get(v3 + "/attachments/detail?instance_id=5a1c0de0-0000-4000-8000-000000000001&status=attached").json().get("attachments")).hasSize(1);
    assertThat(admin.get(v3 + "/attachments").status()).as("attachments need 3.27").isEqualTo(404);

    assertThat(api.delete(v3 + "/attachments/" + attachment).status()).isEqualTo(200);
    JsonNode after = admin.get(v3 + "/volumes/" + id).json().get("volume");
    assertThat(after.get("status").asText()).isEqualTo("available");
    assertThat(after.get("attachments")).isEmpty();
    assertThat(api.get(v3 + "/attachments/" + attachment).status()).isEqualTo(404);
  }

  @Test
  void legacyActionsDriveTheSameRecords() {
    String id = availableVolume("{\"size\": 1}").get("id").asText();
    String action = v3 + "/volumes/" + id + "/action";
    assertThat(admin.post(action, "{\"os-reserve\": null}").status()).isEqualTo(202);
    assertThat(admin.get(v3 + "/volumes/" + id).json().at("/volume/status").asText()).isEqualTo("attaching");
    assertThat(admin.post(action, "{\"os-reserve\": null}").status()).isEqualTo(400);
    assertThat(admin.post(action, "{\"os-unreserve\": null}").status()).isEqualTo(202);
    assertThat(admin.get(v3 + "/volumes/" + id).json().at("/volume/status").asText()).isEqualTo("available");

    admin.post(action, "{\"os-reserve\": null}");
    Api.Response info = admin.post(action, "{\"os-initialize_connection\": {\"connector\": " + CONNECTOR + "}}");
    assertThat(info.status()).isEqualTo(200);
    assertThat(info.json().at("/connection_info/driver_volume_type").asText()).isEqualTo("iscsi");
    assertThat(info.json().at("/connection_info/data/target_portal").asText()).isEqualTo("127.0.0.1:3260");
    assertThat(admin.post(action, "{\"os-attach\": {\"instance_uuid\": \"5a1c0de0-0000-4000-8000-000000000009\", \"mountpoint\": \"/dev/vdb\"}}").status()).isEqualTo(202);
    JsonNode inUse = admin.get(v3 + "/volumes/" + id).json().get("volume");
    assertThat(inUse.get("status").asText()).isEqualTo("in-use");
    assertThat(inUse.at("/attachments/0/device").asText()).isEqualTo("/dev/vdb");
    assertThat(inUse.at("/attachments/0/server_id").asText()).as("os-attach names the instance os-reserve did not").isEqualTo("5a1c0de0-0000-4000-8000-000000000009");
    assertThat(at("3.27").get(v3 + "/attachments?volume_id=" + id).json().at("/attachments/0/status").asText()).isEqualTo("attached");

    assertThat(admin.post(action, "{\"os-begin_detaching\": null}").status()).isEqualTo(202);
    assertThat(admin.get(v3 + "/volumes/" + id).json().at("/volume/status").asText()).isEqualTo("detaching");
    assertThat(admin.post(action, "{\"os-roll_detaching\": null}").status()).isEqualTo(202);
    assertThat(admin.get(v3 + "/volumes/" + id).json().at("/volume/status").asText()).isEqualTo("in-use");
    admin.post(action, "{\"os-begin_detaching\": null}");
    assertThat(admin.post(action, "{\"os-terminate_connection\": {\"connector\": " + CONNECTOR + "}}").status()).isEqualTo(202);
    String attachmentId = inUse.at("/attachments/0/attachment_id").asText();
    assertThat(admin.post(action, "{\"os-detach\": {\"attachment_id\": \"" + attachmentId + "\"}}").status()).isEqualTo(202);
    JsonNode after = admin.get(v3 + "/volumes/" + id).json().get("volume");
    assertThat(after.get("status").asText()).isEqualTo("available");
    assertThat(at("3.27").get(v3 + "/attachments?volume_id=" + id).json().get("attachments")).isEmpty();

    assertThat(admin.post(action, "{\"os-frobnicate\": null}").status()).isEqualTo(400);
    assertThat(admin.post(action, "{\"os-reset_status\": {\"status\": \"error\"}}").status()).isEqualTo(202);
    assertThat(admin.get(v3 + "/volumes/" + id).json().at("/volume/status").asText()).isEqualTo("error");
  }

  @Test
  void unknownMembersOfAVolumeCreateAreIgnoredAsCinderDoes() {
    Api.Response created = admin.post(v3 + "/volumes", "{\"volume\": {\"size\": 1, \"'imageRef\": \"typo\"}}");
    assertThat(created.status()).as(created.body()).isEqualTo(202);
    assertThat(created.json().at("/volume/bootable").asText()).isEqualTo("false");
  }

  @Test
  void anAttachmentWithAnEmptyConnectorIsOnlyReserved() {
    String id = availableVolume("{\"size\": 1}").get("id").asText();
    Api.Response reserved = at("3.27").post(v3 + "/attachments",
        "{\"attachment\": {\"volume_uuid\": \"" + id + "\", \"instance_uuid\": \"5a1c0de0-0000-4000-8000-00000000000b\", \"connector\": {}}}");
    assertThat(reserved.status()).as(reserved.body()).isEqualTo(200);
    assertThat(reserved.json().at("/attachment/status").asText()).isEqualTo("reserved");
    assertThat(reserved.json().at("/attachment/connection_info")).isEmpty();
    assertThat(admin.get(v3 + "/volumes/" + id).json().at("/volume/status").asText()).isEqualTo("reserved");
  }

  @Test
  void adminsForceDeleteVolumesInAnyStateButAttached() {
    String id = availableVolume("{\"size\": 1}").get("id").asText();
    String action = v3 + "/volumes/" + id + "/action";
    assertThat(admin.post(action, "{\"os-reset_status\": {\"status\": \"maintenance\"}}").status()).isEqualTo(202);
    assertThat(admin.delete(v3 + "/volumes/" + id).status()).isEqualTo(400);
    assertThat(admin.post(action, "{\"os-force_delete\": {}}").status()).isEqualTo(202);
    assertThat(admin.get(v3 + "/volumes/" + id).status()).isEqualTo(404);

    String attached = availableVolume("{\"size\": 1}").get("id").asText();
    admin.post(v3 + "/volumes/" + attached + "/action", "{\"os-attach\": {\"instance_uuid\": \"5a1c0de0-0000-4000-8000-00000000000c\"}}");
    assertThat(admin.post(v3 + "/volumes/" + attached + "/action", "{\"os-force_delete\": {}}").status()).isEqualTo(400);
  }

  @Test
  void readOnlyVolumesShowItAndAttachReadOnly() {
    String id = availableVolume("{\"size\": 1}").get("id").asText();
    String action = v3 + "/volumes/" + id + "/action";
    for (boolean readonly : new boolean[] {true, false, true}) {
      assertThat(admin.post(action, "{\"os-update_readonly_flag\": {\"readonly\": " + readonly + "}}").status()).isEqualTo(202);
      assertThat(admin.get(v3 + "/volumes/" + id).json().at("/volume/metadata/readonly").asText())
          .isEqualTo(readonly ? "True" : "False");
    }
    assertThat(admin.get(v3 + "/volumes/" + id + "/metadata").json().get("metadata").has("readonly"))
        .as("admin metadata is not the volume's own").isFalse();
    Api.Response rw = admin.post(action, "{\"os-attach\": {\"instance_uuid\": \"5a1c0de0-0000-4000-8000-00000000000d\", \"mode\": \"rw\"}}");
    assertThat(rw.status()).isEqualTo(400);
    assertThat(admin.post(action, "{\"os-attach\": {\"instance_uuid\": \"5a1c0de0-0000-4000-8000-00000000000d\", \"mode\": \"ro\"}}").status())
        .isEqualTo(202);
    assertThat(admin.post(action, "{\"os-update_readonly_flag\": {\"readonly\": false}}").status()).as("in-use").isEqualTo(400);
  }

  @Test
  void retypeAndImageMetadataActions() {
    String id = availableVolume("{\"size\": 1}").get("id").asText();
    String action = v3 + "/volumes/" + id + "/action";
    admin.post(v3 + "/types", "{\"volume_type\": {\"name\": \"retype-target\"}}").expect(200);
    assertThat(admin.post(action, "{\"os-retype\": {\"new_type\": \"retype-target\", \"migration_policy\": \"sometimes\"}}").status())
        .isEqualTo(400);
    assertThat(admin.post(action, "{\"os-retype\": {\"new_type\": \"retype-target\", \"migration_policy\": \"never\"}}").status())
        .isEqualTo(202);
    assertThat(admin.get(v3 + "/volumes/" + id).json().at("/volume/volume_type").asText()).isEqualTo("retype-target");
    assertThat(admin.post(action, "{\"os-retype\": {\"new_type\": \"retype-target\"}}").status()).as("same type").isEqualTo(400);

    JsonNode set = admin.post(action, "{\"os-set_image_metadata\": {\"metadata\": {\"image_id\": \"x\", \"os_distro\": \"cirros\"}}}").expect(200);
    assertThat(set.at("/metadata/os_distro").asText()).isEqualTo("cirros");
    assertThat(admin.get(v3 + "/volumes/" + id).json().at("/volume/volume_image_metadata/os_distro").asText()).isEqualTo("cirros");
    assertThat(admin.post(action, "{\"os-unset_image_metadata\": {\"key\": \"os_distro\"}}").status()).isEqualTo(200);
    assertThat(admin.post(action, "{\"os-unset_image_metadata\": {\"key\": \"os_distro\"}}").status()).isEqualTo(404);
    assertThat(admin.post(action, "{\"os-show_image_metadata\": {}}").expect(200).get("metadata").toString()).isEqualTo("{\"image_id\":\"x\"}");
  }

  @Test
  void summaryMetadataItemsAndListConventions() {
    String id = availableVolume("{\"size\": 2, \"name\": \"conv\", \"metadata\": {\"Type\": \"work\"}}").get("id").asText();
    assertThat(admin.get(v3 + "/volumes/summary").status()).as("needs 3.12").isEqualTo(404);
    JsonNode summary = at("3.36").get(v3 + "/volumes/summary").expect(200).get("volume-summary");
    assertThat(summary.get("total_count").asInt()).isPositive();
    assertThat(summary.at("/metadata/Type/0").asText()).isEqualTo("work");

    assertThat(admin.put(v3 + "/volumes/" + id + "/metadata/Type", "{\"meta\": {\"Type\": \"play\"}}").expect(200).at("/meta/Type").asText())
        .isEqualTo("play");
    assertThat(admin.get(v3 + "/volumes/" + id + "/metadata/Type").expect(200).at("/meta/Type").asText()).isEqualTo("play");
    assertThat(admin.put(v3 + "/volumes/" + id + "/metadata/Type", "{\"meta\": {\"Other\": \"x\"}}").status()).isEqualTo(400);

    // Cinder reads the metadata filter as a Python literal, as cinderclient and Tempest send it.
    assertThat(admin.get(v3 + "/volumes/detail?metadata=%7B%27Type%27%3A+%27play%27%7D").expect(200).get("volumes").findValuesAsText("id"))
        .containsExactly(id);
    assertThat(admin.get(v3 + "/volumes?all_tenants=1&project_id=" + admin.get(v3 + "/volumes/" + id).json()
        .at("/volume/os-vol-tenant-attr:tenant_id").asText()).expect(200).get("volumes").findValuesAsText("id")).contains(id);
    JsonNode last = admin.get(v3 + "/volumes?name=conv&limit=1").expect(200);
    assertThat(last.at("/volumes_links/0/rel").asText()).as("a full page links the next, even if empty").isEqualTo("next");
    assertThat(admin.get(last.at("/volumes_links/0/href").asText().replaceFirst("^https?://[^/]+", "")).expect(200).get("volumes")).isEmpty();
    assertThat(admin.get(v3 + "/volumes/").status()).as("a show of the empty id").isEqualTo(404);
  }

  @Test
  void extendAvailableAndInUseFrom342() {
    String id = availableVolume("{\"size\": 1}").get("id").asText();
    String action = v3 + "/volumes/" + id + "/action";
    assertThat(admin.post(action, "{\"os-extend\": {\"new_size\": 1}}").status()).isEqualTo(400);
    assertThat(admin.post(action, "{\"os-extend\": {\"new_size\": 3}}").status()).isEqualTo(202);
    assertThat(admin.get(v3 + "/volumes/" + id).json().at("/volume/size").asInt()).isEqualTo(3);
    admin.post(action, "{\"os-attach\": {\"instance_uuid\": \"5a1c0de0-0000-4000-8000-00000000000a\", \"mountpoint\": \"/dev/vdc\"}}");
    assertThat(admin.post(action, "{\"os-extend\": {\"new_size\": 4}}").status()).isEqualTo(400);
    assertThat(at("3.42").post(action, "{\"os-extend\": {\"new_size\": 4}}").status()).isEqualTo(202);
    assertThat(admin.get(v3 + "/volumes/" + id).json().at("/volume/size").asInt()).isEqualTo(4);
  }

  @Test
  void snapshotsAndVolumesFromThem() {
    String id = availableVolume("{\"size\": 2}").get("id").asText();
    Api.Response snap = admin.post(v3 + "/snapshots", "{\"snapshot\": {\"volume_id\": \"" + id + "\", \"name\": \"s1\"}}");
    assertThat(snap.status()).isEqualTo(202);
    String snapId = snap.json().at("/snapshot/id").asText();
    await().atMost(Duration.ofSeconds(10))
        .until(() -> admin.get(v3 + "/snapshots/" + snapId).json().at("/snapshot/status").asText().equals("available"));
    JsonNode fromSnap = availableVolume("{\"snapshot_id\": \"" + snapId + "\"}");
    assertThat(fromSnap.get("size").asInt()).isEqualTo(2);
    assertThat(fromSnap.get("snapshot_id").asText()).isEqualTo(snapId);
    assertThat(admin.post(v3 + "/volumes", "{\"volume\": {\"snapshot_id\": \"" + snapId + "\", \"size\": 1}}").status()).isEqualTo(400);
    JsonNode clone = availableVolume("{\"source_volid\": \"" + id + "\", \"size\": 3}");
    assertThat(clone.get("source_volid").asText()).isEqualTo(id);

    assertThat(admin.delete(v3 + "/volumes/" + id).status()).as("a volume with snapshots").isEqualTo(400);
    assertThat(admin.delete(v3 + "/volumes/" + id + "?cascade=true").status()).isEqualTo(202);
    assertThat(admin.get(v3 + "/snapshots/" + snapId).status()).isEqualTo(404);
  }
}
