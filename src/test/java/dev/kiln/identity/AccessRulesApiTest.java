package dev.kiln.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.RunningKiln;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Application credentials' access rules: kept with the credential, listed and deleted per user. */
class AccessRulesApiTest {
  private static final String RULE =
      "{\"path\": \"/v2.1/servers/*/ips\", \"method\": \"GET\", \"service\": \"compute\"}";

  @TempDir static Path dataDir;
  private static RunningKiln kiln;
  private static Api admin;
  private static String adminId;

  @BeforeAll
  static void start() {
    kiln = RunningKiln.start(dataDir);
    admin = kiln.api().withToken(kiln.api().token("admin", RunningKiln.ADMIN_PASSWORD, "admin"));
    adminId = admin.get("/identity/v3/users?name=admin").expect(200).at("/users/0/id").asText();
  }

  @AfterAll
  static void stop() {
    kiln.close();
  }

  private static JsonNode createWithRule(String rule) {
    return admin
        .post(
            "/identity/v3/users/" + adminId + "/application_credentials",
            "{\"application_credential\": {\"name\": \"ar-" + UUID.randomUUID() + "\", \"access_rules\": ["
                + rule + "]}}")
        .expect(201)
        .get("application_credential");
  }

  private static String rules() {
    return "/identity/v3/users/" + adminId + "/access_rules";
  }

  @Test
  void accessRulesAreKeptListedAndDeletableOnceNoCredentialUsesThem() {
    JsonNode credential = createWithRule(RULE);
    JsonNode rule = credential.at("/access_rules/0");
    assertThat(rule.get("path").asText()).isEqualTo("/v2.1/servers/*/ips");
    assertThat(rule.get("method").asText()).isEqualTo("GET");
    assertThat(rule.get("service").asText()).isEqualTo("compute");
    String ruleId = rule.get("id").asText();
    assertThat(admin.get("/identity/v3/users/" + adminId + "/application_credentials/" + credential.get("id").asText())
        .expect(200).at("/application_credential/access_rules/0/id").asText()).isEqualTo(ruleId);

    // The same rule asked again is the same rule; by id too.
    JsonNode again = createWithRule(RULE);
    assertThat(again.at("/access_rules/0/id").asText()).isEqualTo(ruleId);
    JsonNode byId = createWithRule("{\"id\": \"" + ruleId + "\"}");
    assertThat(byId.at("/access_rules/0/path").asText()).isEqualTo("/v2.1/servers/*/ips");

    assertThat(admin.get(rules()).expect(200).get("access_rules").findValuesAsText("id")).contains(ruleId);
    assertThat(admin.get(rules() + "/" + ruleId).expect(200).at("/access_rule/service").asText()).isEqualTo("compute");

    admin.delete(rules() + "/" + ruleId).expect(403);
    for (JsonNode c : new JsonNode[] {credential, again, byId}) {
      admin.delete("/identity/v3/users/" + adminId + "/application_credentials/" + c.get("id").asText()).expect(204);
    }
    assertThat(admin.get(rules()).expect(200).get("access_rules").findValuesAsText("id")).contains(ruleId);
    admin.delete(rules() + "/" + ruleId).expect(204);
    assertThat(admin.get(rules()).expect(200).get("access_rules").findValuesAsText("id")).doesNotContain(ruleId);
    admin.get(rules() + "/" + ruleId).expect(404);
  }

  @Test
  void badAccessRulesAre400AndUnknownIds404() {
    String path = "/identity/v3/users/" + adminId + "/application_credentials";
    admin.post(path, "{\"application_credential\": {\"name\": \"bad1\", \"access_rules\": [{\"path\": \"/x\","
        + " \"method\": \"FETCH\", \"service\": \"compute\"}]}}").expect(400);
    admin.post(path, "{\"application_credential\": {\"name\": \"bad2\", \"access_rules\": [{\"path\": \"x\","
        + " \"method\": \"GET\", \"service\": \"compute\"}]}}").expect(400);
    admin.post(path, "{\"application_credential\": {\"name\": \"bad3\", \"access_rules\": [{\"id\": \"nope\"}]}}")
        .expect(404);
  }
}
