package dev.kiln.volume;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.TempestSchemas;
import dev.kiln.testing.Tenant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Cinder's quota classes over HTTP: the class "default" is every project's defaults. */
class VolumeQuotaClassesApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static String base;

  @BeforeAll
  static void start() {
    Tenant operator = Tenant.admin(kiln);
    admin = operator.api();
    base = "/volume/v3/" + operator.projectId();
  }

  @Test
  void theDefaultClassShowsCindersDefaults() {
    JsonNode set = admin.get(base + "/os-quota-class-sets/default").expect(200).get("quota_class_set");
    assertThat(set.get("id").asText()).isEqualTo("default");
    assertThat(set.get("gigabytes").asLong()).isEqualTo(1000);
    assertThat(set.get("per_volume_gigabytes").asLong()).isEqualTo(-1);
    assertThat(set.get("volumes___DEFAULT__").asLong()).as("per-type quotas are there too").isEqualTo(-1);
  }

  @Test
  void changingTheDefaultClassChangesProjectsWithoutTheirOwnLimits() {
    Tenant fresh = Tenant.create(kiln, admin, "class-fresh", "class-fresh-user");
    Tenant own = Tenant.create(kiln, admin, "class-own", "class-own-user");
    admin.put("/volume/v3/" + own.projectId() + "/os-quota-sets/" + own.projectId(), "{\"quota_set\": {\"volumes\": 7}}")
        .expect(200);
    admin.post(base + "/types", "{\"volume_type\": {\"name\": \"class-type\"}}").expect(200);

    JsonNode updated = admin.put(base + "/os-quota-class-sets/default",
        "{\"quota_class_set\": {\"volumes\": 2, \"snapshots\": \"12\", \"gigabytes_class-type\": 5, \"colour\": \"red\"}}")
        .expect(200).get("quota_class_set");
    try {
      assertThat(updated.has("id")).as("Cinder answers an update without the id").isFalse();
      assertThat(updated.get("volumes").asLong()).isEqualTo(2);
      assertThat(updated.get("snapshots").asLong()).isEqualTo(12);
      assertThat(updated.get("gigabytes_class-type").asLong()).isEqualTo(5);
      assertThat(updated.has("colour")).as("names that are no quota are ignored").isFalse();

      JsonNode defaults = admin.get(fresh.cinder() + "/os-quota-sets/" + fresh.projectId() + "/defaults")
          .expect(200).get("quota_set");
      assertThat(defaults.get("volumes").asLong()).isEqualTo(2);
      assertThat(defaults.get("gigabytes_class-type").asLong()).isEqualTo(5);
      assertThat(admin.get(fresh.cinder() + "/os-quota-sets/" + fresh.projectId()).json().at("/quota_set/volumes").asLong())
          .isEqualTo(2);
      assertThat(admin.get(own.cinder() + "/os-quota-sets/" + own.projectId()).json().at("/quota_set/volumes").asLong())
          .as("a project's own limit wins").isEqualTo(7);

      // Enforced: the third volume of a project on the defaults is over its quota.
      for (int i = 0; i < 2; i++) {
        fresh.api().post(fresh.cinder() + "/volumes", "{\"volume\": {\"size\": 1}}").expect(202);
      }
      Api.Response third = fresh.api().post(fresh.cinder() + "/volumes", "{\"volume\": {\"size\": 1}}");
      assertThat(third.status()).isEqualTo(413);
    } finally {
      admin.put(base + "/os-quota-class-sets/default", "{\"quota_class_set\": {\"volumes\": 10, \"snapshots\": 10}}")
          .expect(200);
    }
  }

  @Test
  void badValuesAndOtherCallersAreRefused() {
    Api.Response negative = admin.put(base + "/os-quota-class-sets/default", "{\"quota_class_set\": {\"volumes\": -2}}");
    assertThat(negative.status()).isEqualTo(400);
    assertThat(negative.json().at("/badRequest/message").asText()).isEqualTo("volumes must be >= -1");
    Api.Response word = admin.put(base + "/os-quota-class-sets/default", "{\"quota_class_set\": {\"gigabytes\": \"many\"}}");
    assertThat(word.status()).isEqualTo(400);
    assertThat(word.json().at("/badRequest/message").asText()).isEqualTo("gigabytes must be an integer");
    assertThat(admin.get(base + "/os-quota-class-sets/default").json().at("/quota_class_set/gigabytes").asLong())
        .as("a refused update changes nothing").isEqualTo(1000);

    Tenant member = Tenant.create(kiln, admin, "class-member", "class-member-user");
    Api.Response refused = member.api().get(member.cinder() + "/os-quota-class-sets/default");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(member.api().put(member.cinder() + "/os-quota-class-sets/default", "{\"quota_class_set\": {\"volumes\": 99}}")
        .status()).isEqualTo(403);
  }

  @Test
  void anotherClassFallsBackToTheDefaults() {
    JsonNode gold = admin.put(base + "/os-quota-class-sets/gold", "{\"quota_class_set\": {\"gigabytes\": 5000}}")
        .expect(200).get("quota_class_set");
    assertThat(gold.get("gigabytes").asLong()).isEqualTo(5000);
    assertThat(gold.get("backups").asLong()).isEqualTo(10);
    assertThat(admin.get(base + "/os-quota-class-sets/default").json().at("/quota_class_set/gigabytes").asLong())
        .isEqualTo(1000);
  }

  @Test
  void answersMatchTempestsSchemas() {
    new TempestSchemas()
        .check("volume.quota_classes.show_quota_classes", admin.get(base + "/os-quota-class-sets/default"))
        .check("volume.quota_classes.update_quota_classes",
            admin.put(base + "/os-quota-class-sets/default", "{\"quota_class_set\": {\"backups\": 10}}"))
        .verify();
  }
}
