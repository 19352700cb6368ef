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
 * OS-OAUTH1 delegation end to end through Debian's real clients: the {@code openstack} CLI's
 * {@code request token create}, {@code request token authorize} and {@code access token create}
 * (python-keystoneclient signing with oauthlib, HMAC-SHA1), then keystoneauth's {@code v3oauth1}
 * plugin from a clouds.yaml getting Keystone tokens with the access token.
 */
class OAuth1DelegationTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();

  private static Api admin;
  private static Tenant tenant;
  private static OpenStackCli user;
  private static String consumerKey;
  private static String consumerSecret;
  private static String readerRoleId;

  @BeforeAll
  static void consumerAndUser() {
    admin = kiln.admin();
    tenant = Tenant.create(kiln, admin, "oauth-project", "oauth-user");
    user = tenant.cli(kiln.authUrl());
    JsonNode consumer = kiln.adminCli().json("consumer", "create", "--description", "a photo printer");
    consumerKey = consumer.get("id").asText();
    consumerSecret = consumer.get("secret").asText();
    readerRoleId = admin.get("/identity/v3/roles?name=reader").expect(200).at("/roles/0/id").asText();
  }

  /** The whole dance: request token, authorization by the user, access token. */
  private static JsonNode accessToken(String role) {
    return accessToken(consumerKey, consumerSecret, role);
  }

  private static JsonNode accessToken(String consumerKey, String consumerSecret, String role) {
    JsonNode request =
        user.json("request", "token", "create", "--consumer-key", consumerKey, "--consumer-secret", consumerSecret,
            "--project", tenant.projectId());
    String requestKey = request.get("key").asText();
    assertThat(request.get("secret").asText()).hasSize(32);
    assertThat(request.get("expires").asText()).endsWith("Z");
    String pin = authorize(requestKey, role).expect(200).at("/token/oauth_verifier").asText();
    assertThat(pin).hasSize(8);
    return user.json("access", "token", "create", "--consumer-key", consumerKey, "--consumer-secret", consumerSecret,
        "--request-key", requestKey, "--request-secret", request.get("secret").asText(), "--verifier", pin);
  }

  /**
   * The user authorizes a request token with one role, by name, over HTTP: Keystone's policy (and
   * Kiln's) lets only admins look roles up, which {@code openstack request token authorize} does.
   */
  private static Api.Response authorize(String requestKey, String role) {
    String roleId = admin.get("/identity/v3/roles?name=" + role).expect(200).at("/roles/0/id").asText();
    return tenant.api().put("/identity/v3/OS-OAUTH1/authorize/" + requestKey,
        "{\"roles\": [{\"id\": \"" + roleId + "\"}]}");
  }

  private static OpenStackCli asConsumer(Path dir, JsonNode access) throws Exception {
    return asConsumer(dir, consumerKey, consumerSecret, access);
  }

  private static OpenStackCli asConsumer(Path dir, String consumerKey, String consumerSecret, JsonNode access)
      throws Exception {
    Path cloudsYaml = dir.resolve("clouds.yaml");
    Files.writeString(
        cloudsYaml,
        """
        clouds:
          printer:
            auth_type: v3oauth1
            auth:
              auth_url: %s
              consumer_key: %s
              consumer_secret: %s
              access_key: %s
              access_secret: %s
            identity_api_version: 3
            interface: public
        """
            .formatted(kiln.authUrl(), consumerKey, consumerSecret, access.get("key").asText(),
                access.get("secret").asText()));
    return OpenStackCli.withCloud(cloudsYaml, "printer");
  }

  @Test
  void consumerActsForTheUserWithOnlyTheRolesTheUserAuthorized(@TempDir Path dir) throws Exception {
    JsonNode access = accessToken("reader");
    String accessKey = access.get("key").asText();
    OpenStackCli printer = asConsumer(dir, access);

    JsonNode issued = printer.json("token", "issue");
    assertThat(issued.get("user_id").asText()).isEqualTo(tenant.userId());
    assertThat(issued.get("project_id").asText()).isEqualTo(tenant.projectId());
    assertThat(printer.ok("server", "list", "-f", "json").strip()).isEqualTo("[]");

    String token = issued.get("id").asText();
    JsonNode body =
        admin.withHeader("X-Subject-Token", token).get("/identity/v3/auth/tokens").expect(200).get("token");
    assertThat(body.get("methods").get(0).asText()).isEqualTo("oauth1");
    assertThat(body.at("/OS-OAUTH1/access_token_id").asText()).isEqualTo(accessKey);
    assertThat(body.at("/OS-OAUTH1/consumer_id").asText()).isEqualTo(consumerKey);
    // member was held but not authorized: only reader.
    assertThat(body.get("roles").findValuesAsText("name")).containsExactly("reader");

    // The user sees the access token and its roles, never its secret.
    String tokens = "/identity/v3/users/" + tenant.userId() + "/OS-OAUTH1/access_tokens";
    JsonNode listed = tenant.api().get(tokens).expect(200).get("access_tokens");
    assertThat(listed.findValuesAsText("id")).contains(accessKey);
    JsonNode shown = tenant.api().get(tokens + "/" + accessKey).expect(200).get("access_token");
    assertThat(shown.get("consumer_id").asText()).isEqualTo(consumerKey);
    assertThat(shown.get("project_id").asText()).isEqualTo(tenant.projectId());
    assertThat(shown.get("authorizing_user_id").asText()).isEqualTo(tenant.userId());
    assertThat(shown.has("access_secret")).isFalse();
    assertThat(shown.toString()).doesNotContain(access.get("secret").asText());
    assertThat(shown.at("/links/roles").asText()).endsWith(tokens + "/" + accessKey + "/roles");
    assertThat(tenant.api().get(tokens + "/" + accessKey + "/roles").expect(200).get("roles")
        .findValuesAsText("id")).containsExactly(readerRoleId);
    tenant.api().get(tokens + "/" + accessKey + "/roles/" + readerRoleId).expect(200);
    tenant.api().get(tokens + "/" + accessKey + "/roles/" + Tenant.memberRole(admin)).expect(404);
  }

  @Test
  void oauthTokenCannotBuyAnotherTokenNorDelegateFurther(@TempDir Path dir) throws Exception {
    OpenStackCli printer = asConsumer(dir, accessToken("member"));
    String token = printer.json("token", "issue").get("id").asText();
    Api api = kiln.api().withToken(token);
    api.post("/identity/v3/auth/tokens",
            "{\"auth\": {\"identity\": {\"methods\": [\"token\"], \"token\": {\"id\": \"" + token + "\"}}}}")
        .expect(403);
    api.post("/identity/v3/OS-TRUST/trusts",
            """
            {"trust": {"trustor_user_id": "%s", "trustee_user_id": "%s", "project_id": "%s",
             "roles": [{"name": "member"}], "impersonation": false}}
            """.formatted(tenant.userId(), tenant.userId(), tenant.projectId()))
        .expect(403);
    api.post("/identity/v3/users/" + tenant.userId() + "/application_credentials",
            "{\"application_credential\": {\"name\": \"from-oauth\"}}")
        .expect(403);
    api.get("/identity/v3/users/" + tenant.userId() + "/OS-OAUTH1/access_tokens").expect(403);
    String requestKey =
        user.json("request", "token", "create", "--consumer-key", consumerKey, "--consumer-secret", consumerSecret,
            "--project", tenant.projectId()).get("key").asText();
    api.put("/identity/v3/OS-OAUTH1/authorize/" + requestKey, "{\"roles\": []}").expect(403);
  }

  @Test
  void deletingTheAccessTokenRevokesItsTokens(@TempDir Path dir) throws Exception {
    JsonNode access = accessToken("member");
    OpenStackCli printer = asConsumer(dir, access);
    String token = printer.json("token", "issue").get("id").asText();
    Api api = kiln.api().withToken(token);
    api.get("/compute/v2.1/servers").expect(200);

    String path = "/identity/v3/users/" + tenant.userId() + "/OS-OAUTH1/access_tokens/" + access.get("key").asText();
    tenant.api().delete(path).expect(204);

    api.get("/compute/v2.1/servers").expect(401);
    tenant.api().get(path).expect(404);
    OpenStackCli.Result refused = printer.run("token", "issue");
    assertThat(refused.exitCode()).as(refused.toString()).isNotZero();
    assertThat(refused.stderr()).as(refused.toString()).contains("404");
  }

  @Test
  void wrongSecretsAndVerifiersAreRefused() {
    OpenStackCli.Result badSignature =
        user.run("request", "token", "create", "--consumer-key", consumerKey, "--consumer-secret", "not-the-secret",
            "--project", tenant.projectId());
    assertThat(badSignature.exitCode()).as(badSignature.toString()).isNotZero();
    assertThat(badSignature.stderr()).as(badSignature.toString()).contains("401");

    JsonNode request =
        user.json("request", "token", "create", "--consumer-key", consumerKey, "--consumer-secret", consumerSecret,
            "--project", tenant.projectId());
    String requestKey = request.get("key").asText();
    // Not yet authorized: no access token.
    OpenStackCli.Result early =
        user.run("access", "token", "create", "--consumer-key", consumerKey, "--consumer-secret", consumerSecret,
            "--request-key", requestKey, "--request-secret", request.get("secret").asText(), "--verifier", "abcdefgh");
    assertThat(early.exitCode()).as(early.toString()).isNotZero();
    assertThat(early.stderr()).as(early.toString()).contains("401");
    // A role the user does not hold cannot be authorized.
    authorize(requestKey, "admin").expect(401);
    String pin = authorize(requestKey, "member").expect(200).at("/token/oauth_verifier").asText();
    OpenStackCli.Result wrongPin =
        user.run("access", "token", "create", "--consumer-key", consumerKey, "--consumer-secret", consumerSecret,
            "--request-key", requestKey, "--request-secret", request.get("secret").asText(), "--verifier",
            pin.equals("abcdefgh") ? "bcdefghk" : "abcdefgh");
    assertThat(wrongPin.exitCode()).as(wrongPin.toString()).isNotZero();
    assertThat(wrongPin.stderr()).as(wrongPin.toString()).contains("401");
    OpenStackCli.Result wrongSecret =
        user.run("access", "token", "create", "--consumer-key", consumerKey, "--consumer-secret", consumerSecret,
            "--request-key", requestKey, "--request-secret", "0".repeat(32), "--verifier", pin);
    assertThat(wrongSecret.exitCode()).as(wrongSecret.toString()).isNotZero();
    assertThat(wrongSecret.stderr()).as(wrongSecret.toString()).contains("401");

    // The right one works once: the request token is used up.
    user.json("access", "token", "create", "--consumer-key", consumerKey, "--consumer-secret", consumerSecret,
        "--request-key", requestKey, "--request-secret", request.get("secret").asText(), "--verifier", pin);
    OpenStackCli.Result again =
        user.run("access", "token", "create", "--consumer-key", consumerKey, "--consumer-secret", consumerSecret,
            "--request-key", requestKey, "--request-secret", request.get("secret").asText(), "--verifier", pin);
    assertThat(again.exitCode()).as(again.toString()).isNotZero();
    assertThat(again.stderr()).as(again.toString()).contains("404");
  }

  @Test
  void unsignedRequestsAre400() {
    JsonNode error = kiln.api().post("/identity/v3/OS-OAUTH1/request_token", null).expect(400);
    assertThat(error.at("/error/message").asText()).contains("Authorization");
    kiln.api().withHeader("Authorization", "OAuth oauth_consumer_key=\"" + consumerKey + "\"")
        .post("/identity/v3/OS-OAUTH1/access_token", null).expect(400);
  }

  @Test
  void deletingTheConsumerRevokesTheTokensOfItsAccessTokens(@TempDir Path dir) throws Exception {
    JsonNode consumer = kiln.adminCli().json("consumer", "create", "--description", "short-lived");
    String key = consumer.get("id").asText();
    String secret = consumer.get("secret").asText();
    JsonNode access = accessToken(key, secret, "member");
    String token = asConsumer(dir, key, secret, access).json("token", "issue").get("id").asText();
    Api api = kiln.api().withToken(token);
    api.get("/compute/v2.1/servers").expect(200);

    kiln.adminCli().ok("consumer", "delete", key);

    api.get("/compute/v2.1/servers").expect(401);
    tenant.api()
        .get("/identity/v3/users/" + tenant.userId() + "/OS-OAUTH1/access_tokens/" + access.get("key").asText())
        .expect(404);
  }

  /** An {@code Authorization: OAuth ...} header for a POST to {@code path}, signed with HMAC-SHA1. */
  private static String signed(String path, java.util.Map<String, String> extra, String tokenSecret, long timestamp) {
    java.util.Map<String, String> oauth = new java.util.LinkedHashMap<>();
    oauth.put("oauth_consumer_key", consumerKey);
    oauth.put("oauth_nonce", java.util.UUID.randomUUID().toString().replace("-", ""));
    oauth.put("oauth_timestamp", Long.toString(timestamp));
    oauth.put("oauth_signature_method", "HMAC-SHA1");
    oauth.put("oauth_version", "1.0");
    oauth.putAll(extra);
    String base = OAuthSignatures.baseString(
        new OAuthSignatures.SignedRequest("POST", kiln.baseUrl() + path, java.util.List.of(), oauth));
    oauth.put("oauth_signature", OAuthSignatures.sign("HmacSHA1", base, consumerSecret, tokenSecret));
    StringBuilder header = new StringBuilder("OAuth ");
    oauth.forEach((k, v) -> header.append(header.length() > 6 ? ", " : "").append(k).append("=\"")
        .append(OAuthSignatures.encode(v)).append('"'));
    return header.toString();
  }

  private static java.util.Map<String, String> form(String body) {
    java.util.Map<String, String> values = new java.util.HashMap<>();
    OAuthSignatures.parseForm(body).forEach(p -> values.put(p.name(), p.value()));
    return values;
  }

  @Test
  void racingTradesOfOneRequestTokenGetOneAccessToken() {
    String requestPath = "/identity/v3/OS-OAUTH1/request_token";
    long now = java.time.Instant.now().getEpochSecond();
    Api.Response issued = kiln.api()
        .withHeader("Requested-Project-Id", tenant.projectId())
        .withHeader("Authorization", signed(requestPath, java.util.Map.of("oauth_callback", "oob"), null, now))
        .post(requestPath, null);
    assertThat(issued.status()).as(issued.toString()).isEqualTo(201);
    assertThat(issued.header("Content-Type")).startsWith("application/x-www-form-urlencoded");
    java.util.Map<String, String> request = form(issued.body());
    String pin = authorize(request.get("oauth_token"), "member").expect(200).at("/token/oauth_verifier").asText();

    String accessPath = "/identity/v3/OS-OAUTH1/access_token";
    java.util.List<Api.Response> answers = dev.kiln.testing.Race.run(4, n -> kiln.api()
        .withHeader("Authorization", signed(accessPath,
            java.util.Map.of("oauth_token", request.get("oauth_token"), "oauth_verifier", pin),
            request.get("oauth_token_secret"), now))
        .post(accessPath, null));
    assertThat(answers.stream().filter(a -> a.status() == 201)).as(answers.toString()).hasSize(1);
    assertThat(answers.stream().filter(a -> a.status() != 201).map(Api.Response::status))
        .allMatch(status -> status == 401 || status == 404);
    String accessKey = form(answers.stream().filter(a -> a.status() == 201).findFirst().orElseThrow().body())
        .get("oauth_token");
    assertThat(tenant.api().get("/identity/v3/users/" + tenant.userId() + "/OS-OAUTH1/access_tokens").expect(200)
        .get("access_tokens").findValuesAsText("id")).contains(accessKey);
  }

  @Test
  void requestSignedLongAgoIsRefused() {
    String requestPath = "/identity/v3/OS-OAUTH1/request_token";
    long twentyMinutesAgo = java.time.Instant.now().getEpochSecond() - 1200;
    JsonNode refused = kiln.api()
        .withHeader("Requested-Project-Id", tenant.projectId())
        .withHeader("Authorization", signed(requestPath, java.util.Map.of("oauth_callback", "oob"), null, twentyMinutesAgo))
        .post(requestPath, null)
        .expect(400);
    assertThat(refused.at("/error/message").asText()).contains("oauth_timestamp");
  }
}
