package dev.kiln.volume;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.Await;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.TempestSchemas;
import dev.kiln.testing.Tenant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The scheduler's capabilities check (a volume type asking for a backend or capability Kiln's
 * backend does not have fails the volume) and the user messages (3.3) that say so.
 */
class MessagesApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static String adminV3;
  private static Api member;
  private static String v3;
  private static Api stranger;
  private static String strangerV3;

  @BeforeAll
  static void start() {
    Tenant operator = Tenant.admin(kiln);
    admin = operator.api().withHeader("OpenStack-API-Version", "volume 3.3");
    adminV3 = operator.cinder();
    Tenant tenant = Tenant.create(kiln, operator.api(), "messages", "messages-user");
    member = tenant.api().withHeader("OpenStack-API-Version", "volume 3.3");
    v3 = tenant.cinder();
    Tenant other = Tenant.create(kiln, operator.api(), "messages-other", "messages-other-user");
    stranger = other.api().withHeader("OpenStack-API-Version", "volume 3.3");
    strangerV3 = other.cinder();
  }

  private static String type(String name, String extraSpecs) {
    return admin.post(adminV3 + "/types", "{\"volume_type\": {\"name\": \"" + name + "\", \"extra_specs\": " + extraSpecs + "}}")
        .expect(200).at("/volume_type/id").asText();
  }

  private static Api.Response createVolume(String type) {
    Api.Response made = member.post(v3 + "/volumes", "{\"volume\": {\"size\": 1, \"volume_type\": \"" + type + "\"}}");
    assertThat(made.status()).as(made.body()).isEqualTo(202);
    return made;
  }

  private static String settle(Api.Response made) {
    String id = made.json().at("/volume/id").asText();
    Await.until(() -> !Cloud.volumeStatus(member, v3, id).equals("creating"), "volume " + id + " settled");
    return Cloud.volumeStatus(member, v3, id);
  }

  private static List<JsonNode> messagesAbout(String volume) {
    return member.get(v3 + "/messages").expect(200).get("messages").findParents("resource_uuid").stream()
        .filter(m -> m.get("resource_uuid").asText().equals(volume)).toList();
  }

  @Test
  void aTypeNamingAMissingBackendFailsTheVolumeWithAMessage() {
    Api.Response made = createVolume(type("no-such-backend", "{\"volume_backend_name\": \"nowhere\"}"));
    assertThat(settle(made)).isEqualTo("error");
    String volume = made.json().at("/volume/id").asText();

    List<JsonNode> about = messagesAbout(volume);
    assertThat(about).hasSize(1);
    JsonNode message = about.getFirst();
    assertThat(message.get("event_id").asText()).isEqualTo("VOLUME_VOLUME_001_003");
    assertThat(message.get("message_level").asText()).isEqualTo("ERROR");
    assertThat(message.get("resource_type").asText()).isEqualTo("VOLUME");
    assertThat(message.get("user_message").asText()).contains("Could not find any available weighted backend");
    assertThat(message.get("request_id").asText()).as("the create's request id")
        .isEqualTo(made.header("x-openstack-request-id"));

    String id = message.get("id").asText();
    TempestSchemas schemas = new TempestSchemas();
    schemas.check("volume.messages.show_message", member.get(v3 + "/messages/" + id))
        .check("volume.messages.list_messages", member.get(v3 + "/messages"));
    assertThat(stranger.get(strangerV3 + "/messages/" + id).status()).as("other projects do not see it").isEqualTo(404);
    assertThat(stranger.get(strangerV3 + "/messages").expect(200).get("messages").findValuesAsText("id")).doesNotContain(id);
    schemas.check("volume.messages.delete_message", member.delete(v3 + "/messages/" + id)).verify();
    assertThat(member.get(v3 + "/messages/" + id).status()).isEqualTo(404);
    assertThat(member.delete(v3 + "/messages/" + id).status()).isEqualTo(404);
  }

  @Test
  void capabilitiesTheBackendHasAreMatchedWithCindersOperators() {
    assertThat(settle(createVolume(type("cap-match", "{\"volume_backend_name\": \"simulated\", \"storage_protocol\": \"iSCSI\","
        + " \"capabilities:vendor_name\": \"<in> Open\", \"multiattach\": \"<is> True\", \"driver_version\": \"<or> 0.9 <or> 1.0.0\"}"))))
        .isEqualTo("available");
    assertThat(settle(createVolume(type("cap-other-scope", "{\"RESKEY:anything\": \"x\", \"replication_enabled\": \"<is> False\"}"))))
        .as("specs scoped for others, and capabilities the backend does not report, are not checked").isEqualTo("available");
    Api.Response wrongProtocol = createVolume(type("cap-fc", "{\"storage_protocol\": \"FC\"}"));
    assertThat(settle(wrongProtocol)).isEqualTo("error");
    assertThat(messagesAbout(wrongProtocol.json().at("/volume/id").asText())).hasSize(1);
    Api.Response wrongVendor = createVolume(type("cap-vendor", "{\"vendor_name\": \"Acme\", \"storage_protocol\": \"iSCSI\"}"));
    assertThat(settle(wrongVendor)).isEqualTo("error");
  }

  @Test
  void messagesExistFromMicroversion33() {
    Api old = member.withHeader("OpenStack-API-Version", "volume 3.2");
    assertThat(old.get(v3 + "/messages").status()).isEqualTo(404);
  }
}
