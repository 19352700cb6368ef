package dev.kiln.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.KilnExtension;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Keystone's catalog over HTTP: services, endpoints, regions and endpoint groups admins change. */
class CatalogApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String service(String type, String name) {
    return kiln.admin()
        .post("/identity/v3/services", "{\"service\": {\"type\": \"" + type + "\", \"name\": \"" + name + "\"}}")
        .expect(201)
        .at("/service/id")
        .asText();
  }

  private static JsonNode endpoint(String serviceId, String iface, String url, String region) {
    return kiln.admin()
        .post(
            "/identity/v3/endpoints",
            """
            {"endpoint": {"service_id": "%s", "interface": "%s", "url": "%s", "region": "%s", "enabled": true}}
            """
                .formatted(serviceId, iface, url, region))
        .expect(201)
        .get("endpoint");
  }

  @Test
  void serviceIsCreatedUpdatedFilteredByTypeAndDeletedWithItsEndpoints() {
    Api admin = kiln.admin();
    String type = unique("type");
    JsonNode created =
        admin
            .post("/identity/v3/services", "{\"service\": {\"type\": \"" + type + "\", \"name\": \"svc\", \"description\": \"d1\"}}")
            .expect(201)
            .get("service");
    String id = created.get("id").asText();
    assertThat(created.get("enabled").asBoolean()).isTrue();
    assertThat(created.at("/links/self").asText()).endsWith("/identity/v3/services/" + id);

    JsonNode updated = admin.patch("/identity/v3/services/" + id, "{\"service\": {\"description\": \"d2\"}}").expect(200).get("service");
    assertThat(updated.get("description").asText()).isEqualTo("d2");
    assertThat(updated.get("name").asText()).isEqualTo("svc");
    assertThat(admin.get("/identity/v3/services/" + id).expect(200).get("service")).isEqualTo(updated);
    assertThat(admin.get("/identity/v3/services?type=" + type).expect(200).get("services").findValuesAsText("id"))
        .containsExactly(id);

    String endpointId = endpoint(id, "public", "http://example.test/x", unique("r")).get("id").asText();
    admin.delete("/identity/v3/services/" + id).expect(204);
    admin.get("/identity/v3/services/" + id).expect(404);
    assertThat(admin.get("/identity/v3/endpoints/" + endpointId).expect(404).at("/error/title").asText()).isEqualTo("Not Found");
  }

  @Test
  void kilnsOwnServicesAreListedButCannotBeChanged() {
    Api admin = kiln.admin();
    String nova = admin.get("/identity/v3/services?type=compute").expect(200).at("/services/0/id").asText();
    JsonNode refused = admin.patch("/identity/v3/services/" + nova, "{\"service\": {\"enabled\": false}}").expect(403);
    assertThat(refused.at("/error/message").asText()).contains("Kiln serves itself");
    admin.delete("/identity/v3/services/" + nova).expect(403);
  }

  @Test
  void endpointWithAnUnknownRegionCreatesTheRegionAndIsUpdatedAndDeleted() {
    Api admin = kiln.admin();
    String s1 = service(unique("t"), "one");
    String s2 = service(unique("t"), "two");
    String region = unique("region");
    JsonNode e = endpoint(s1, "public", "http://example.test/a", region);
    assertThat(e.get("region").asText()).isEqualTo(region);
    assertThat(e.get("region_id").asText()).isEqualTo(region);
    assertThat(admin.get("/identity/v3/regions/" + region).expect(200).at("/region/id").asText()).isEqualTo(region);
    String id = e.get("id").asText();
    assertThat(admin.get("/identity/v3/endpoints?service_id=" + s1).expect(200).get("endpoints").findValuesAsText("id"))
        .containsExactly(id);

    String region2 = unique("region");
    JsonNode updated =
        admin
            .patch(
                "/identity/v3/endpoints/" + id,
                """
                {"endpoint": {"service_id": "%s", "interface": "internal", "url": "http://example.test/b",
                 "region": "%s", "enabled": false}}
                """
                    .formatted(s2, region2))
            .expect(200)
            .get("endpoint");
    assertThat(updated.get("service_id").asText()).isEqualTo(s2);
    assertThat(updated.get("interface").asText()).isEqualTo("internal");
    assertThat(updated.get("enabled").asBoolean()).isFalse();
    assertThat(admin.get("/identity/v3/endpoints/" + id).expect(200).get("endpoint")).isEqualTo(updated);

    admin.delete("/identity/v3/endpoints/" + id).expect(204);
    assertThat(admin.get("/identity/v3/endpoints").expect(200).get("endpoints").findValuesAsText("id")).doesNotContain(id);
  }

  @Test
  void endpointsRacingToNameOneNewRegionAllSucceedAndMakeItOnce() {
    Api admin = kiln.admin();
    String s = service(unique("t"), "n");
    String region = unique("region");
    java.util.List<Integer> statuses =
        dev.kiln.testing.Race.run(
            8,
            i ->
                admin
                    .post(
                        "/identity/v3/endpoints",
                        "{\"endpoint\": {\"service_id\": \"" + s + "\", \"interface\": \"public\", \"url\": \"http://x/" + i
                            + "\", \"region_id\": \"" + region + "\"}}")
                    .status());
    assertThat(statuses).containsOnly(201);
    assertThat(admin.get("/identity/v3/endpoints?region_id=" + region).expect(200).get("endpoints")).hasSize(8);
    assertThat(admin.get("/identity/v3/regions").expect(200).get("regions").findValuesAsText("id")).containsOnlyOnce(region);
  }

  @Test
  void endpointEnabledMustBeABooleanNotAString() {
    Api admin = kiln.admin();
    String s = service(unique("t"), "n");
    JsonNode bad =
        admin
            .post(
                "/identity/v3/endpoints",
                "{\"endpoint\": {\"service_id\": \"" + s + "\", \"interface\": \"public\", \"url\": \"http://x\", \"enabled\": \"True\"}}")
            .expect(400);
    assertThat(bad.at("/error/message").asText()).contains("enabled");
    String id = endpoint(s, "public", "http://x", unique("r")).get("id").asText();
    admin.patch("/identity/v3/endpoints/" + id, "{\"endpoint\": {\"enabled\": \"False\"}}").expect(400);
    admin
        .post("/identity/v3/endpoints", "{\"endpoint\": {\"service_id\": \"" + s + "\", \"interface\": \"sideways\", \"url\": \"http://x\"}}")
        .expect(400);
    admin
        .post("/identity/v3/endpoints", "{\"endpoint\": {\"service_id\": \"nope\", \"interface\": \"public\", \"url\": \"http://x\"}}")
        .expect(400);
  }

  @Test
  void regionTreeIsKeptWithoutLoopsAndDeletedWithItsChildren() {
    Api admin = kiln.admin();
    String a = admin.post("/identity/v3/regions", "{\"region\": {\"description\": \"a\"}}").expect(201).at("/region/id").asText();
    String b = admin.post("/identity/v3/regions", "{\"region\": {\"description\": \"b\"}}").expect(201).at("/region/id").asText();
    String specific = UUID.randomUUID().toString();
    JsonNode put = admin.put("/identity/v3/regions/" + specific, "{\"region\": {\"description\": \"s\"}}").expect(201).get("region");
    assertThat(put.get("id").asText()).isEqualTo(specific);
    admin.put("/identity/v3/regions/" + specific, "{\"region\": {}}").expect(409);

    JsonNode child =
        admin.post("/identity/v3/regions", "{\"region\": {\"parent_region_id\": \"" + a + "\"}}").expect(201).get("region");
    String c = child.get("id").asText();
    assertThat(admin.get("/identity/v3/regions?parent_region_id=" + a).expect(200).get("regions")).containsExactly(child);
    JsonNode moved =
        admin.patch("/identity/v3/regions/" + c, "{\"region\": {\"description\": \"c\", \"parent_region_id\": \"" + b + "\"}}")
            .expect(200)
            .get("region");
    assertThat(moved.get("parent_region_id").asText()).isEqualTo(b);
    JsonNode loop = admin.patch("/identity/v3/regions/" + b, "{\"region\": {\"parent_region_id\": \"" + c + "\"}}").expect(400);
    assertThat(loop.at("/error/message").asText()).contains("loop");
    admin.post("/identity/v3/regions", "{\"region\": {\"parent_region_id\": \"no-such-region\"}}").expect(404);

    admin.delete("/identity/v3/regions/" + b).expect(204);
    admin.get("/identity/v3/regions/" + c).expect(404);
    admin.delete("/identity/v3/regions/RegionOne").expect(403);
  }

  @Test
  void regionWithEndpointsCannotBeDeleted() {
    Api admin = kiln.admin();
    String region = unique("r");
    String id = endpoint(service(unique("t"), "n"), "admin", "http://x", region).get("id").asText();
    admin.delete("/identity/v3/regions/" + region).expect(403);
    admin.delete("/identity/v3/endpoints/" + id).expect(204);
    admin.delete("/identity/v3/regions/" + region).expect(204);
  }

  @Test
  void tokenCatalogListsEnabledServicesWithTheirEnabledEndpointsAndTheProjectFilledIn() {
    Api admin = kiln.admin();
    String type = unique("t");
    String s = service(type, "mine");
    endpoint(s, "public", "http://example.test/v1/$(project_id)s", "RegionOne");
    JsonNode token = admin.get("/identity/v3/auth/catalog").expect(200);
    JsonNode entry = null;
    for (JsonNode e : token.get("catalog")) {
      if (e.get("type").asText().equals(type)) {
        entry = e;
      }
    }
    assertThat(entry).as("the new service is in the catalog").isNotNull();
    assertThat(entry.at("/endpoints/0/url").asText()).doesNotContain("$(").startsWith("http://example.test/v1/");
    assertThat(entry.at("/endpoints/0/region").asText()).isEqualTo("RegionOne");

    admin.patch("/identity/v3/services/" + s, "{\"service\": {\"enabled\": false}}").expect(200);
    assertThat(admin.get("/identity/v3/auth/catalog").expect(200).get("catalog").findValuesAsText("type")).doesNotContain(type);
  }

  @Test
  void endpointGroupIsCreatedShownCheckedUpdatedAndDeleted() {
    Api admin = kiln.admin();
    String s1 = service(unique("t"), "a");
    String s2 = service(unique("t"), "b");
    JsonNode g =
        admin
            .post(
                "/identity/v3/OS-EP-FILTER/endpoint_groups",
                "{\"endpoint_group\": {\"name\": \"g\", \"description\": \"d\", \"filters\": {\"service_id\": \"" + s1 + "\"}}}")
            .expect(201)
            .get("endpoint_group");
    String id = g.get("id").asText();
    assertThat(admin.get("/identity/v3/OS-EP-FILTER/endpoint_groups").expect(200).get("endpoint_groups")).contains(g);
    assertThat(admin.get("/identity/v3/OS-EP-FILTER/endpoint_groups/" + id).expect(200).get("endpoint_group")).isEqualTo(g);
    admin.head("/identity/v3/OS-EP-FILTER/endpoint_groups/" + id).expect(200);
    JsonNode updated =
        admin
            .patch(
                "/identity/v3/OS-EP-FILTER/endpoint_groups/" + id,
                "{\"endpoint_group\": {\"name\": \"g2\", \"filters\": {\"service_id\": \"" + s2 + "\"}}}")
            .expect(200)
            .get("endpoint_group");
    assertThat(updated.at("/filters/service_id").asText()).isEqualTo(s2);
    assertThat(updated.get("description").asText()).isEqualTo("d");
    admin
        .post("/identity/v3/OS-EP-FILTER/endpoint_groups", "{\"endpoint_group\": {\"name\": \"x\", \"filters\": {\"colour\": \"red\"}}}")
        .expect(400);
    admin.delete("/identity/v3/OS-EP-FILTER/endpoint_groups/" + id).expect(204);
    admin.head("/identity/v3/OS-EP-FILTER/endpoint_groups/" + id).expect(404);
  }
}
