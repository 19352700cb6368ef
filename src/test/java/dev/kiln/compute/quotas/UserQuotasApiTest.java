package dev.kiln.compute.quotas;

import static dev.kiln.testing.Cloud.NOVA;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Tenant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Nova's per-user quotas ({@code os-quota-sets/{project}?user_id=}) over HTTP, and at boot. */
class UserQuotasApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static String imageId;
  private static int projects;

  @BeforeAll
  static void start() {
    admin = kiln.admin();
    imageId = Cloud.cirros(admin);
  }

  /** A project with two member users, each logged in, and a network. */
  private record Project(String id, String userA, Api a, String userB, Api b, String networkId) {}

  private static Project project() {
    String name = "uq-" + (++projects);
    Tenant first = Tenant.create(kiln, admin, name, name + "-a");
    String second = Tenant.addMember(admin, first.projectId(), name + "-b");
    Api b = kiln.api().withToken(kiln.api().token(name + "-b", Tenant.PASSWORD, name));
    return new Project(first.projectId(), first.userId(), first.api(), second, b, Cloud.network(first.api(), "net", "10.8.0.0/24"));
  }

  private static String quotaSet(Project p, String userId) {
    return NOVA + "/os-quota-sets/" + p.id() + (userId == null ? "" : "?user_id=" + userId);
  }

  private static Api.Response put(Project p, String userId, String body) {
    return admin.put(quotaSet(p, userId), "{\"quota_set\": " + body + "}");
  }

  private static Api.Response boot(Project p, Api as, String name) {
    return as.post(
        NOVA + "/servers",
        "{\"server\": {\"name\": \"" + name + "\", \"flavorRef\": \"1\", \"imageRef\": \"" + imageId
            + "\", \"networks\": [{\"uuid\": \"" + p.networkId() + "\"}]}}");
  }

  @Test
  void aUsersLimitsOverrideTheProjectsForThatUserOnly() {
    Project p = project();
    put(p, null, "{\"ram\": 5120}").expect(200);
    JsonNode updated = put(p, p.userA(), "{\"ram\": 2048}").expect(200).get("quota_set");
    assertThat(updated.get("ram").asLong()).isEqualTo(2048);
    assertThat(updated.has("id")).as("Nova's update answers no id").isFalse();

    JsonNode user = admin.get(quotaSet(p, p.userA())).expect(200).get("quota_set");
    assertThat(user.get("ram").asLong()).isEqualTo(2048);
    assertThat(user.get("cores").asLong()).as("unset: the project's limit").isEqualTo(20);
    assertThat(admin.get(quotaSet(p, p.userB())).expect(200).at("/quota_set/ram").asLong()).isEqualTo(5120);
    assertThat(admin.get(quotaSet(p, null)).expect(200).at("/quota_set/ram").asLong()).isEqualTo(5120);
    JsonNode detail =
        admin.get(NOVA + "/os-quota-sets/" + p.id() + "/detail?user_id=" + p.userA()).expect(200).get("quota_set");
    assertThat(detail.at("/ram/limit").asLong()).isEqualTo(2048);
    assertThat(p.a().get(quotaSet(p, p.userA())).expect(200).at("/quota_set/ram").asLong())
        .as("members read their project's user quotas")
        .isEqualTo(2048);
  }

  @Test
  void aUsersLimitMayNotExceedWhatTheProjectLeavesUnlessForced() {
    Project p = project();
    put(p, null, "{\"cores\": 10}").expect(200);
    put(p, p.userA(), "{\"cores\": 6}").expect(200);
    JsonNode refused = put(p, p.userB(), "{\"cores\": 5}").expect(400);
    assertThat(refused.at("/badRequest/message").asText()).isEqualTo("Quota limit 5 for cores must be less than or equal to 4.");
    put(p, p.userB(), "{\"cores\": -1}").expect(400);
    assertThat(admin.get(quotaSet(p, p.userB())).expect(200).at("/quota_set/cores").asLong()).as("nothing set").isEqualTo(10);
    put(p, p.userB(), "{\"cores\": 4}").expect(200);
    put(p, p.userA(), "{\"cores\": 6}").expect(200); // a user's own limit counts as free for them
    put(p, p.userB(), "{\"cores\": 9, \"force\": true}").expect(200);
    assertThat(admin.get(quotaSet(p, p.userB())).expect(200).at("/quota_set/cores").asLong()).isEqualTo(9);
  }

  @Test
  void theProjectsLimitMayNotFallBelowItsUsersLimits() {
    Project p = project();
    put(p, p.userA(), "{\"instances\": 6}").expect(200);
    JsonNode refused = put(p, null, "{\"instances\": 5}").expect(400);
    assertThat(refused.at("/badRequest/message").asText())
        .isEqualTo("Quota limit 5 for instances must be greater than or equal to already used and reserved 6.");
    put(p, null, "{\"instances\": 6}").expect(200);
  }

  @Test
  void aUsersLimitMayNotFallBelowWhatTheUserUses() {
    Project p = project();
    boot(p, p.a(), "one").expect(202);
    JsonNode refused = put(p, p.userA(), "{\"instances\": 0}").expect(400);
    assertThat(refused.at("/badRequest/message").asText())
        .isEqualTo("Quota limit 0 for instances must be greater than or equal to already used and reserved 1.");
    put(p, p.userB(), "{\"instances\": 0}").expect(200); // user b uses nothing
    assertThat(admin.get(NOVA + "/os-quota-sets/" + p.id() + "/detail?user_id=" + p.userA()).expect(200).at("/quota_set/instances/in_use").asLong())
        .isEqualTo(1);
  }

  @Test
  void aBootBeyondTheUsersOwnLimitIsRefusedWhileOtherUsersBoot() {
    Project p = project();
    put(p, p.userA(), "{\"instances\": 1}").expect(200);
    boot(p, p.a(), "a1").expect(202);
    Api.Response refused = boot(p, p.a(), "a2");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().at("/forbidden/message").asText())
        .isEqualTo("Quota exceeded for instances: Requested 1, but already used 1 of 1 instances");
    boot(p, p.b(), "b1").expect(202);
    assertThat(admin.get(NOVA + "/servers?all_tenants=1&project_id=" + p.id()).expect(200).get("servers").size()).isEqualTo(2);
  }

  @Test
  void deletingUserQuotasGivesTheUserTheProjectsLimitsAgain() {
    Project p = project();
    put(p, null, "{\"ram\": 4096}").expect(200);
    put(p, p.userA(), "{\"ram\": 1024}").expect(200);
    put(p, p.userB(), "{\"ram\": 2048}").expect(200);
    admin.delete(quotaSet(p, p.userA())).expect(202);
    assertThat(admin.get(quotaSet(p, p.userA())).expect(200).at("/quota_set/ram").asLong()).isEqualTo(4096);
    assertThat(admin.get(quotaSet(p, p.userB())).expect(200).at("/quota_set/ram").asLong()).isEqualTo(2048);
    admin.delete(quotaSet(p, null)).expect(202);
    assertThat(admin.get(quotaSet(p, p.userB())).expect(200).at("/quota_set/ram").asLong())
        .as("deleting the project's quotas forgets its users' too")
        .isEqualTo(51200);
  }

  @Test
  void membersCannotSetOrDeleteUserQuotas() {
    Project p = project();
    p.a().put(quotaSet(p, p.userA()), "{\"quota_set\": {\"ram\": 1}}").expect(403);
    p.a().delete(quotaSet(p, p.userA())).expect(403);
  }
}
