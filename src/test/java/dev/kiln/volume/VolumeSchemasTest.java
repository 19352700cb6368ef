package dev.kiln.volume;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.TempestSchemas;
import dev.kiln.testing.Tenant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Block Storage answers, per call and per role, as Tempest's response schemas (which have
 * {@code additionalProperties: false}) and Cinder have them: a create or update answers the plain
 * volume, show and detail add the extension attributes.
 */
class VolumeSchemasTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static Api member;
  private static String adminV3;
  private static String memberV3;
  private static String imageId;

  @BeforeAll
  static void start() {
    Tenant operator = Tenant.admin(kiln);
    admin = operator.api();
    adminV3 = operator.cinder();
    Tenant tenant = Tenant.create(kiln, admin, "schemas", "schemas-user");
    member = tenant.api();
    memberV3 = tenant.cinder();
    imageId = Cloud.cirros(member);
  }

  @Test
  void volumeCreateAndUpdateAnswerThePlainViewShowAndDetailTheExtendedOne() {
    TempestSchemas schemas = new TempestSchemas();
    for (Api api : new Api[] {member, admin}) {
      String v3 = api == member ? memberV3 : adminV3;
      String who = api == member ? "member " : "admin ";
      Api.Response created =
          api.post(v3 + "/volumes", "{\"volume\": {\"size\": 1, \"name\": \"s\", \"imageRef\": \"" + imageId + "\"}}");
      assertThat(created.status()).as(created.body()).isEqualTo(202);
      JsonNode volume = created.json().get("volume");
      assertThat(volume.has("os-vol-tenant-attr:tenant_id")).isFalse();
      assertThat(volume.has("volume_image_metadata")).isFalse();
      assertThat(volume.has("os-vol-host-attr:host")).isFalse();
      String id = volume.get("id").asText();
      Cloud.awaitAvailable(api, v3, id, java.time.Duration.ofSeconds(20), "volume " + id);
      schemas.check(who + "create", "volume.volumes.create_volume", created);

      Api.Response shown = api.get(v3 + "/volumes/" + id);
      assertThat(shown.json().at("/volume/os-vol-tenant-attr:tenant_id").asText()).isNotEmpty();
      assertThat(shown.json().at("/volume/volume_image_metadata/image_id").asText()).isEqualTo(imageId);
      assertThat(shown.json().at("/volume").has("os-vol-host-attr:host")).isEqualTo(api == admin);
      schemas.check(who + "show", "volume.volumes.show_volume", shown);

      Api.Response updated = api.put(v3 + "/volumes/" + id, "{\"volume\": {\"name\": \"t\", \"metadata\": {\"k\": \"v\"}}}");
      assertThat(updated.json().at("/volume").has("os-vol-tenant-attr:tenant_id")).isFalse();
      schemas.check(who + "update", "volume.volumes.update_volume", updated);
      schemas.check(who + "list", "volume.volumes.list_volumes_no_detail", api.get(v3 + "/volumes"));
      schemas.check(who + "detail", "volume.volumes.list_volumes_with_detail", api.get(v3 + "/volumes/detail"));
    }
    schemas.verify();
  }

  @Test
  void typeCreateAndUpdateAnswerCindersLegacyViewWithoutTheQosSpecsId() {
    TempestSchemas schemas = new TempestSchemas();
    Api.Response created =
        admin.post(adminV3 + "/types", "{\"volume_type\": {\"name\": \"schema-gold\", \"extra_specs\": {\"a\": \"b\"}}}");
    assertThat(created.status()).as(created.body()).isEqualTo(200);
    assertThat(created.json().at("/volume_type").has("qos_specs_id")).isFalse();
    assertThat(created.json().at("/volume_type/os-volume-type-access:is_public").asBoolean()).isTrue();
    schemas.check("create", "volume.volume_types.create_volume_type", created);
    String id = created.json().at("/volume_type/id").asText();

    Api.Response shown = admin.get(adminV3 + "/types/" + id);
    assertThat(shown.json().at("/volume_type").has("qos_specs_id")).as("admins see it on show").isTrue();
    schemas.check("show", "volume.volume_types.show_volume_type", shown);

    Api.Response updated = admin.put(adminV3 + "/types/" + id, "{\"volume_type\": {\"description\": \"d\"}}");
    assertThat(updated.json().at("/volume_type").has("qos_specs_id")).isFalse();
    assertThat(updated.json().at("/volume_type").has("os-volume-type-access:is_public")).isFalse();
    schemas.check("update", "volume.volume_types.update_volume_types", updated);
    schemas.check("list", "volume.volume_types.list_volume_types", admin.get(adminV3 + "/types"));
    schemas.check("member list", "volume.volume_types.list_volume_types", member.get(memberV3 + "/types"));
    schemas.verify();
  }
}
