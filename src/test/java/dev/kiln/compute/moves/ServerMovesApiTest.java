package dev.kiln.compute.moves;

import static dev.kiln.testing.Cloud.NET;
import static dev.kiln.testing.Cloud.NOVA;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Race;
import dev.kiln.testing.Tenant;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Rebuild, resize with confirm and revert, cold migration and os-migrations over HTTP, with the
 * claims they hold checked through os-hypervisors.
 */
class ServerMovesApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static Api member;
  private static String imageId;
  private static String otherImageId;
  private static String networkId;

  @BeforeAll
  static void start() throws Exception {
    admin = kiln.admin();
    Tenant tenant = Tenant.create(kiln, admin, "movers", "mover");
    String memberToken = tenant.token();
    member = tenant.api();
    imageId = Cloud.cirros(member);
    otherImageId =
        member.post(
            "/image/v2/images", "{\"name\": \"other-os\", \"disk_format\": \"qcow2\", \"container_format\": \"bare\"}").expect(201)
            .get("id").asText();
    HttpResponse<String> upload =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(kiln.baseUrl() + "/image/v2/images/" + otherImageId + "/file"))
                    .header("X-Auth-Token", memberToken)
                    .header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3, 4}))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(upload.statusCode()).as(upload.body()).isEqualTo(204);
    networkId = Cloud.network(member, "movenet", "10.7.0.0/24");
  }

  // Rebuild

  @Test
  void rebuildKeepsIdPortAndAddressesAndChangesTheImage() {
    String id = boot("rebuilt", "1");
    JsonNode before = waitFor(id, "ACTIVE");
    String port = onlyPort(id);
    Api v219 = member.withHeader("OpenStack-API-Version", "compute 2.19");
    Api.Response r =
        act(v219, id,
            "{\"rebuild\": {\"imageRef\": \"" + otherImageId + "\", \"name\": \"reborn\", \"metadata\": {\"role\": \"db\"},"
                + " \"description\": \"second life\", \"adminPass\": \"s3cret\"}}");
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
    JsonNode answered = r.json().get("server");
    assertThat(answered.get("id").asText()).isEqualTo(id);
    assertThat(answered.get("status").asText()).isEqualTo("REBUILD");
    // Before 2.75 Nova's rebuild answer leaves out the extension attributes (task state and others).
    assertThat(answered.has("OS-EXT-STS:task_state")).isFalse();
    assertThat(answered.get("adminPass").asText()).isEqualTo("s3cret");
    assertThat(answered.at("/image/id").asText()).isEqualTo(otherImageId);

    JsonNode after = waitFor(id, "ACTIVE");
    assertThat(after.at("/image/id").asText()).isEqualTo(otherImageId);
    assertThat(after.get("name").asText()).isEqualTo("reborn");
    assertThat(after.at("/metadata/role").asText()).isEqualTo("db");
    assertThat(after.get("addresses")).isEqualTo(before.get("addresses"));
    assertThat(after.get("OS-EXT-SRV-ATTR:host")).isEqualTo(before.get("OS-EXT-SRV-ATTR:host"));
    assertThat(onlyPort(id)).isEqualTo(port);
    assertThat(v219.get(NOVA + "/servers/" + id).expect(200).at("/server/description").asText()).isEqualTo("second life");
    assertThat(actionNames(id)).contains("rebuild");
    // Without an adminPass, Nova makes one up.
    r = act(member, id, "{\"rebuild\": {\"imageRef\": \"" + imageId + "\"}}");
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
    assertThat(r.json().at("/server/adminPass").asText()).isNotEmpty();
    waitFor(id, "ACTIVE");
    deleteAndWait(id);
  }

  @Test
  void rebuildingAStoppedServerLeavesItStoppedAndAFailedRebuildIsAnError() {
    String id = boot("stopped-rebuild", "1");
    waitFor(id, "ACTIVE");
    accepted(member, id, "{\"os-stop\": null}");
    waitFor(id, "SHUTOFF");
    assertThat(act(member, id, "{\"rebuild\": {\"imageRef\": \"" + imageId + "\"}}").status()).isEqualTo(202);
    JsonNode server = waitFor(id, "SHUTOFF");
    assertThat(server.get("OS-EXT-STS:vm_state").asText()).isEqualTo("stopped");

    admin.put(NOVA + "/os-kiln-faults/rebuild", "{\"kiln_fault\": {\"fail_next\": 1}}").expect(200);
    try {
      assertThat(act(member, id, "{\"rebuild\": {\"imageRef\": \"" + imageId + "\"}}").status()).isEqualTo(202);
      server = waitFor(id, "ERROR");
      assertThat(server.at("/fault/message").asText()).contains("Simulated failure of rebuild");
    } finally {
      admin.delete(NOVA + "/os-kiln-faults/rebuild").expect(204);
    }
    // An ERROR server may be rebuilt, and comes back ACTIVE without its fault.
    assertThat(act(member, id, "{\"rebuild\": {\"imageRef\": \"" + imageId + "\"}}").status()).isEqualTo(202);
    server = waitFor(id, "ACTIVE");
    assertThat(server.has("fault")).isFalse();
    deleteAndWait(id);
  }

  @Test
  void badRebuildsAreRefusedAndChangeNothing() {
    String id = boot("bad-rebuild", "1");
    waitFor(id, "ACTIVE");
    String missing = "00000000-0000-0000-0000-000000000000";
    fault(act(member, id, "{\"rebuild\": {\"imageRef\": \"" + missing + "\"}}"), 400, "Cannot find image for rebuild");
    fault(act(member, id, "{\"rebuild\": {}}"), 400, null);
    fault(act(member, id, "{\"rebuild\": {\"imageRef\": \"" + imageId + "\", \"key_name\": \"k\"}}"), 400, null); // before 2.54
    fault(
        act(member.withHeader("OpenStack-API-Version", "compute 2.54"), id,
            "{\"rebuild\": {\"imageRef\": \"" + imageId + "\", \"key_name\": \"nope\"}}"),
        400, "Invalid key_name provided.");
    accepted(member, id, "{\"pause\": null}");
    waitFor(id, "PAUSED");
    fault(
        act(member, id, "{\"rebuild\": {\"imageRef\": \"" + imageId + "\"}}"), 409,
        "Cannot 'rebuild' instance " + id + " while it is in vm_state paused");
    assertThat(member.get(NOVA + "/servers/" + id).expect(200).at("/server/image/id").asText()).isEqualTo(imageId);
    deleteAndWait(id);
  }

  // Resize

  @Test
  void resizeThenConfirmChangesTheFlavorAndFreesTheSourceHost() {
    Map<String, String> baseline = usage();
    String id = boot("grower", "1");
    JsonNode before = waitFor(id, "ACTIVE");
    String source = before.get("OS-EXT-SRV-ATTR:host").asText();
    String port = onlyPort(id);
    Map<String, String> booted = usage();

    accepted(member, id, "{\"resize\": {\"flavorRef\": \"2\"}}");
    JsonNode resized = waitFor(id, "VERIFY_RESIZE");
    String destination = resized.get("OS-EXT-SRV-ATTR:host").asText();
    assertThat(destination).isNotEqualTo(source); // other hosts are preferred
    assertThat(resized.get("OS-EXT-STS:vm_state").asText()).isEqualTo("resized");
    assertThat(resized.at("/flavor/id").asText()).isEqualTo("2");
    assertThat(resized.get("addresses")).isEqualTo(before.get("addresses"));
    assertThat(bindingHost(port)).isEqualTo(destination);
    // Both hosts hold room for the server until the resize is confirmed.
    Map<String, String> during = usage();
    assertThat(during.get(source)).isEqualTo(booted.get(source));
    assertThat(during.get(destination)).isEqualTo(plus(booted.get(destination), 1, 2048, 20));

    Api.Response confirmed = act(member, id, "{\"confirmResize\": null}");
    assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(204);
    JsonNode after = waitFor(id, "ACTIVE");
    assertThat(after.get("OS-EXT-SRV-ATTR:host").asText()).isEqualTo(destination);
    assertThat(after.at("/flavor/id").asText()).isEqualTo("2");
    Map<String, String> settled = usage();
    assertThat(settled.get(source)).isEqualTo(baseline.get(source));
    assertThat(settled.get(destination)).isEqualTo(during.get(destination));
    assertThat(actionNames(id)).contains("resize", "confirmResize");

    JsonNode migration = migrationsOf(admin.withHeader("OpenStack-API-Version", "compute 2.59"), id).get(0);
    assertThat(migration.get("status").asText()).isEqualTo("confirmed");
    assertThat(migration.get("migration_type").asText()).isEqualTo("resize");
    assertThat(migration.get("source_compute").asText()).isEqualTo(source);
    assertThat(migration.get("dest_compute").asText()).isEqualTo(destination);
    assertThat(migration.get("uuid").asText()).isNotEmpty();
    assertThat(migration.get("old_instance_type_id").asInt()).isNotEqualTo(migration.get("new_instance_type_id").asInt());
    deleteAndWait(id);
    assertThat(usage()).isEqualTo(baseline);
  }

  @Test
  void resizeThenRevertRestoresTheOldFlavorHostPortsAndUsageExactly() {
    Map<String, String> baseline = usage();
    String id = boot("regretful", "1");
    Api v247 = member.withHeader("OpenStack-API-Version", "compute 2.47");
    JsonNode before = waitFor(id, "ACTIVE");
    JsonNode flavorBefore = v247.get(NOVA + "/servers/" + id).expect(200).at("/server/flavor");
    String source = before.get("OS-EXT-SRV-ATTR:host").asText();
    String port = onlyPort(id);
    Map<String, String> booted = usage();

    accepted(member, id, "{\"resize\": {\"flavorRef\": \"2\"}}");
    JsonNode resized = waitFor(id, "VERIFY_RESIZE");
    assertThat(bindingHost(port)).isEqualTo(resized.get("OS-EXT-SRV-ATTR:host").asText());
    accepted(member, id, "{\"revertResize\": null}");
    JsonNode after = waitFor(id, "ACTIVE");
    assertThat(after.get("OS-EXT-SRV-ATTR:host").asText()).isEqualTo(source);
    assertThat(after.at("/flavor/id").asText()).isEqualTo("1");
    assertThat(v247.get(NOVA + "/servers/" + id).expect(200).at("/server/flavor")).isEqualTo(flavorBefore);
    assertThat(after.get("addresses")).isEqualTo(before.get("addresses"));
    assertThat(bindingHost(port)).isEqualTo(source);
    assertThat(usage()).isEqualTo(booted);
    assertThat(migrationsOf(admin, id).get(0).get("status").asText()).isEqualTo("reverted");
    assertThat(actionNames(id)).contains("resize", "revertResize");
    deleteAndWait(id);
    assertThat(usage()).isEqualTo(baseline);
  }

  @Test
  void aStoppedServerIsResizedStoppedAndComesBackStopped() {
    String id = boot("cold-resize", "1");
    waitFor(id, "ACTIVE");
    accepted(member, id, "{\"os-stop\": null}");
    waitFor(id, "SHUTOFF");
    accepted(member, id, "{\"resize\": {\"flavorRef\": \"2\"}}");
    JsonNode resized = waitFor(id, "VERIFY_RESIZE");
    assertThat(resized.get("OS-EXT-STS:power_state").asInt()).isEqualTo(4);
    assertThat(act(member, id, "{\"confirmResize\": null}").status()).isEqualTo(204);
    JsonNode after = waitFor(id, "SHUTOFF");
    assertThat(after.get("OS-EXT-STS:vm_state").asText()).isEqualTo("stopped");
    deleteAndWait(id);
  }

  @Test
  void wrongStatesAreConflictsAndBadFlavorsAreBadRequests() {
    String id = boot("picky", "1");
    waitFor(id, "ACTIVE");
    fault(act(member, id, "{\"confirmResize\": null}"), 409,
        "Cannot 'confirmResize' instance " + id + " while it is in vm_state active");
    fault(act(member, id, "{\"revertResize\": null}"), 409,
        "Cannot 'revertResize' instance " + id + " while it is in vm_state active");
    fault(act(member, id, "{\"resize\": {\"flavorRef\": \"1\"}}"), 400, "When resizing, instances must change flavor!");
    fault(act(member, id, "{\"resize\": {\"flavorRef\": \"999\"}}"), 400, "Unable to locate requested flavor.");
    fault(act(member, id, "{\"resize\": {}}"), 400, null);
    fault(act(member, id, "{\"resize\": {\"flavorRef\": \"2\", \"size\": 3}}"), 400, null);

    accepted(member, id, "{\"resize\": {\"flavorRef\": \"2\"}}");
    waitFor(id, "VERIFY_RESIZE");
    fault(act(member, id, "{\"resize\": {\"flavorRef\": \"3\"}}"), 409,
        "Cannot 'resize' instance " + id + " while it is in vm_state resized");
    fault(act(member, id, "{\"os-stop\": null}"), 409, null);
    // Back down to the smaller disk is refused.
    assertThat(act(member, id, "{\"confirmResize\": null}").status()).isEqualTo(204);
    waitFor(id, "ACTIVE");
    fault(act(member, id, "{\"resize\": {\"flavorRef\": \"1\"}}"), 400, "Resize error: Unable to resize disk down.");

    accepted(member, id, "{\"pause\": null}");
    waitFor(id, "PAUSED");
    fault(act(member, id, "{\"resize\": {\"flavorRef\": \"3\"}}"), 409,
        "Cannot 'resize' instance " + id + " while it is in vm_state paused");
    accepted(member, id, "{\"unpause\": null}");
    waitFor(id, "ACTIVE");
    accepted(admin, id, "{\"lock\": null}");
    fault(act(member, id, "{\"resize\": {\"flavorRef\": \"3\"}}"), 409, "Instance " + id + " is locked");
    accepted(admin, id, "{\"unlock\": null}");
    assertThat(migrationsOf(admin, id)).hasSize(1);
    deleteAndWait(id);
  }

  @Test
  void ofRacingResizesExactlyOneWins() throws Exception {
    String id = boot("racer", "1");
    waitFor(id, "ACTIVE");
    List<Integer> statuses = Race.run(6, i -> act(member, id, "{\"resize\": {\"flavorRef\": \"2\"}}").status());
    assertThat(statuses).containsOnly(202, 409);
    assertThat(statuses.stream().filter(s -> s == 202).count()).isEqualTo(1);
    waitFor(id, "VERIFY_RESIZE");
    statuses = Race.run(6, i -> act(member, id, "{\"" + (i % 2 == 0 ? "confirmResize" : "revertResize") + "\": null}").status());
    assertThat(statuses.stream().filter(s -> s == 202 || s == 204).count()).as(statuses.toString()).isEqualTo(1);
    waitFor(id, "ACTIVE");
    assertThat(migrationsOf(admin, id)).hasSize(1);
    deleteAndWait(id);
  }

  @Test
  void aResizeTheDriverFailsLeavesTheServerInErrorOnItsSourceWithNothingLeaked() {
    String id = boot("fragile", "1");
    JsonNode before = waitFor(id, "ACTIVE");
    Map<String, String> booted = usage();
    admin.put(NOVA + "/os-kiln-faults/resize", "{\"kiln_fault\": {\"fail_next\": 1}}").expect(200);
    try {
      accepted(member, id, "{\"resize\": {\"flavorRef\": \"2\"}}");
      JsonNode failed = waitFor(id, "ERROR");
      assertThat(failed.at("/fault/message").asText()).contains("Simulated failure of resize");
      assertThat(failed.get("OS-EXT-SRV-ATTR:host")).isEqualTo(before.get("OS-EXT-SRV-ATTR:host"));
      assertThat(failed.at("/flavor/id").asText()).isEqualTo("1");
    } finally {
      admin.delete(NOVA + "/os-kiln-faults/resize").expect(204);
    }
    assertThat(usage()).isEqualTo(booted);
    assertThat(migrationsOf(admin, id).get(0).get("status").asText()).isEqualTo("error");
    JsonNode events = resizeEvents(id);
    assertThat(events.toString()).contains("compute_resize_instance").contains("Error");
    // An ERROR server is not confirmed or reverted; it can still be deleted cleanly.
    assertThat(act(member, id, "{\"revertResize\": null}").status()).isEqualTo(409);
    deleteAndWait(id);
  }

  @Test
  void deletingAServerWaitingToBeVerifiedReleasesBothHosts() {
    Map<String, String> baseline = usage();
    String id = boot("abandoned", "1");
    waitFor(id, "ACTIVE");
    accepted(member, id, "{\"resize\": {\"flavorRef\": \"2\"}}");
    waitFor(id, "VERIFY_RESIZE");
    deleteAndWait(id);
    assertThat(usage()).isEqualTo(baseline);
    assertThat(migrationsOf(admin, id).get(0).get("status").asText()).isEqualTo("confirmed");
  }

  // Cold migration

  @Test
  void migrateMovesToAnotherHostWithTheSameFlavor() {
    Map<String, String> baseline = usage();
    String id = boot("wanderer", "1");
    JsonNode before = waitFor(id, "ACTIVE");
    String source = before.get("OS-EXT-SRV-ATTR:host").asText();
    String port = onlyPort(id);
    fault(act(member, id, "{\"migrate\": null}"), 403,
        "Policy doesn't allow os_compute_api:os-migrate-server:migrate to be performed.");

    accepted(admin, id, "{\"migrate\": null}");
    JsonNode moved = waitFor(id, "VERIFY_RESIZE");
    String destination = moved.get("OS-EXT-SRV-ATTR:host").asText();
    assertThat(destination).isNotEqualTo(source);
    assertThat(moved.at("/flavor/id").asText()).isEqualTo("1");
    assertThat(bindingHost(port)).isEqualTo(destination);
    assertThat(act(admin, id, "{\"confirmResize\": null}").status()).isEqualTo(204);
    waitFor(id, "ACTIVE");
    assertThat(usage().get(source)).isEqualTo(baseline.get(source));

    // 2.56: to a chosen host, not the one it is on, not one that does not exist.
    Api v256 = admin.withHeader("OpenStack-API-Version", "compute 2.56");
    fault(act(v256, id, "{\"migrate\": {\"host\": \"" + destination + "\"}}"), 400,
        "Cannot migrate to the host where the server exists.");
    fault(act(v256, id, "{\"migrate\": {\"host\": \"nowhere\"}}"), 400, "Compute host nowhere could not be found.");
    // Before 2.56 Nova reads no host from the body at all (NovaCompatibilityApiTest covers that).
    accepted(v256, id, "{\"migrate\": {\"host\": \"" + source + "\"}}");
    assertThat(waitFor(id, "VERIFY_RESIZE").get("OS-EXT-SRV-ATTR:host").asText()).isEqualTo(source);
    accepted(admin, id, "{\"revertResize\": null}");
    assertThat(waitFor(id, "ACTIVE").get("OS-EXT-SRV-ATTR:host").asText()).isEqualTo(destination);
    assertThat(actionNames(id)).contains("migrate", "confirmResize", "revertResize");
    JsonNode migrations = migrationsOf(admin.withHeader("OpenStack-API-Version", "compute 2.23"), id);
    assertThat(migrations).hasSize(2);
    assertThat(migrations.get(0).get("migration_type").asText()).isEqualTo("migration");
    deleteAndWait(id);
    assertThat(usage()).isEqualTo(baseline);
  }

  @Test
  void coldMovesBindOnTheDestinationFirstAndDropTheLeftBindingWhenSettled() {
    String id = boot("bound-move", "1");
    String source = waitFor(id, "ACTIVE").get("OS-EXT-SRV-ATTR:host").asText();
    String port = onlyPort(id);

    accepted(admin, id, "{\"migrate\": null}");
    String destination = waitFor(id, "VERIFY_RESIZE").get("OS-EXT-SRV-ATTR:host").asText();
    // While the move waits to be verified, the source keeps an INACTIVE binding to revert to.
    assertThat(bindingStates(port)).containsEntry(destination, "ACTIVE").containsEntry(source, "INACTIVE").hasSize(2);
    accepted(admin, id, "{\"revertResize\": null}");
    waitFor(id, "ACTIVE");
    assertThat(bindingStates(port)).containsExactly(Map.entry(source, "ACTIVE"));

    accepted(admin, id, "{\"migrate\": null}");
    String second = waitFor(id, "VERIFY_RESIZE").get("OS-EXT-SRV-ATTR:host").asText();
    assertThat(act(admin, id, "{\"confirmResize\": null}").status()).isEqualTo(204);
    waitFor(id, "ACTIVE");
    assertThat(bindingStates(port)).containsExactly(Map.entry(second, "ACTIVE"));

    // A port that cannot bind on the destination stops the move before anything moves.
    String target = source.equals(second) ? destination : source;
    Api v256 = admin.withHeader("OpenStack-API-Version", "compute 2.56");
    admin.post(NET + "/ports/" + port + "/bindings", "{\"binding\": {\"host\": \"" + target + "\"}}").expect(201);
    accepted(v256, id, "{\"migrate\": {\"host\": \"" + target + "\"}}");
    JsonNode after = waitFor(id, "ACTIVE");
    assertThat(after.get("OS-EXT-SRV-ATTR:host").asText()).isEqualTo(second);
    assertThat(migrationsOf(admin.withHeader("OpenStack-API-Version", "compute 2.23"), id).get(0).get("status").asText())
        .isEqualTo("error");
    admin.delete(NET + "/ports/" + port + "/bindings/" + target).expect(204);
    assertThat(bindingStates(port)).containsExactly(Map.entry(second, "ACTIVE"));
    deleteAndWait(id);
  }

  private static Map<String, String> bindingStates(String portId) {
    Map<String, String> states = new java.util.TreeMap<>();
    admin.get(NET + "/ports/" + portId + "/bindings").expect(200).get("bindings")
        .forEach(b -> states.put(b.get("host").asText(), b.get("status").asText()));
    return states;
  }

  @Test
  void migrateWithNoOtherHostLeftEndsActiveWithAnErrorMigration() {
    String id = boot("stuck", "1");
    String source = waitFor(id, "ACTIVE").get("OS-EXT-SRV-ATTR:host").asText();
    Api v253 = admin.withHeader("OpenStack-API-Version", "compute 2.53");
    List<String> disabled = new ArrayList<>();
    for (JsonNode s : v253.get(NOVA + "/os-services?binary=nova-compute").expect(200).get("services")) {
      if (!s.get("host").asText().equals(source)) {
        v253.put(NOVA + "/os-services/" + s.get("id").asText(), "{\"status\": \"disabled\"}").expect(200);
        disabled.add(s.get("id").asText());
      }
    }
    try {
      accepted(admin, id, "{\"migrate\": null}");
      JsonNode server = waitFor(id, "ACTIVE");
      assertThat(server.get("OS-EXT-SRV-ATTR:host").asText()).isEqualTo(source);
      assertThat(server.get("OS-EXT-STS:vm_state").asText()).isEqualTo("active");
      JsonNode migration = migrationsOf(admin, id).get(0);
      assertThat(migration.get("status").asText()).isEqualTo("error");
      assertThat(migration.get("dest_compute").isNull()).isTrue();
      assertThat(resizeEvents(id).toString()).contains("conductor_migrate_server").contains("Error");
    } finally {
      for (String uuid : disabled) {
        v253.put(NOVA + "/os-services/" + uuid, "{\"status\": \"enabled\"}").expect(200);
      }
    }
    deleteAndWait(id);
  }

  // os-migrations

  @Test
  void osMigrationsListsTheRecordsAsEachMicroversionShowsThem() {
    String id = boot("listed", "1");
    waitFor(id, "ACTIVE");
    accepted(member, id, "{\"resize\": {\"flavorRef\": \"2\"}}");
    waitFor(id, "VERIFY_RESIZE");
    accepted(member, id, "{\"revertResize\": null}");
    waitFor(id, "ACTIVE");
    accepted(member, id, "{\"resize\": {\"flavorRef\": \"2\"}}");
    waitFor(id, "VERIFY_RESIZE");

    JsonNode v21 = migrationsOf(admin, id);
    assertThat(v21).hasSize(2);
    assertThat(v21.get(0).has("migration_type")).isFalse();
    assertThat(v21.get(0).has("uuid")).isFalse();
    assertThat(v21.get(0).get("status").asText()).isEqualTo("finished");
    assertThat(v21.get(1).get("status").asText()).isEqualTo("reverted");
    assertThat(v21.get(0).get("id").asLong()).isGreaterThan(v21.get(1).get("id").asLong());
    assertThat(v21.get(0).get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}");

    assertThat(admin.get(NOVA + "/os-migrations?instance_uuid=" + id + "&status=reverted").expect(200).get("migrations"))
        .hasSize(1);
    assertThat(admin.get(NOVA + "/os-migrations?instance_uuid=" + id + "&migration_type=migration").expect(200)
            .get("migrations"))
        .isEmpty();
    String source = v21.get(0).get("source_compute").asText();
    assertThat(admin.get(NOVA + "/os-migrations?source_compute=" + source).expect(200).get("migrations").toString())
        .contains(id);

    Api v259 = admin.withHeader("OpenStack-API-Version", "compute 2.59");
    JsonNode page = v259.get(NOVA + "/os-migrations?instance_uuid=" + id + "&limit=1").expect(200);
    assertThat(page.get("migrations")).hasSize(1);
    String first = page.at("/migrations/0/uuid").asText();
    assertThat(page.at("/migrations_links/0/href").asText()).contains("marker=" + first);
    JsonNode next = v259.get(NOVA + "/os-migrations?instance_uuid=" + id + "&limit=1&marker=" + first).expect(200);
    assertThat(next.at("/migrations/0/status").asText()).isEqualTo("reverted");
    fault(v259.get(NOVA + "/os-migrations?marker=" + java.util.UUID.randomUUID()), 400, null);
    fault(v259.get(NOVA + "/os-migrations?bogus=1"), 400, null);
    fault(v259.get(NOVA + "/os-migrations?changes-before=2020-01-01T00:00:00Z"), 400, null); // from 2.66
    assertThat(v259.get(NOVA + "/os-migrations?instance_uuid=" + id + "&changes-since=2999-01-01T00:00:00Z").expect(200)
            .get("migrations"))
        .isEmpty();
    Api v266 = admin.withHeader("OpenStack-API-Version", "compute 2.66");
    assertThat(v266.get(NOVA + "/os-migrations?instance_uuid=" + id + "&changes-before=2000-01-01T00:00:00Z").expect(200)
            .get("migrations"))
        .isEmpty();
    assertThat(member.get(NOVA + "/os-migrations").status()).isEqualTo(403);
    deleteAndWait(id);
  }

  // Helpers

  private static void fault(Api.Response r, int status, String message) {
    assertThat(r.status()).as(r.toString()).isEqualTo(status);
    if (message != null) {
      JsonNode body = r.json();
      JsonNode fault = body.elements().next();
      assertThat(fault.get("message").asText()).isEqualTo(message);
      assertThat(fault.get("code").asInt()).isEqualTo(status);
    }
  }

  private static String boot(String name, String flavor) {
    return Cloud.boot(member, imageId, flavor, "[{\"uuid\": \"" + networkId + "\"}]", name);
  }

  private static Api.Response act(Api api, String id, String body) {
    return api.post(NOVA + "/servers/" + id + "/action", body);
  }

  private static void accepted(Api api, String id, String body) {
    Api.Response r = act(api, id, body);
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
    assertThat(r.body()).isEmpty();
  }

  /** Waits until the server has no task and shows {@code status}; answers it as an admin sees it. */
  private static JsonNode waitFor(String id, String status) {
    return Cloud.awaitSettled(admin, id, status);
  }

  private static void deleteAndWait(String id) {
    Cloud.deleteServer(admin, id);
  }

  private static String onlyPort(String id) {
    JsonNode ports = member.get(NET + "/ports?device_id=" + id).expect(200).get("ports");
    assertThat(ports).hasSize(1);
    return ports.get(0).get("id").asText();
  }

  private static String bindingHost(String portId) {
    return admin.get(NET + "/ports/" + portId).expect(200).at("/port/binding:host_id").asText();
  }

  /** Each host's claimed vCPUs/RAM/disk, as os-hypervisors reports them. */
  private static Map<String, String> usage() {
    Map<String, String> usage = new TreeMap<>();
    for (JsonNode h : admin.get(NOVA + "/os-hypervisors/detail").expect(200).get("hypervisors")) {
      usage.put(
          h.get("hypervisor_hostname").asText(),
          h.get("vcpus_used").asInt() + "/" + h.get("memory_mb_used").asInt() + "/" + h.get("local_gb_used").asInt());
    }
    return usage;
  }

  private static String plus(String used, int vcpus, int ramMb, int diskGb) {
    String[] parts = used.split("/");
    return (Integer.parseInt(parts[0]) + vcpus) + "/" + (Integer.parseInt(parts[1]) + ramMb) + "/"
        + (Integer.parseInt(parts[2]) + diskGb);
  }

  private static JsonNode migrationsOf(Api api, String id) {
    return api.get(NOVA + "/os-migrations?instance_uuid=" + id).expect(200).get("migrations");
  }

  private static List<String> actionNames(String id) {
    List<String> names = new ArrayList<>();
    member.get(NOVA + "/servers/" + id + "/os-instance-actions").expect(200)
        .get("instanceActions")
        .forEach(a -> names.add(a.get("action").asText()));
    return names;
  }

  /** The events of the server's newest resize or migrate action, as an admin sees them. */
  private static JsonNode resizeEvents(String id) {
    for (JsonNode a : admin.get(NOVA + "/servers/" + id + "/os-instance-actions").expect(200).get("instanceActions")) {
      String name = a.get("action").asText();
      if (name.equals("resize") || name.equals("migrate")) {
        return admin.get(NOVA + "/servers/" + id + "/os-instance-actions/" + a.get("request_id").asText()).expect(200)
            .at("/instanceAction/events");
      }
    }
    throw new AssertionError("no resize or migrate action on " + id);
  }
}
