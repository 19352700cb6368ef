package dev.kiln.volume;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Tenant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Cinder's volume type encryption over HTTP: shapes, the one-per-type rule, in-use refusals, policy. */
class VolumeTypeEncryptionApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static Api member;
  private static String adminBase;
  private static String memberBase;

  @BeforeAll
  static void start() {
    Tenant operator = Tenant.admin(kiln);
    admin = operator.api();
    adminBase = "/volume/v3/" + operator.projectId();
    Tenant tenant = Tenant.create(kiln, admin, "enc-tenant", "enc-user");
    member = tenant.api();
    memberBase = "/volume/v3/" + tenant.projectId();
  }

  private static String newType(String name) {
    Api.Response r = admin.post(adminBase + "/types", "{\"volume_type\": {\"name\": \"" + name + "\"}}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().at("/volume_type/id").asText();
  }

  @Test
  void encryptionLifecycleAsCinderShowsIt() {
    String type = newType("luks");
    String url = adminBase + "/types/" + type + "/encryption";
    assertThat(admin.get(url).json().toString()).isEqualTo("{}");

    Api.Response made =
        admin.post(url, "{\"encryption\": {\"provider\": \"luks\", \"cipher\": \"aes-xts-plain64\", \"key_size\": 256,"
            + " \"control_location\": \"front-end\"}}");
    assertThat(made.status()).as(made.body()).isEqualTo(200);
    JsonNode e = made.json().get("encryption");
    assertThat(e.get("volume_type_id").asText()).isEqualTo(type);
    assertThat(e.get("encryption_id").asText()).hasSize(36);
    assertThat(e.get("key_size").asInt()).isEqualTo(256);

    Api.Response again = admin.post(url, "{\"encryption\": {\"provider\": \"luks\"}}");
    assertThat(again.status()).isEqualTo(400);
    assertThat(again.json().at("/badRequest/message").asText())
        .isEqualTo("Volume type encryption for type " + type + " already exists.");

    Api.Response changed =
        admin.put(url + "/provider", "{\"encryption\": {\"key_size\": 128, \"control_location\": \"back-end\"}}");
    assertThat(changed.status()).as(changed.body()).isEqualTo(200);
    assertThat(changed.json().get("encryption").toString()).isEqualTo("{\"key_size\":128,\"control_location\":\"back-end\"}");
    JsonNode shown = admin.get(url).json();
    assertThat(shown.get("provider").asText()).isEqualTo("luks");
    assertThat(shown.get("cipher").asText()).isEqualTo("aes-xts-plain64");
    assertThat(shown.get("key_size").asInt()).isEqualTo(128);
    assertThat(shown.get("deleted").asBoolean()).isFalse();
    assertThat(admin.get(url + "/cipher").json().toString()).isEqualTo("{\"cipher\":\"aes-xts-plain64\"}");

    Api.Response badLocation = admin.put(url + "/provider", "{\"encryption\": {\"control_location\": \"middle\"}}");
    assertThat(badLocation.status()).isEqualTo(400);
    Api.Response unknown = admin.put(url + "/provider", "{\"encryption\": {\"colour\": \"red\"}}");
    assertThat(unknown.status()).isEqualTo(400);

    assertThat(admin.delete(url + "/provider").status()).isEqualTo(202);
    assertThat(admin.get(url).json().toString()).isEqualTo("{}");
    Api.Response gone = admin.delete(url + "/provider");
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.json().at("/itemNotFound/message").asText())
        .isEqualTo("Volume type encryption for type " + type + " does not exist.");
  }

  @Test
  void onlyAdminsAndNoChangeWhileAVolumeHasTheType() {
    String type = newType("luks-used");
    String url = adminBase + "/types/" + type + "/encryption";
    Api.Response refused = member.post(memberBase + "/types/" + type + "/encryption", "{\"encryption\": {\"provider\": \"luks\"}}");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(admin.post(url, "{\"encryption\": {}}").status()).as("provider is required").isEqualTo(400);
    assertThat(admin.post(adminBase + "/types/no-such-type/encryption", "{\"encryption\": {\"provider\": \"luks\"}}")
        .status()).isEqualTo(404);
    assertThat(admin.post(url, "{\"encryption\": {\"provider\": \"luks\"}}").status()).isEqualTo(200);

    Api.Response volume =
        admin.post(adminBase + "/volumes", "{\"volume\": {\"size\": 1, \"volume_type\": \"" + type + "\"}}");
    assertThat(volume.status()).as(volume.body()).isEqualTo(202);
    Api.Response inUse = admin.delete(url + "/provider");
    assertThat(inUse.status()).isEqualTo(400);
    assertThat(inUse.json().at("/badRequest/message").asText())
        .isEqualTo("Cannot delete encryption specs. Volume type in use.");
    assertThat(admin.get(url).json().get("provider").asText()).isEqualTo("luks");
  }
}
