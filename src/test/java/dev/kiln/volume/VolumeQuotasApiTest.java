package dev.kiln.volume;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Tenant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Cinder v3 {@code os-quota-sets} over HTTP: shapes, policy and fault bodies. */
class VolumeQuotasApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static Api member;
  private static String adminProject;
  private static String memberProject;

  @BeforeAll
  static void start() {
    Tenant operator = Tenant.admin(kiln);
    admin = operator.api();
    adminProject = operator.projectId();
    Tenant tenant = Tenant.create(kiln, admin, "tenant", "quser");
    memberProject = tenant.projectId();
    member = tenant.api();
  }

  private static String adminUrl(String target) {
    return "/volume/v3/" + adminProject + "/os-quota-sets/" + target;
  }

  private static String memberUrl(String target) {
    return "/volume/v3/" + memberProject + "/os-quota-sets/" + target;
  }

  private static Api.Response put(String target, String quotaSet) {
    return admin.put(adminUrl(target), "{\"quota_set\": " + quotaSet + "}");
  }

  @Test
  void memberSeesItsOwnDefaults() {
    Api.Response r = member.get(memberUrl(memberProject));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode set = r.json().get("quota_set");
    assertThat(set.get("id").asText()).isEqualTo(memberProject);
    assertThat(set.get("volumes").asLong()).isEqualTo(10);
    assertThat(set.get("gigabytes").asLong()).isEqualTo(1000);
    assertThat(set.get("snapshots").asLong()).isEqualTo(10);
    assertThat(set.get("per_volume_gigabytes").asLong()).isEqualTo(-1);
    assertThat(set.get("backups").asLong()).isEqualTo(10);
    assertThat(set.get("backup_gigabytes").asLong()).isEqualTo(1000);
    assertThat(set.get("groups").asLong()).isEqualTo(10);
    assertThat(set.get("volumes___DEFAULT__").asLong()).isEqualTo(-1);

    JsonNode defaults = member.get(memberUrl(memberProject) + "/defaults").json().get("quota_set");
    assertThat(defaults.get("id").asText()).isEqualTo(memberProject);
    assertThat(defaults.get("volumes").asLong()).isEqualTo(10);
  }

  @Test
  void onlyAdminsSeeOtherProjectsAndChangeQuotas() {
    Api.Response other = member.get(memberUrl(adminProject));
    assertThat(other.status()).isEqualTo(403);
    assertThat(other.json().at("/forbidden/message").asText())
        .isEqualTo("Policy doesn't allow volume_extension:quotas:show to be performed.");
    assertThat(member.get(memberUrl(adminProject) + "/defaults").status()).isEqualTo(403);

    Api.Response update = member.put(memberUrl(memberProject), "{\"quota_set\": {\"volumes\": 100}}");
    assertThat(update.status()).isEqualTo(403);
    assertThat(update.json().at("/forbidden/message").asText())
        .isEqualTo("Policy doesn't allow volume_extension:quotas:update to be performed.");
    assertThat(member.delete(memberUrl(memberProject)).status()).isEqualTo(403);
    // The URL's own project must be the token's.
    assertThat(member.get(adminUrl(memberProject)).status()).isEqualTo(403);
    assertThat(admin.get(adminUrl(memberProject)).status()).isEqualTo(200);
  }

  @Test
  void adminSetsShowsWithUsageAndResets() {
    String target = "project-set-by-admin";
    Api.Response set = put(target, "{\"volumes\": 3, \"gigabytes\": \"50\", \"volumes___DEFAULT__\": 2, \"tenant_id\": \"ignored\"}");
    assertThat(set.status()).as(set.body()).isEqualTo(200);
    JsonNode answer = set.json().get("quota_set");
    assertThat(answer.has("id")).isFalse();
    assertThat(answer.get("volumes").asLong()).isEqualTo(3);
    assertThat(answer.get("gigabytes").asLong()).isEqualTo(50);
    assertThat(answer.get("volumes___DEFAULT__").asLong()).isEqualTo(2);
    assertThat(answer.get("snapshots").asLong()).isEqualTo(10);

    JsonNode shown = admin.get(adminUrl(target)).json().get("quota_set");
    assertThat(shown.get("id").asText()).isEqualTo(target);
    assertThat(shown.get("volumes").asLong()).isEqualTo(3);

    JsonNode usage = admin.get(adminUrl(target) + "?usage=True").json().get("quota_set");
    assertThat(usage.get("volumes").toString()).isEqualTo("{\"limit\":3,\"in_use\":0,\"reserved\":0}");
    assertThat(usage.get("gigabytes").get("limit").asLong()).isEqualTo(50);
    assertThat(admin.get(adminUrl(target) + "?usage=false").json().at("/quota_set/volumes").asLong()).isEqualTo(3);

    Api.Response reset = admin.delete(adminUrl(target));
    assertThat(reset.status()).isEqualTo(200);
    assertThat(admin.get(adminUrl(target)).json().at("/quota_set/volumes").asLong()).isEqualTo(10);
    assertThat(admin.get(adminUrl(target)).json().at("/quota_set/volumes___DEFAULT__").asLong()).isEqualTo(-1);
  }

  @Test
  void volumeCreateOverQuotaIs413AndLimitsStayAboveUsage() {
    String volumes = "/volume/v3/" + adminProject + "/volumes";
    assertThat(put(adminProject, "{\"volumes\": 1}").status()).isEqualTo(200);
    try {
      Api.Response first = admin.post(volumes, "{\"volume\": {\"size\": 1, \"name\": \"within-quota\"}}");
      assertThat(first.status()).as(first.body()).isEqualTo(202);
      Api.Response second = admin.post(volumes, "{\"volume\": {\"size\": 1, \"name\": \"over-quota\"}}");
      assertThat(second.status()).as(second.body()).isEqualTo(413);
      assertThat(second.json().at("/overLimit/message").asText())
          .isEqualTo("VolumeLimitExceeded: Maximum number of volumes allowed (1) exceeded for quota 'volumes'.");

      JsonNode usage = admin.get(adminUrl(adminProject) + "?usage=True").json().get("quota_set");
      assertThat(usage.at("/volumes/in_use").asLong()).isEqualTo(1);
      assertThat(usage.at("/gigabytes/in_use").asLong()).isEqualTo(1);
      Api.Response below = put(adminProject, "{\"volumes\": 0}");
      assertThat(below.status()).isEqualTo(400);
      assertThat(below.json().at("/badRequest/message").asText())
          .isEqualTo(
              "Quota volumes limit must be equal or greater than existing resources. Current usage is 1 and the"
                  + " requested limit is 0.");
    } finally {
      admin.delete(adminUrl(adminProject));
    }
  }

  @Test
  void badQuotaSetsAre400() {
    Api.Response notInteger = put(memberProject, "{\"volumes\": \"many\"}");
    assertThat(notInteger.status()).isEqualTo(400);
    assertThat(notInteger.json().at("/badRequest/message").asText()).isEqualTo("volumes must be an integer");
    assertThat(put(memberProject, "{\"volumes\": 1.5}").status()).isEqualTo(400);
    assertThat(put(memberProject, "{\"volumes\": true}").status()).isEqualTo(400);

    Api.Response tooSmall = put(memberProject, "{\"snapshots\": -2}");
    assertThat(tooSmall.status()).isEqualTo(400);
    assertThat(tooSmall.json().at("/badRequest/message").asText()).isEqualTo("snapshots must be >= -1");
    Api.Response tooBig = put(memberProject, "{\"gigabytes\": 2147483648}");
    assertThat(tooBig.status()).isEqualTo(400);
    assertThat(tooBig.json().at("/badRequest/message").asText()).isEqualTo("gigabytes must be <= 2147483647");

    Api.Response badKeys = put(memberProject, "{\"volumes\": 1, \"colour\": 2, \"volumes_nosuchtype\": 3}");
    assertThat(badKeys.status()).isEqualTo(400);
    assertThat(badKeys.json().at("/badRequest/message").asText())
        .isEqualTo("Invalid input received: Bad key(s) in quota set: colour, volumes_nosuchtype");

    Api.Response unknownTop = admin.put(adminUrl(memberProject), "{\"quota_set\": {\"volumes\": 1}, \"extra\": 1}");
    assertThat(unknownTop.status()).isEqualTo(400);
    assertThat(unknownTop.json().at("/badRequest/message").asText()).contains("'extra'");
    assertThat(put(memberProject, "{}").status()).isEqualTo(400);
    assertThat(admin.put(adminUrl(memberProject), "{\"quota\": {\"volumes\": 1}}").status()).isEqualTo(400);

    Api.Response badUsage = admin.get(adminUrl(memberProject) + "?usage=perhaps");
    assertThat(badUsage.status()).isEqualTo(400);
    assertThat(badUsage.json().at("/badRequest/message").asText()).isEqualTo("Value 'perhaps' for 'usage' is not a boolean.");

    // None of the refused updates changed anything.
    assertThat(member.get(memberUrl(memberProject)).json().at("/quota_set/volumes").asLong()).isEqualTo(10);
  }
}
