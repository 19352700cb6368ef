package dev.kiln.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.RunningKiln;
import dev.kiln.testing.Tenant;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Glance v2 image members over HTTP: sharing, the member's answer, and what each answer shows. */
class ImageMembersApiTest {
  private static final String V2 = "/image/v2";

  @TempDir static Path dataDir;
  private static RunningKiln kiln;
  private static Api admin;
  private static Tenant owner;
  private static Tenant consumer;
  private static Tenant stranger;

  @BeforeAll
  static void start() {
    kiln = RunningKiln.start(dataDir);
    admin = Tenant.admin(kiln).api();
    owner = Tenant.create(kiln, admin, "mbrowner", "mbrowneruser");
    consumer = Tenant.create(kiln, admin, "mbrconsumer", "mbrconsumeruser");
    stranger = Tenant.create(kiln, admin, "mbrstranger", "mbrstrangeruser");
  }

  @AfterAll
  static void stop() {
    kiln.close();
  }

  private static String sharedImage() {
    return owner.api().post(V2 + "/images", "{\"name\": \"to-share\", \"disk_format\": \"raw\", \"container_format\": \"bare\"}")
        .expect(201).get("id").asText();
  }

  private static JsonNode share(String imageId) {
    return owner.api().post(V2 + "/images/" + imageId + "/members", "{\"member\": \"" + consumer.projectId() + "\"}")
        .expect(200);
  }

  private static Api.Response answer(Api as, String imageId, String status) {
    return as.put(V2 + "/images/" + imageId + "/members/" + consumer.projectId(), "{\"status\": \"" + status + "\"}");
  }

  private static List<String> listed(Api as, String query) {
    return as.get(V2 + "/images" + query).expect(200).get("images").findValuesAsText("id");
  }

  @Test
  void aSharedImageIsListedForTheMemberOnlyOnceAccepted() {
    String id = sharedImage();
    JsonNode member = share(id);
    assertThat(member.get("member_id").asText()).isEqualTo(consumer.projectId());
    assertThat(member.get("image_id").asText()).isEqualTo(id);
    assertThat(member.get("status").asText()).isEqualTo("pending");
    assertThat(member.get("schema").asText()).isEqualTo("/v2/schemas/member");
    assertThat(member.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");

    // Pending: visible by id, not in the default list, listed when asked for pending shares.
    assertThat(listed(consumer.api(), "")).doesNotContain(id);
    assertThat(consumer.api().get(V2 + "/images/" + id).status()).isEqualTo(200);
    assertThat(listed(consumer.api(), "?visibility=shared&member_status=pending")).contains(id);

    JsonNode accepted = answer(consumer.api(), id, "accepted").expect(200);
    assertThat(accepted.get("status").asText()).isEqualTo("accepted");
    assertThat(listed(consumer.api(), "")).contains(id);
    assertThat(listed(consumer.api(), "?visibility=shared&member_status=pending")).doesNotContain(id);

    JsonNode members = owner.api().get(V2 + "/images/" + id + "/members").expect(200);
    assertThat(members.get("schema").asText()).isEqualTo("/v2/schemas/members");
    assertThat(members.get("members")).hasSize(1);
    assertThat(members.at("/members/0/status").asText()).isEqualTo("accepted");
    assertThat(owner.api().get(V2 + "/images/" + id + "/members/" + consumer.projectId()).expect(200)
        .get("status").asText()).isEqualTo("accepted");
  }

  @Test
  void aRejectedShareStaysOutOfTheMembersDefaultList() {
    String id = sharedImage();
    share(id);
    answer(consumer.api(), id, "rejected").expect(200);
    assertThat(listed(consumer.api(), "")).doesNotContain(id);
    assertThat(listed(consumer.api(), "?member_status=rejected")).contains(id);
    assertThat(listed(consumer.api(), "?member_status=all&visibility=shared")).contains(id);
    // The member may change its mind.
    answer(consumer.api(), id, "accepted").expect(200);
    assertThat(listed(consumer.api(), "")).contains(id);
  }

  @Test
  void theOwnerCannotAnswerForTheMemberAndAnUnknownStatusIsRefused() {
    String id = sharedImage();
    share(id);
    Api.Response byOwner = answer(owner.api(), id, "accepted");
    assertThat(byOwner.status()).isEqualTo(403);
    assertThat(byOwner.json().get("message").asText()).contains("Not allowed to update members");
    assertThat(answer(consumer.api(), id, "notavalidstatus").status()).isEqualTo(400);
    assertThat(consumer.api().put(V2 + "/images/" + id + "/members/" + consumer.projectId(), "{}").status())
        .isEqualTo(400);
    assertThat(listed(consumer.api(), "")).doesNotContain(id);
  }

  @Test
  void onlySharedImagesHaveMembers() {
    String id =
        owner.api().post(V2 + "/images", "{\"name\": \"private\", \"visibility\": \"private\"}").expect(201).get("id").asText();
    assertThat(owner.api().post(V2 + "/images/" + id + "/members", "{\"member\": \"" + consumer.projectId() + "\"}")
        .status()).isEqualTo(403);
    assertThat(owner.api().get(V2 + "/images/" + id + "/members").status()).isEqualTo(403);
    assertThat(owner.api().get(V2 + "/images/" + id + "/members/" + consumer.projectId()).status()).isEqualTo(404);
  }

  @Test
  void aMemberSeesOnlyItsOwnMembershipAndCannotManageOthers() {
    String id = sharedImage();
    share(id);
    owner.api().post(V2 + "/images/" + id + "/members", "{\"member\": \"" + stranger.projectId() + "\"}").expect(200);

    List<String> seenByConsumer =
        consumer.api().get(V2 + "/images/" + id + "/members").expect(200).get("members").findValuesAsText("member_id");
    assertThat(seenByConsumer).containsExactly(consumer.projectId());
    assertThat(consumer.api().get(V2 + "/images/" + id + "/members/" + stranger.projectId()).status()).isEqualTo(404);
    assertThat(consumer.api().post(V2 + "/images/" + id + "/members", "{\"member\": \"someone\"}").status())
        .isEqualTo(403);
    assertThat(consumer.api().delete(V2 + "/images/" + id + "/members/" + consumer.projectId()).status())
        .isEqualTo(403);
    // A member may not change the image itself.
    assertThat(consumer.api().delete(V2 + "/images/" + id).status()).isEqualTo(403);
  }

  @Test
  void aProjectTheImageIsNotSharedWithDoesNotSeeItOrItsMembers() {
    String id = sharedImage();
    share(id);
    assertThat(stranger.api().get(V2 + "/images/" + id).status()).isEqualTo(404);
    assertThat(stranger.api().get(V2 + "/images/" + id + "/members").status()).isEqualTo(404);
    assertThat(stranger.api().post(V2 + "/images/" + id + "/members", "{\"member\": \"" + stranger.projectId() + "\"}")
        .status()).isEqualTo(404);
  }

  @Test
  void removingTheMemberHidesTheImageAgain() {
    String id = sharedImage();
    share(id);
    answer(consumer.api(), id, "accepted").expect(200);
    assertThat(listed(consumer.api(), "")).contains(id);
    assertThat(owner.api().delete(V2 + "/images/" + id + "/members/" + consumer.projectId()).status()).isEqualTo(204);
    assertThat(listed(consumer.api(), "")).doesNotContain(id);
    assertThat(consumer.api().get(V2 + "/images/" + id).status()).isEqualTo(404);
    assertThat(owner.api().delete(V2 + "/images/" + id + "/members/" + consumer.projectId()).status()).isEqualTo(404);
  }

  @Test
  void sharingTwiceWithOneProjectConflictsAndBadBodiesAreRefused() {
    String id = sharedImage();
    share(id);
    assertThat(owner.api().post(V2 + "/images/" + id + "/members", "{\"member\": \"" + consumer.projectId() + "\"}")
        .status()).isEqualTo(409);
    assertThat(owner.api().post(V2 + "/images/" + id + "/members", "{}").status()).isEqualTo(400);
    assertThat(owner.api().post(V2 + "/images/" + id + "/members", "{\"member\": \"\"}").status()).isEqualTo(400);
    assertThat(owner.api().post(V2 + "/images/" + id + "/members", "[\"x\"]").status()).isEqualTo(400);
  }

  @Test
  void theMemberSchemasAreServed() {
    JsonNode member = consumer.api().get(V2 + "/schemas/member").expect(200);
    assertThat(member.get("name").asText()).isEqualTo("member");
    assertThat(member.at("/properties/status/enum")).hasSize(3);
    JsonNode members = consumer.api().get(V2 + "/schemas/members").expect(200);
    assertThat(members.get("name").asText()).isEqualTo("members");
    assertThat(members.at("/properties/members/items/name").asText()).isEqualTo("member");
  }
}
