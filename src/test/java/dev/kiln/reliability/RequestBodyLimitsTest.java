package dev.kiln.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Tenant;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the fuzz harness found, one regression each: bodies that are not JSON, too big, or carry
 * fields longer than the service's schema allows, get the service's 4xx naming what is wrong.
 */
class RequestBodyLimitsTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static Tenant admin;
  private static String cinder;

  @BeforeAll
  static void setUp() {
    admin = Tenant.admin(kiln);
    cinder = admin.cinder();
  }

  @Test
  void aBodyThatIsNotJsonIs415InNovaCinderAndNeutronAnd400InKeystone() throws Exception {
    HttpResponse<String> neutron = raw("POST", "/networking/v2.0/networks", "text/plain", "{\"network\": {}}");
    assertThat(neutron.statusCode()).isEqualTo(415);
    assertThat(neutron.body()).contains("NeutronError", "Unsupported Content-Type 'text/plain'");
    HttpResponse<String> cinderAnswer = raw("POST", cinder + "/volumes", "text/plain", "{\"volume\": {\"size\": 1}}");
    assertThat(cinderAnswer.statusCode()).isEqualTo(415);
    assertThat(cinderAnswer.body()).contains("badMediaType");
    HttpResponse<String> keystone = raw("POST", "/identity/v3/projects", "text/plain", "{\"project\": {\"name\": \"x\"}}");
    assertThat(keystone.statusCode()).isEqualTo(400);
    assertThat(keystone.body()).contains("Expecting to find application/json in Content-Type header");
    assertThat(admin.api().get("/identity/v3/projects?name=x").expect(200).get("projects")).isEmpty();
  }

  @Test
  void aJsonBodyOverOsloCapIs413AndImageDataIsNotCapped() throws Exception {
    String big = "{\"network\": {\"name\": \"n\", \"description\": \"" + "d".repeat(120_000) + "\"}}";
    HttpResponse<String> answer = raw("POST", "/networking/v2.0/networks", "application/json", big);
    assertThat(answer.statusCode()).isEqualTo(413);
    assertThat(answer.body()).contains("114688");

    Api api = admin.api();
    String image = api.post("/image/v2/images", "{\"name\": \"big\", \"disk_format\": \"raw\", \"container_format\": \"bare\"}")
        .expect(201).get("id").asText();
    HttpResponse<String> upload = raw("PUT", "/image/v2/images/" + image + "/file", "application/octet-stream", "x".repeat(300_000));
    assertThat(upload.statusCode()).isEqualTo(204);
    assertThat(api.get("/image/v2/images/" + image).expect(200).get("size").asLong()).isEqualTo(300_000);
  }

  @Test
  void aBodyWithoutContentLengthIsReadUpToTheCap() throws Exception {
    HttpResponse<String> small = chunked("/networking/v2.0/networks", "{\"network\": {\"name\": \"chunked\"}}");
    assertThat(small.statusCode()).isEqualTo(201);
    assertThat(small.body()).contains("\"name\":\"chunked\"");

    String big = "{\"network\": {\"name\": \"too-big\", \"description\": \"" + "d".repeat(120_000) + "\"}}";
    HttpResponse<String> answer = chunked("/networking/v2.0/networks", big);
    assertThat(answer.statusCode()).isEqualTo(413);
    assertThat(answer.body()).contains("114688");
    assertThat(admin.api().get("/networking/v2.0/networks?name=too-big").expect(200).get("networks")).isEmpty();
  }

  @Test
  void volumeNamesAndDescriptionsAreHeldToCindersSchema() {
    Api api = admin.api();
    JsonNode tooLong = api.post(cinder + "/volumes", "{\"volume\": {\"size\": 1, \"name\": \"" + "n".repeat(256) + "\"}}").expect(400);
    assertThat(tooLong.at("/badRequest/message").asText()).contains("'volume/name'", "limit of 255");
    String volume = Cloud.availableVolume(api, cinder, "limits");
    JsonNode update = api.put(cinder + "/volumes/" + volume, "{\"volume\": {\"description\": \"" + "d".repeat(256) + "\"}}").expect(400);
    assertThat(update.at("/badRequest/message").asText()).contains("'volume/description'", "255");
    assertThat(api.get(cinder + "/volumes/" + volume).expect(200).at("/volume/description").isNull()).isTrue();
  }

  @Test
  void unpairedSurrogatesAndBadUuidsAreRefused() {
    Api api = admin.api();
    JsonNode surrogate = api.post(cinder + "/volumes", "{\"volume\": {\"size\": 1, \"name\": \"a\\ud800b\"}}").expect(400);
    assertThat(surrogate.at("/badRequest/message").asText()).contains("'volume/name'", "surrogate");
    String volume = Cloud.availableVolume(api, cinder, "uuids");
    JsonNode badUuid =
        api.withHeader("OpenStack-API-Version", "volume 3.27")
            .post(cinder + "/attachments", "{\"attachment\": {\"volume_uuid\": \"" + volume + "\", \"instance_uuid\": \"not-a-uuid\"}}")
            .expect(400);
    assertThat(badUuid.at("/badRequest/message").asText()).contains("'attachment/instance_uuid'", "not a valid UUID");
    JsonNode longHost =
        api.withHeader("OpenStack-API-Version", "volume 3.27")
            .post(cinder + "/attachments", "{\"attachment\": {\"volume_uuid\": \"" + volume
                + "\", \"instance_uuid\": \"9f3b7f2e-2c53-4a57-9bb2-0a4f5b8c8f11\", \"connector\": {\"host\": \"" + "h".repeat(256) + "\"}}}")
            .expect(400);
    assertThat(longHost.at("/badRequest/message").asText()).contains("'attachment/connector/host'", "255");
    assertThat(Cloud.volumeStatus(api, cinder, volume)).isEqualTo("available");
  }

  /** A POST whose body has no declared length: the JDK client sends it in chunks. */
  private static HttpResponse<String> chunked(String path, String body) throws Exception {
    byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(kiln.baseUrl() + path))
            .header("X-Auth-Token", admin.token())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> raw(String method, String path, String contentType, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(kiln.baseUrl() + path))
            .header("X-Auth-Token", admin.token())
            .header("Content-Type", contentType)
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
