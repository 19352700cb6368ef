package dev.kiln;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.Api;
import dev.kiln.testing.RunningKiln;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every service on the shared port: its version documents, its own fault body for a missing token
 * and an unknown path, microversion negotiation, and the health and metrics endpoints.
 */
class ServiceRootsTest {
  @TempDir static Path dataDir;
  private static RunningKiln kiln;
  private static Api anonymous;
  private static Api admin;

  @BeforeAll
  static void start() {
    kiln = RunningKiln.start(dataDir);
    anonymous = kiln.api();
    admin = anonymous.withToken(anonymous.token("admin", RunningKiln.ADMIN_PASSWORD, "admin"));
  }

  @AfterAll
  static void stop() {
    kiln.close();
  }

  @Test
  void computeVersionDocumentsAdvertiseTheMicroversionRange() {
    Api.Response root = anonymous.get("/compute/");
    assertThat(root.status()).isEqualTo(200);
    // As Nova's: v2.0 (SUPPORTED, no microversions) and v2.1 (CURRENT, with them).
    com.fasterxml.jackson.databind.JsonNode current = null;
    for (com.fasterxml.jackson.databind.JsonNode version : root.json().path("versions")) {
      if (version.path("id").asText().equals("v2.1")) {
        current = version;
      }
    }
    assertThat(current).as("the v2.1 version").isNotNull();
    assertThat(current.path("status").asText()).isEqualTo("CURRENT");
    assertThat(current.path("min_version").asText()).isEqualTo("2.1");
    Api.Response v20 = anonymous.get("/compute/v2/");
    assertThat(v20.status()).as("the v2.0 entry's own link").isEqualTo(200);
    assertThat(v20.json().at("/version/id").asText()).isEqualTo("v2.0");
    Api.Response v21 = anonymous.get("/compute/v2.1");
    assertThat(v21.json().at("/version/links/0/href").asText()).isEqualTo(kiln.baseUrl() + "/compute/v2.1/");
  }

  @Test
  void volumeEndpointParentAnswersVersionsForCinderclient() {
    Api.Response root = anonymous.get("/volume/");
    assertThat(root.status()).isEqualTo(300);
    assertThat(root.json().at("/versions/0/id").asText()).isEqualTo("v3.0");
    assertThat(root.json().at("/versions/0/version").asText()).isNotBlank();
    assertThat(root.json().at("/versions/0/min_version").asText()).isEqualTo("3.0");
  }

  @Test
  void networkImageAndOrchestrationRootsListTheirVersion() {
    assertThat(anonymous.get("/networking/").json().at("/versions/0/id").asText()).isEqualTo("v2.0");
    assertThat(anonymous.get("/image/").json().at("/versions/0/id").asText()).isEqualTo("v2.0");
    assertThat(anonymous.get("/heat-api/").json().at("/versions/0/id").asText()).isEqualTo("v1.0");
  }

  @Test
  void missingTokenGets401InEachServicesOwnFaultBody() {
    Api.Response nova = anonymous.get("/compute/v2.1/servers");
    assertThat(nova.status()).isEqualTo(401);
    assertThat(nova.json().at("/unauthorized/code").asInt()).isEqualTo(401);
    assertThat(nova.header("WWW-Authenticate")).contains(kiln.baseUrl() + "/identity");

    Api.Response neutron = anonymous.get("/networking/v2.0/networks");
    assertThat(neutron.status()).isEqualTo(401);
    assertThat(neutron.json().at("/NeutronError/type").asText()).isEqualTo("NotAuthenticated");

    Api.Response cinder = anonymous.get("/volume/v3/some-project/volumes");
    assertThat(cinder.status()).isEqualTo(401);
    assertThat(cinder.json().at("/unauthorized/message").asText()).contains("X-Auth-Token");

    Api.Response glance = anonymous.get("/image/v2/images");
    assertThat(glance.status()).isEqualTo(401);
    assertThat(glance.json().get("code").asText()).isEqualTo("401 Unauthorized");

    Api.Response heat = anonymous.get("/heat-api/v1/some-project/stacks");
    assertThat(heat.status()).isEqualTo(401);
    assertThat(heat.json().get("title").asText()).isEqualTo("Unauthorized");
    assertThat(heat.json().at("/error/type").asText()).isEqualTo("NotAuthenticated");

    Api.Response keystone = anonymous.get("/identity/v3/users");
    assertThat(keystone.status()).isEqualTo(401);
    assertThat(keystone.json().at("/error/title").asText()).isEqualTo("Unauthorized");
  }

  @Test
  void unknownPathGets404InTheServicesFaultBody() {
    Api.Response nova = admin.get("/compute/v2.1/no-such-thing");
    assertThat(nova.status()).isEqualTo(404);
    assertThat(nova.json().at("/itemNotFound/code").asInt()).isEqualTo(404);
    Api.Response neutron = admin.get("/networking/v2.0/no-such-thing");
    assertThat(neutron.json().at("/NeutronError/message").asText()).isNotBlank();
    assertThat(admin.get("/identity/v3/no-such-thing").json().at("/error/code").asInt()).isEqualTo(404);
  }

  @Test
  void nonAdminGets403ForAdminOperations() {
    admin.post("/identity/v3/users", "{\"user\": {\"name\": \"plain\", \"password\": \"pw\"}}");
    String userId = admin.get("/identity/v3/users?name=plain").json().at("/users/0/id").asText();
    String projectId = admin.get("/identity/v3/projects?name=admin").json().at("/projects/0/id").asText();
    String member = admin.get("/identity/v3/roles?name=member").json().at("/roles/0/id").asText();
    admin.put("/identity/v3/projects/" + projectId + "/users/" + userId + "/roles/" + member, null);
    Api plain = anonymous.withToken(anonymous.token("plain", "pw", "admin"));
    Api.Response r = plain.post("/identity/v3/projects", "{\"project\": {\"name\": \"mine\"}}");
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.json().at("/error/message").asText()).contains("admin role");
    assertThat(admin.get("/identity/v3/projects?name=mine").json().get("projects")).isEmpty();
  }

  @Test
  void microversionOutsideTheRangeIs406AndTheAnswerNamesTheVersion() {
    Api.Response tooNew =
        admin.withHeader("OpenStack-API-Version", "compute 9.99").get("/compute/v2.1/servers");
    assertThat(tooNew.status()).isEqualTo(406);
    assertThat(tooNew.json().at("/notAcceptable/message").asText()).contains("Minimum is 2.1");
    Api.Response legacy =
        admin.withHeader("X-OpenStack-Nova-API-Version", "latest").get("/compute/v2.1/servers");
    assertThat(legacy.header("OpenStack-API-Version")).startsWith("compute 2.");
    Api.Response malformed =
        admin.withHeader("OpenStack-API-Version", "volume 3.x").get("/volume/v3/any/volumes");
    assertThat(malformed.status()).isEqualTo(400);
    Api.Response discovery = anonymous.withHeader("OpenStack-API-Version", "volume 3.99").get("/volume/");
    assertThat(discovery.status()).as("version discovery answers any requested version").isEqualTo(300);
  }

  @Test
  void healthAndMetricsAnswer() {
    assertThat(anonymous.get("/healthz").body()).isEqualTo("ok");
    anonymous.get("/identity/v3");
    String metrics = anonymous.get("/metrics").body();
    assertThat(metrics).contains("kiln_http_server_requests_seconds_count{");
    assertThat(metrics).contains("route=\"/identity/v3\"").contains("service=\"identity\"");
  }
}
