package dev.kiln.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.KilnExtension;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Keystone's {@code /v3/policies} and domain configurations over HTTP. */
class PoliciesAndDomainConfigApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();

  private static final String LDAP_CONFIG =
      """
      {"config": {"identity": {"driver": "ldap"},
       "ldap": {"url": "ldap://myldap.example:389/", "user_tree_dn": "ou=Users,dc=example,dc=org", "password": "s3cret"}}}
      """;

  private static String domain() {
    return kiln.admin()
        .post("/identity/v3/domains", "{\"domain\": {\"name\": \"d-" + UUID.randomUUID() + "\"}}")
        .expect(201)
        .at("/domain/id")
        .asText();
  }

  @Test
  void policyIsCreatedListedUpdatedAndDeleted() {
    Api admin = kiln.admin();
    JsonNode p =
        admin.post("/identity/v3/policies", "{\"policy\": {\"type\": \"application/json\", \"blob\": \"{}\", \"note\": 1}}")
            .expect(201)
            .get("policy");
    String id = p.get("id").asText();
    assertThat(p.get("blob").asText()).isEqualTo("{}");
    assertThat(p.get("note").asInt()).as("unknown attributes are kept").isEqualTo(1);
    assertThat(admin.get("/identity/v3/policies").expect(200).get("policies").findValuesAsText("id")).contains(id);
    JsonNode updated = admin.patch("/identity/v3/policies/" + id, "{\"policy\": {\"type\": \"text/plain\"}}").expect(200).get("policy");
    assertThat(updated.get("type").asText()).isEqualTo("text/plain");
    assertThat(admin.get("/identity/v3/policies/" + id).expect(200).get("policy")).isEqualTo(updated);
    admin.post("/identity/v3/policies", "{\"policy\": {\"type\": \"x\"}}").expect(400);
    admin.delete("/identity/v3/policies/" + id).expect(204);
    admin.get("/identity/v3/policies/" + id).expect(404);
    admin.delete("/identity/v3/policies/" + id).expect(404);
  }

  @Test
  void domainConfigIsCreatedShownByGroupAndOptionAndHidesThePassword() {
    Api admin = kiln.admin();
    String domainId = domain();
    String base = "/identity/v3/domains/" + domainId + "/config";
    admin.get(base).expect(404);
    JsonNode created = admin.put(base, LDAP_CONFIG).expect(201).get("config");
    assertThat(created.at("/identity/driver").asText()).isEqualTo("ldap");
    assertThat(created.at("/ldap/url").asText()).isEqualTo("ldap://myldap.example:389/");
    assertThat(created.get("ldap").has("password")).isFalse();
    assertThat(admin.get(base).expect(200).get("config")).isEqualTo(created);
    assertThat(admin.get(base + "/ldap").expect(200).at("/config/ldap")).isEqualTo(created.get("ldap"));
    assertThat(admin.get(base + "/ldap/user_tree_dn").expect(200).at("/config/user_tree_dn").asText())
        .isEqualTo("ou=Users,dc=example,dc=org");
    admin.get(base + "/ldap/password").expect(404);
    assertThat(admin.put(base, LDAP_CONFIG).status()).as("replacing answers 200").isEqualTo(200);
  }

  @Test
  void domainConfigGroupsAndOptionsAreUpdatedAndDeleted() {
    Api admin = kiln.admin();
    String domainId = domain();
    String base = "/identity/v3/domains/" + domainId + "/config";
    admin.patch(base, "{\"config\": {\"identity\": {\"driver\": \"sql\"}}}").expect(404);
    admin.put(base, LDAP_CONFIG).expect(201);

    JsonNode whole =
        admin.patch(base + "/identity", "{\"config\": {\"identity\": {\"driver\": \"d2\", \"list_limit\": 7}}}").expect(200).get("config");
    assertThat(whole.at("/identity/list_limit").asInt()).isEqualTo(7);
    assertThat(whole.at("/ldap/url").asText()).as("other groups kept").startsWith("ldap://");
    JsonNode afterOption =
        admin.patch(base + "/identity/driver", "{\"config\": {\"driver\": \"d3\"}}").expect(200).get("config");
    assertThat(afterOption.at("/identity/driver").asText()).isEqualTo("d3");
    admin.patch(base + "/identity", "{\"config\": {\"ldap\": {\"url\": \"x\"}}}").expect(400);

    admin.delete(base + "/identity/driver").expect(204);
    admin.get(base + "/identity/driver").expect(404);
    admin.delete(base + "/identity").expect(204);
    admin.get(base + "/identity").expect(404);
    admin.delete(base).expect(204);
    admin.get(base).expect(404);
  }

  @Test
  void unsupportedGroupsAndOptionsAreRefusedAndDefaultsAreShown() {
    Api admin = kiln.admin();
    String base = "/identity/v3/domains/" + domain() + "/config";
    admin.put(base, "{\"config\": {\"catalog\": {\"driver\": \"sql\"}}}").expect(403);
    admin.put(base, "{\"config\": {\"identity\": {\"colour\": \"red\"}}}").expect(403);
    admin.put("/identity/v3/domains/no-such-domain/config", LDAP_CONFIG).expect(404);

    JsonNode defaults = admin.get("/identity/v3/domains/config/default").expect(200).get("config");
    assertThat(defaults.at("/identity/driver").asText()).isEqualTo("sql");
    assertThat(defaults.get("ldap").has("password")).isFalse();
    assertThat(admin.get("/identity/v3/domains/config/identity/default").expect(200).at("/config/identity").has("list_limit"))
        .isTrue();
    assertThat(admin.get("/identity/v3/domains/config/ldap/url/default").expect(200).at("/config/url").asText())
        .isEqualTo("ldap://localhost");
  }

  @Test
  void deletingADomainDeletesItsConfig() {
    Api admin = kiln.admin();
    String domainId = domain();
    admin.put("/identity/v3/domains/" + domainId + "/config", LDAP_CONFIG).expect(201);
    admin.patch("/identity/v3/domains/" + domainId, "{\"domain\": {\"enabled\": false}}").expect(200);
    admin.delete("/identity/v3/domains/" + domainId).expect(204);
    admin.get("/identity/v3/domains/" + domainId + "/config").expect(404);
  }
}
