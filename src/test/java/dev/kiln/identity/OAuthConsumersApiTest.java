package dev.kiln.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Tenant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Keystone's OS-OAUTH1 consumers over HTTP. */
class OAuthConsumersApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();

  private static final String BASE = "/identity/v3/OS-OAUTH1/consumers";

  @Test
  void consumerSecretIsShownOnlyWhenCreated() {
    Api admin = kiln.admin();
    JsonNode created = admin.post(BASE, "{\"consumer\": {\"description\": \"app one\", \"colour\": \"red\"}}").expect(201).get("consumer");
    String id = created.get("id").asText();
    assertThat(created.get("secret").asText()).hasSize(32);
    assertThat(created.get("description").asText()).isEqualTo("app one");
    assertThat(created.get("colour").asText()).as("unknown attributes are kept").isEqualTo("red");
    assertThat(created.at("/links/self").asText()).endsWith("/v3/OS-OAUTH1/consumers/" + id);

    JsonNode shown = admin.get(BASE + "/" + id).expect(200).get("consumer");
    assertThat(shown.has("secret")).isFalse();
    for (String key : new String[] {"id", "description", "links", "colour"}) {
      assertThat(shown.get(key)).as(key).isEqualTo(created.get(key));
    }
    JsonNode listed = admin.get(BASE).expect(200);
    assertThat(listed.get("consumers").findValuesAsText("id")).contains(id);
    assertThat(listed.get("consumers").findValues("secret")).isEmpty();
    assertThat(listed.at("/links/self").asText()).endsWith("/v3/OS-OAUTH1/consumers");
  }

  @Test
  void consumerWithoutDescriptionShowsNull() {
    JsonNode created = kiln.admin().post(BASE, "{\"consumer\": {}}").expect(201).get("consumer");
    assertThat(created.get("description").isNull()).isTrue();
  }

  @Test
  void updateChangesTheDescriptionAndRefusesTheSecret() {
    Api admin = kiln.admin();
    String id = admin.post(BASE, "{\"consumer\": {\"description\": \"old\"}}").expect(201).at("/consumer/id").asText();
    JsonNode updated = admin.patch(BASE + "/" + id, "{\"consumer\": {\"description\": \"new\"}}").expect(200).get("consumer");
    assertThat(updated.get("description").asText()).isEqualTo("new");
    assertThat(updated.has("secret")).isFalse();
    assertThat(admin.get(BASE + "/" + id).expect(200).at("/consumer/description").asText()).isEqualTo("new");

    JsonNode refused = admin.patch(BASE + "/" + id, "{\"consumer\": {\"secret\": \"mine\"}}").expect(400);
    assertThat(refused.at("/error/message").asText()).contains("secret");
    admin.patch(BASE + "/" + id, "{\"consumer\": {}}").expect(400);
    admin.patch(BASE + "/" + id, "{\"consumer\": {\"id\": \"other\"}}").expect(400);
    admin.patch(BASE + "/" + id, "{\"consumer\": {\"description\": 7}}").expect(400);
    assertThat(admin.get(BASE + "/" + id).expect(200).at("/consumer/description").asText()).as("refusals change nothing").isEqualTo("new");
    admin.patch(BASE + "/" + UUID.randomUUID().toString().replace("-", ""), "{\"consumer\": {\"description\": \"x\"}}").expect(404);
  }

  @Test
  void deletedConsumerIsGone() {
    Api admin = kiln.admin();
    String id = admin.post(BASE, "{\"consumer\": {\"description\": \"doomed\"}}").expect(201).at("/consumer/id").asText();
    admin.delete(BASE + "/" + id).expect(204);
    admin.get(BASE + "/" + id).expect(404);
    admin.delete(BASE + "/" + id).expect(404);
    assertThat(admin.get(BASE).expect(200).get("consumers").findValuesAsText("id")).doesNotContain(id);
  }

  @Test
  void onlyAdminsManageConsumers() {
    Tenant user = Tenant.create(kiln, kiln.admin(), "p-" + UUID.randomUUID(), "u-" + UUID.randomUUID());
    user.api().get(BASE).expect(403);
    user.api().post(BASE, "{\"consumer\": {\"description\": \"mine\"}}").expect(403);
  }
}
