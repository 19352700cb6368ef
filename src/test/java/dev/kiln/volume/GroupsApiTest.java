package dev.kiln.volume;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.Await;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Race;
import dev.kiln.testing.TempestSchemas;
import dev.kiln.testing.Tenant;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Cinder's generic volume groups (3.13) and group snapshots (3.14) over HTTP. */
class GroupsApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static Api member;
  private static String v3;
  private static String volumeType;
  private static String otherType;
  private static String groupType;

  @BeforeAll
  static void start() {
    Tenant operator = Tenant.admin(kiln);
    Api operatorApi = operator.api().withHeader("OpenStack-API-Version", "volume 3.20");
    Tenant tenant = Tenant.create(kiln, operator.api(), "groups", "groups-user");
    member = tenant.api().withHeader("OpenStack-API-Version", "volume 3.20");
    v3 = tenant.cinder();
    // Admin acts on the member's project's resources through the member's URL.
    admin = operatorApi;
    String adminV3 = operator.cinder();
    volumeType = admin.post(adminV3 + "/types", "{\"volume_type\": {\"name\": \"grp-vt\"}}").expect(200).at("/volume_type/id").asText();
    otherType = admin.post(adminV3 + "/types", "{\"volume_type\": {\"name\": \"grp-other\"}}").expect(200).at("/volume_type/id").asText();
    groupType = admin.post(adminV3 + "/group_types", "{\"group_type\": {\"name\": \"grp-gt\"}}").expect(202).at("/group_type/id").asText();
  }

  private static String group(String name) {
    Api.Response made = member.post(v3 + "/groups", "{\"group\": {\"name\": \"" + name + "\", \"group_type\": \"" + groupType
        + "\", \"volume_types\": [\"" + volumeType + "\"]}}");
    assertThat(made.status()).as(made.body()).isEqualTo(202);
    String id = made.json().at("/group/id").asText();
    awaitGroup(id, "available");
    return id;
  }

  private static void awaitGroup(String id, String status) {
    Await.until(() -> member.get(v3 + "/groups/" + id).expect(200).at("/group/status").asText().equals(status),
        "group " + id + " " + status);
  }

  private static String volumeIn(String group, String type) {
    Api.Response made = member.post(v3 + "/volumes",
        "{\"volume\": {\"size\": 1, \"volume_type\": \"" + type + "\", \"group_id\": \"" + group + "\"}}");
    assertThat(made.status()).as(made.body()).isEqualTo(202);
    assertThat(made.json().at("/volume/group_id").asText()).isEqualTo(group);
    return Cloud.awaitAvailable(member, v3, made.json().at("/volume/id").asText(), Await.DEFAULT, "grouped volume");
  }

  private static List<String> membersOf(String group) {
    return member.get(v3 + "/volumes/detail").expect(200).get("volumes").findParents("group_id").stream()
        .filter(v -> v.get("group_id").asText().equals(group)).map(v -> v.get("id").asText()).toList();
  }

  private static String groupSnapshot(String group) {
    Api.Response made = member.post(v3 + "/group_snapshots", "{\"group_snapshot\": {\"group_id\": \"" + group + "\", \"name\": \"gs\"}}");
    assertThat(made.status()).as(made.body()).isEqualTo(202);
    String id = made.json().at("/group_snapshot/id").asText();
    Await.until(() -> member.get(v3 + "/group_snapshots/" + id).expect(200).at("/group_snapshot/status").asText()
        .equals("available"), "group snapshot available");
    return id;
  }

  @Test
  void groupLifecycleAnswersAsTempestExpects() {
    TempestSchemas schemas = new TempestSchemas();
    Api.Response made = member.post(v3 + "/groups", "{\"group\": {\"name\": \"life\", \"group_type\": \"" + groupType
        + "\", \"volume_types\": [\"grp-vt\"]}}");
    schemas.check("volume.groups.create_group", made);
    String id = made.json().at("/group/id").asText();
    awaitGroup(id, "available");
    String volume = volumeIn(id, volumeType);

    Api.Response shown = member.get(v3 + "/groups/" + id);
    schemas.check("volume.groups.show_group", shown)
        .check("volume.groups.list_groups_no_detail", member.get(v3 + "/groups"))
        .check("volume.groups.list_groups_with_detail", member.get(v3 + "/groups/detail"))
        .check("volume.volumes.show_volume", member.get(v3 + "/volumes/" + volume));
    JsonNode group = shown.json().get("group");
    assertThat(group.get("group_type").asText()).isEqualTo(groupType);
    assertThat(group.get("volume_types").toString()).as("types given by name are kept by id").isEqualTo("[\"" + volumeType + "\"]");
    assertThat(group.get("source_group_id").isNull()).isTrue();
    assertThat(membersOf(id)).containsExactly(volume);

    Api.Response memberDelete = member.delete(v3 + "/volumes/" + volume);
    assertThat(memberDelete.status()).as("a group's volume is not deleted alone").isEqualTo(400);
    assertThat(memberDelete.json().at("/badRequest/message").asText()).contains("belong to a group");
    Api.Response notEmpty = member.post(v3 + "/groups/" + id + "/action", "{\"delete\": {\"delete-volumes\": false}}");
    assertThat(notEmpty.status()).isEqualTo(400);
    assertThat(notEmpty.json().at("/badRequest/message").asText()).contains("delete-volumes");
    Api.Response deleted = member.post(v3 + "/groups/" + id + "/action", "{\"delete\": {\"delete-volumes\": true}}");
    schemas.check("volume.groups.delete_group", deleted).verify();
    assertThat(member.get(v3 + "/groups/" + id).status()).isEqualTo(404);
    assertThat(member.get(v3 + "/volumes/" + volume).status()).as("its volumes go with it").isEqualTo(404);
  }

  @Test
  void groupsExistFromMicroversion313() {
    Api old = member.withHeader("OpenStack-API-Version", "volume 3.12");
    assertThat(old.get(v3 + "/groups").status()).isEqualTo(404);
    Api v313 = member.withHeader("OpenStack-API-Version", "volume 3.13");
    assertThat(v313.get(v3 + "/group_snapshots").status()).as("group snapshots are 3.14").isEqualTo(404);
  }

  @Test
  void badCreatesNameWhatIsWrong() {
    Api.Response noType = member.post(v3 + "/groups", "{\"group\": {\"name\": \"x\", \"volume_types\": [\"" + volumeType + "\"]}}");
    assertThat(noType.status()).isEqualTo(400);
    assertThat(noType.json().at("/badRequest/message").asText()).contains("group_type");
    Api.Response noVolumeTypes = member.post(v3 + "/groups", "{\"group\": {\"name\": \"x\", \"group_type\": \"" + groupType + "\"}}");
    assertThat(noVolumeTypes.status()).isEqualTo(400);
    assertThat(noVolumeTypes.json().at("/badRequest/message").asText()).contains("volume_types");
    assertThat(member.post(v3 + "/groups", "{\"group\": {\"group_type\": \"nope\", \"volume_types\": [\"" + volumeType + "\"]}}")
        .status()).isEqualTo(404);
    assertThat(member.post(v3 + "/groups", "{\"group\": {\"group_type\": \"" + groupType + "\", \"volume_types\": [\"nope\"]}}")
        .status()).isEqualTo(404);
  }

  @Test
  void aVolumeJoinsOnlyAnExistingGroupOfItsType() {
    String id = group("typed");
    Api.Response wrongType = member.post(v3 + "/volumes",
        "{\"volume\": {\"size\": 1, \"volume_type\": \"" + otherType + "\", \"group_id\": \"" + id + "\"}}");
    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(wrongType.json().at("/badRequest/message").asText()).contains("not compatible with the group");
    Api.Response noGroup = member.post(v3 + "/volumes",
        "{\"volume\": {\"size\": 1, \"volume_type\": \"" + volumeType + "\", \"group_id\": \"00000000-0000-0000-0000-000000000000\"}}");
    assertThat(noGroup.status()).isEqualTo(404);
    assertThat(membersOf(id)).isEmpty();
  }

  @Test
  void updateRenamesAndMovesVolumesInAndOut() {
    String id = group("upd");
    String first = volumeIn(id, volumeType);
    String second = volumeIn(id, volumeType);
    Api.Response updated = member.put(v3 + "/groups/" + id,
        "{\"group\": {\"name\": \"renamed\", \"description\": \"d\", \"remove_volumes\": \"" + second + "\"}}");
    new TempestSchemas().check("volume.groups.update_group", updated).verify();
    JsonNode group = member.get(v3 + "/groups/" + id).expect(200).get("group");
    assertThat(group.get("name").asText()).isEqualTo("renamed");
    assertThat(group.get("description").asText()).isEqualTo("d");
    assertThat(membersOf(id)).containsExactly(first);

    member.put(v3 + "/groups/" + id, "{\"group\": {\"add_volumes\": \"" + second + "\"}}").expect(202);
    assertThat(membersOf(id)).containsExactlyInAnyOrder(first, second);

    String stranger = Cloud.availableVolume(member, v3, "stranger"); // of the default type
    Api.Response badAdd = member.put(v3 + "/groups/" + id, "{\"group\": {\"add_volumes\": \"" + stranger + "\"}}");
    assertThat(badAdd.status()).isEqualTo(400);
    assertThat(badAdd.json().at("/badRequest/message").asText()).contains("not supported by the group");
    Api.Response badRemove = member.put(v3 + "/groups/" + id, "{\"group\": {\"remove_volumes\": \"" + stranger + "\"}}");
    assertThat(badRemove.status()).isEqualTo(400);
    assertThat(member.put(v3 + "/groups/" + id, "{\"group\": {}}").status()).isEqualTo(400);
    assertThat(membersOf(id)).as("refused updates change nothing").containsExactlyInAnyOrder(first, second);
  }

  @Test
  void groupSnapshotSnapshotsEveryVolumeAndIsDeletedWithThem() {
    String id = group("snapped");
    String first = volumeIn(id, volumeType);
    String second = volumeIn(id, volumeType);
    TempestSchemas schemas = new TempestSchemas();
    Api.Response made = member.post(v3 + "/group_snapshots", "{\"group_snapshot\": {\"group_id\": \"" + id + "\", \"name\": \"gs1\"}}");
    schemas.check("volume.group_snapshots.create_group_snapshot", made);
    String gs = made.json().at("/group_snapshot/id").asText();
    Await.until(() -> member.get(v3 + "/group_snapshots/" + gs).expect(200).at("/group_snapshot/status").asText()
        .equals("available"), "group snapshot available");
    schemas.check("volume.group_snapshots.show_group_snapshot", member.get(v3 + "/group_snapshots/" + gs))
        .check("volume.group_snapshots.list_group_snapshots_no_detail", member.get(v3 + "/group_snapshots"))
        .check("volume.group_snapshots.list_group_snapshots_with_detail", member.get(v3 + "/group_snapshots/detail"));

    List<JsonNode> members = member.get(v3 + "/snapshots/detail").expect(200).get("snapshots").findParents("group_snapshot_id")
        .stream().filter(s -> s.get("group_snapshot_id").asText().equals(gs)).toList();
    assertThat(members).extracting(s -> s.get("volume_id").asText()).containsExactlyInAnyOrder(first, second);
    assertThat(members).allSatisfy(s -> assertThat(s.get("status").asText()).isEqualTo("available"));
    String memberSnapshot = members.getFirst().get("id").asText();
    assertThat(member.delete(v3 + "/snapshots/" + memberSnapshot).status()).as("not deleted alone").isEqualTo(400);
    Api.Response groupBusy = member.post(v3 + "/groups/" + id + "/action", "{\"delete\": {\"delete-volumes\": true}}");
    assertThat(groupBusy.status()).isEqualTo(400);
    assertThat(groupBusy.json().at("/badRequest/message").asText()).contains("group snapshots");

    schemas.check("volume.group_snapshots.delete_group_snapshot", member.delete(v3 + "/group_snapshots/" + gs)).verify();
    assertThat(member.get(v3 + "/group_snapshots/" + gs).status()).isEqualTo(404);
    assertThat(member.get(v3 + "/snapshots/" + memberSnapshot).status()).isEqualTo(404);
    member.post(v3 + "/groups/" + id + "/action", "{\"delete\": {\"delete-volumes\": true}}").expect(202);
  }

  @Test
  void groupsAreCopiedFromAGroupSnapshotOrAGroup() {
    String source = group("origin");
    String volume = volumeIn(source, volumeType);
    String gs = groupSnapshot(source);

    TempestSchemas schemas = new TempestSchemas();
    Api.Response fromSnapshot = member.post(v3 + "/groups/action",
        "{\"create-from-src\": {\"name\": \"from-gs\", \"group_snapshot_id\": \"" + gs + "\"}}");
    schemas.check("volume.groups.create_group_from_source", fromSnapshot);
    String copy = fromSnapshot.json().at("/group/id").asText();
    awaitGroup(copy, "available");
    JsonNode shown = member.get(v3 + "/groups/" + copy).expect(200).get("group");
    assertThat(shown.get("group_snapshot_id").asText()).isEqualTo(gs);
    assertThat(shown.get("group_type").asText()).isEqualTo(groupType);
    List<String> copies = membersOf(copy);
    assertThat(copies).hasSize(1).doesNotContain(volume);
    Cloud.awaitAvailable(member, v3, copies.getFirst(), Await.DEFAULT, "copy available");
    assertThat(member.get(v3 + "/volumes/" + copies.getFirst()).expect(200).at("/volume/snapshot_id").asText()).isNotEmpty();

    Api.Response fromGroup = member.post(v3 + "/groups/action",
        "{\"create-from-src\": {\"name\": \"from-group\", \"source_group_id\": \"" + source + "\"}}");
    schemas.check("volume.groups.create_group_from_source", fromGroup).verify();
    String clone = fromGroup.json().at("/group/id").asText();
    awaitGroup(clone, "available");
    assertThat(member.get(v3 + "/groups/" + clone).expect(200).at("/group/source_group_id").asText()).isEqualTo(source);
    assertThat(membersOf(clone)).hasSize(1);

    Api.Response both = member.post(v3 + "/groups/action",
        "{\"create-from-src\": {\"source_group_id\": \"" + source + "\", \"group_snapshot_id\": \"" + gs + "\"}}");
    assertThat(both.status()).isEqualTo(400);
  }

  @Test
  void onlyAdminsResetStatuses() {
    String id = group("reset");
    Api.Response refused = member.post(v3 + "/groups/" + id + "/action", "{\"reset_status\": {\"status\": \"error\"}}");
    assertThat(refused.status()).isEqualTo(403);
    TempestSchemas schemas = new TempestSchemas();
    schemas.check("volume.groups.reset_group_status",
        admin.post(v3 + "/groups/" + id + "/action", "{\"reset_status\": {\"status\": \"error\"}}"));
    awaitGroup(id, "error");
    assertThat(admin.post(v3 + "/groups/" + id + "/action", "{\"reset_status\": {\"status\": \"bogus\"}}").status()).isEqualTo(400);
    admin.post(v3 + "/groups/" + id + "/action", "{\"reset_status\": {\"status\": \"available\"}}").expect(202);
    awaitGroup(id, "available");

    volumeIn(id, volumeType);
    String gs = groupSnapshot(id);
    Api v318 = admin.withHeader("OpenStack-API-Version", "volume 3.18");
    assertThat(v318.post(v3 + "/group_snapshots/" + gs + "/action", "{\"reset_status\": {\"status\": \"error\"}}").status())
        .as("group snapshot reset is 3.19").isEqualTo(404);
    schemas.check("volume.group_snapshots.reset_group_snapshot_status",
        admin.post(v3 + "/group_snapshots/" + gs + "/action", "{\"reset_status\": {\"status\": \"error\"}}")).verify();
    assertThat(member.get(v3 + "/group_snapshots/" + gs).expect(200).at("/group_snapshot/status").asText()).isEqualTo("error");
  }

  @Test
  void racingDeletesHaveOneWinner() {
    String id = group("race");
    volumeIn(id, volumeType);
    List<Integer> statuses = Race.run(4, n ->
        member.post(v3 + "/groups/" + id + "/action", "{\"delete\": {\"delete-volumes\": true}}").status());
    assertThat(statuses).filteredOn(s -> s == 202).hasSize(1);
    assertThat(statuses).allSatisfy(s -> assertThat(s).isIn(202, 400, 404));
    Await.until(() -> member.get(v3 + "/groups/" + id).status() == 404, Duration.ofSeconds(5), "group gone");
  }
}
