package dev.kiln.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.OpenStackCli;
import dev.kiln.testing.Tenant;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Application credentials with access rules get tokens, and every service lets those tokens make
 * only the calls a rule allows (service type, method, path below the service's catalog URL), as
 * keystonemiddleware does in front of each OpenStack service.
 */
class AccessRuleEnforcementTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();

  private static final String RULES =
      """
      [{"service": "compute", "method": "GET", "path": "/v2.1/servers"},
       {"service": "network", "method": "GET", "path": "/v2.0/networks"},
       {"service": "volumev3", "method": "GET", "path": "/v3/*/volumes"},
       {"service": "image", "method": "GET", "path": "/v2/images/{image_id}"},
       {"service": "orchestration", "method": "GET", "path": "/v1/{project_id}/stacks"},
       {"service": "object-store", "method": "GET", "path": "/v1/*"},
       {"service": "identity", "method": "GET", "path": "/v3/users/*"}]
      """;

  private static Tenant tenant;
  private static Api admin;
  private static String credentialId;
  private static String secret;

  @BeforeAll
  static void credentialWithRules() {
    admin = kiln.admin();
    tenant = Tenant.create(kiln, admin, "rules-project", "rules-user");
    JsonNode created =
        tenant.api()
            .post(
                "/identity/v3/users/" + tenant.userId() + "/application_credentials",
                "{\"application_credential\": {\"name\": \"limited\", \"access_rules\": " + RULES + "}}")
            .expect(201)
            .get("application_credential");
    credentialId = created.get("id").asText();
    secret = created.get("secret").asText();
  }

  private static Api.Response login() {
    return kiln.api()
        .post(
            "/identity/v3/auth/tokens",
            """
            {"auth": {"identity": {"methods": ["application_credential"],
             "application_credential": {"id": "%s", "secret": "%s"}}}}
            """
                .formatted(credentialId, secret));
  }

  private static Api limited() {
    Api.Response issued = login();
    issued.expect(201);
    return kiln.api().withToken(issued.header("X-Subject-Token"));
  }

  @Test
  void credentialWithAccessRulesGetsATokenThatCarriesThem() {
    Api.Response issued = login();
    JsonNode token = issued.expect(201).get("token");
    assertThat(token.at("/application_credential/id").asText()).isEqualTo(credentialId);
    assertThat(token.at("/application_credential/restricted").asBoolean()).isTrue();
    JsonNode rules = token.at("/application_credential/access_rules");
    assertThat(rules).hasSize(7);
    assertThat(rules.findValuesAsText("service"))
        .containsExactlyInAnyOrder(
            "compute", "network", "volumev3", "image", "orchestration", "object-store", "identity");
    assertThat(rules.get(0).get("id").asText()).isNotEmpty();
  }

  @Test
  void eachServiceAnswersTheCallsTheRulesAllow() {
    Api api = limited();
    String imageId = admin.get("/image/v2/images").expect(200).at("/images/0/id").asText();
    api.get("/compute/v2.1/servers").expect(200);
    api.get("/networking/v2.0/networks").expect(200);
    api.get("/volume/v3/" + tenant.projectId() + "/volumes").expect(200);
    api.get("/image/v2/images/" + imageId).expect(200);
    api.get("/heat-api/v1/" + tenant.projectId() + "/stacks").expect(200);
    assertThat(api.get("/object-store/v1/AUTH_" + tenant.projectId()).status()).isIn(200, 204);
    api.get("/identity/v3/users/" + tenant.userId()).expect(200);
  }

  @Test
  void callsOutsideTheRulesAre401OnEveryService() {
    Api api = limited();
    String[][] refused = {
      {"GET", "/compute/v2.1/flavors"},
      {"GET", "/compute/v2.1/servers/detail"},
      {"GET", "/compute/v2.1/servers/"},
      {"POST", "/compute/v2.1/servers"},
      {"GET", "/networking/v2.0/ports"},
      {"DELETE", "/networking/v2.0/networks"},
      {"GET", "/volume/v3/" + tenant.projectId() + "/volumes/detail"},
      {"GET", "/image/v2/images"},
      {"GET", "/heat-api/v1/" + tenant.projectId() + "/stacks/s1"},
      {"PUT", "/object-store/v1/AUTH_" + tenant.projectId() + "/c1"},
      {"GET", "/object-store/v1/AUTH_" + tenant.projectId() + "/c1"},
      {"GET", "/identity/v3/projects"},
      {"POST", "/identity/v3/users/" + tenant.userId() + "/application_credentials"},
      {"GET", "/compute/v2.1/no-such-path"},
    };
    for (String[] call : refused) {
      Api.Response answer = api.send(call[0], call[1], call[0].equals("GET") ? null : "{}");
      assertThat(answer.status()).as(call[0] + " " + call[1] + ": " + answer).isEqualTo(401);
      assertThat(answer.body()).as(call[0] + " " + call[1]).contains("access rules");
    }
    // Nothing was made by the refused calls.
    assertThat(admin.get("/object-store/v1/AUTH_" + tenant.projectId() + "/c1").status()).isEqualTo(404);
  }

  @Test
  void versionDocumentsStillAnswerATokenOutsideItsRules() {
    Api api = limited();
    assertThat(api.get("/compute/").status()).isIn(200, 300);
    assertThat(api.get("/identity/v3").status()).isEqualTo(200);
  }

  @Test
  void tokenStillValidatesForAValidatorThatEnforcesAccessRules() {
    Api.Response issued = login();
    String token = issued.header("X-Subject-Token");
    Api self = kiln.api().withToken(token).withHeader("X-Subject-Token", token);
    JsonNode shown =
        self.withHeader("OpenStack-Identity-Access-Rules", "1.0").get("/identity/v3/auth/tokens").expect(200);
    assertThat(shown.at("/token/application_credential/access_rules")).hasSize(7);
    admin.withHeader("X-Subject-Token", token).withHeader("OpenStack-Identity-Access-Rules", "1")
        .head("/identity/v3/auth/tokens").expect(200);

    // Keystone's guard against old middleware: without the header, no validator sees the token.
    JsonNode notFound = self.get("/identity/v3/auth/tokens").expect(404);
    assertThat(notFound.at("/error/message").asText()).contains("OpenStack-Identity-Access-Rules");
    admin.withHeader("X-Subject-Token", token).withHeader("OpenStack-Identity-Access-Rules", "0.9")
        .get("/identity/v3/auth/tokens").expect(404);
  }

  @Test
  void tokenBoughtWithARestrictedTokenKeepsItsRules() {
    String token = login().header("X-Subject-Token");
    Api.Response again =
        kiln.api()
            .post(
                "/identity/v3/auth/tokens",
                "{\"auth\": {\"identity\": {\"methods\": [\"token\"], \"token\": {\"id\": \"" + token + "\"}}}}");
    JsonNode body = again.expect(201);
    assertThat(body.at("/token/application_credential/access_rules")).hasSize(7);
    Api api = kiln.api().withToken(again.header("X-Subject-Token"));
    api.get("/compute/v2.1/servers").expect(200);
    api.get("/compute/v2.1/flavors").expect(401);
  }

  @Test
  void credentialWithoutRulesIsNotLimited() {
    JsonNode created =
        tenant.api()
            .post(
                "/identity/v3/users/" + tenant.userId() + "/application_credentials",
                "{\"application_credential\": {\"name\": \"open\"}}")
            .expect(201)
            .get("application_credential");
    Api.Response issued =
        kiln.api()
            .post(
                "/identity/v3/auth/tokens",
                """
                {"auth": {"identity": {"methods": ["application_credential"],
                 "application_credential": {"id": "%s", "secret": "%s"}}}}
                """
                    .formatted(created.get("id").asText(), created.get("secret").asText()));
    assertThat(issued.expect(201).at("/token/application_credential").has("access_rules")).isFalse();
    Api api = kiln.api().withToken(issued.header("X-Subject-Token"));
    api.get("/compute/v2.1/flavors").expect(200);
    api.get("/identity/v3/auth/projects").expect(200);
  }

  /**
   * The real {@code openstack} CLI with an application credential in clouds.yaml: the credential is
   * made with the CLI's {@code --access-rules}, the calls its rules allow work, the others fail
   * with 401.
   */
  @Test
  void openstackCliWithARestrictedCredentialInCloudsYaml(@TempDir Path dir) throws Exception {
    OpenStackCli user = tenant.cli(kiln.authUrl());
    JsonNode created =
        user.json(
            "application", "credential", "create", "cli-limited", "--access-rules",
            "[{\"service\": \"compute\", \"method\": \"GET\", \"path\": \"/v2.1/servers/detail\"}]");
    Path cloudsYaml = dir.resolve("clouds.yaml");
    Files.writeString(
        cloudsYaml,
        """
        clouds:
          limited:
            auth_type: v3applicationcredential
            auth:
              auth_url: %s
              application_credential_id: %s
              application_credential_secret: %s
            identity_api_version: 3
            interface: public
        """
            .formatted(kiln.authUrl(), created.get("id").asText(), created.get("secret").asText()));
    OpenStackCli ci = OpenStackCli.withCloud(cloudsYaml, "limited");

    assertThat(ci.ok("token", "issue", "-f", "value", "-c", "id").strip()).isNotEmpty();
    assertThat(ci.ok("server", "list", "-f", "json").strip()).isEqualTo("[]");

    OpenStackCli.Result flavors = ci.run("flavor", "list");
    assertThat(flavors.exitCode()).as(flavors.toString()).isNotZero();
    assertThat(flavors.stderr()).as(flavors.toString()).contains("401");
    OpenStackCli.Result networks = ci.run("network", "list");
    assertThat(networks.exitCode()).as(networks.toString()).isNotZero();
    assertThat(networks.stderr()).as(networks.toString()).contains("401");
  }
}
