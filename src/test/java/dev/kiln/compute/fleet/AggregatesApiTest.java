package dev.kiln.compute.fleet;

import static dev.kiln.testing.Cloud.NOVA;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.OpenStackCli;
import dev.kiln.testing.Race;
import dev.kiln.testing.TempestSchemas;
import dev.kiln.testing.Tenant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Host aggregates on a two-host fleet, as Nova's os-aggregates: their answers (checked against
 * Tempest's schemas), an aggregate's availability zone steering the scheduler, a host in one zone
 * at most, and the refusals Nova gives.
 */
class AggregatesApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.withHosts(List.of("left", "right"));
  private static Api admin;
  private static Api member;
  private static String imageId;

  @BeforeAll
  static void start() {
    admin = kiln.admin();
    member = Tenant.create(kiln, admin, "agg", "agg-user").api();
    imageId = Cloud.cirros(member);
  }

  private static Api at(Api api, String version) {
    return api.withHeader("X-OpenStack-Nova-API-Version", version);
  }

  private static int create(String name, String zone) {
    String az = zone == null ? "" : ", \"availability_zone\": \"" + zone + "\"";
    return admin.post(NOVA + "/os-aggregates", "{\"aggregate\": {\"name\": \"" + name + "\"" + az + "}}")
        .expect(200).at("/aggregate/id").asInt();
  }

  private static Api.Response action(int id, String action, String body) {
    return admin.post(NOVA + "/os-aggregates/" + id + "/action", "{\"" + action + "\": " + body + "}");
  }

  @Test
  void aggregateLifecycleAnswersAsNovaDoes() {
    TempestSchemas schemas = new TempestSchemas();
    Api.Response created =
        admin.post(NOVA + "/os-aggregates", "{\"aggregate\": {\"name\": \"life\", \"availability_zone\": \"az-life\"}}");
    schemas.check("compute.v2_1.aggregates.create_aggregate", created);
    JsonNode aggregate = created.expect(200).get("aggregate");
    assertThat(aggregate.get("availability_zone").asText()).isEqualTo("az-life");
    assertThat(aggregate.has("hosts")).isFalse();
    int id = aggregate.get("id").asInt();
    String path = NOVA + "/os-aggregates/" + id;

    Api.Response shown = admin.get(path);
    schemas.check("compute.v2_1.aggregates.get_aggregate", shown);
    assertThat(shown.expect(200).at("/aggregate/metadata/availability_zone").asText()).isEqualTo("az-life");

    Api.Response updated = admin.put(path, "{\"aggregate\": {\"name\": \"life-2\", \"availability_zone\": \"az-2\"}}");
    schemas.check("compute.v2_1.aggregates.update_aggregate", updated);
    assertThat(updated.expect(200).at("/aggregate/name").asText()).isEqualTo("life-2");
    assertThat(updated.expect(200).at("/aggregate/availability_zone").asText()).isEqualTo("az-2");

    Api.Response meta = action(id, "set_metadata", "{\"metadata\": {\"ssd\": \"true\", \"gpu\": \"no\"}}");
    schemas.check("compute.v2_1.aggregates.aggregate_set_metadata", meta);
    meta = action(id, "set_metadata", "{\"metadata\": {\"gpu\": null}}");
    assertThat(meta.expect(200).at("/aggregate/metadata").toString())
        .isEqualTo("{\"availability_zone\":\"az-2\",\"ssd\":\"true\"}");

    Api.Response added = at(admin, "2.41").post(path + "/action", "{\"add_host\": {\"host\": \"left\"}}");
    schemas.check("compute.v2_41.aggregates.aggregate_add_remove_host", added);
    assertThat(added.expect(200).at("/aggregate/hosts").toString()).isEqualTo("[\"left\"]");
    Api.Response listed = at(admin, "2.41").get(NOVA + "/os-aggregates");
    schemas.check("compute.v2_41.aggregates.list_aggregates", listed);
    assertThat(listed.expect(200).get("aggregates")).anySatisfy(a -> {
      assertThat(a.get("id").asInt()).isEqualTo(id);
      assertThat(a.get("uuid").asText()).hasSize(36);
    });
    assertThat(admin.get(NOVA + "/os-availability-zone").expect(200).get("availabilityZoneInfo"))
        .anySatisfy(z -> assertThat(z.get("zoneName").asText()).isEqualTo("az-2"));

    Api.Response removed = action(id, "remove_host", "{\"host\": \"left\"}");
    schemas.check("compute.v2_1.aggregates.aggregate_add_remove_host", removed);
    assertThat(removed.expect(200).at("/aggregate/hosts")).isEmpty();
    Api.Response deleted = admin.delete(path);
    schemas.check("compute.v2_1.aggregates.delete_aggregate", deleted);
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(admin.get(path).status()).isEqualTo(404);
    schemas.verify();
  }

  @Test
  void aggregateZoneSendsServersToItsHostsAndStaysWhileServersRun() {
    int id = create("zoned", "az-right");
    action(id, "add_host", "{\"host\": \"right\"}").expect(200);
    String server =
        at(member, "2.37").post(
                NOVA + "/servers",
                "{\"server\": {\"name\": \"in-az\", \"flavorRef\": \"1\", \"imageRef\": \"" + imageId
                    + "\", \"networks\": \"none\", \"availability_zone\": \"az-right\"}}")
            .expect(202).at("/server/id").asText();
    JsonNode built = Cloud.awaitBuilt(admin, server, "ACTIVE");
    assertThat(built.get("OS-EXT-SRV-ATTR:host").asText()).isEqualTo("right");
    assertThat(built.get("OS-EXT-AZ:availability_zone").asText()).isEqualTo("az-right");

    Api.Response rezone =
        admin.put(NOVA + "/os-aggregates/" + id, "{\"aggregate\": {\"availability_zone\": \"az-other\"}}");
    assertThat(rezone.status()).as(rezone.body()).isEqualTo(400);
    assertThat(rezone.json().at("/badRequest/message").asText()).contains("contain instances");
    Api.Response unzone = action(id, "set_metadata", "{\"metadata\": {\"availability_zone\": null}}");
    assertThat(unzone.status()).isEqualTo(400);
    assertThat(unzone.json().at("/badRequest/message").asText()).contains("does not support empty named availability zone");

    // As in Nova, the host may leave the aggregate while servers run there.
    action(id, "remove_host", "{\"host\": \"right\"}").expect(200);
    assertThat(Cloud.server(admin, server).get("OS-EXT-AZ:availability_zone").asText()).isEqualTo("az-right");
    assertThat(admin.get(NOVA + "/os-availability-zone").expect(200).get("availabilityZoneInfo"))
        .noneSatisfy(z -> assertThat(z.get("zoneName").asText()).isEqualTo("az-right"));
    Cloud.deleteServer(member, server);
    admin.delete(NOVA + "/os-aggregates/" + id).expect(200);
  }

  @Test
  void aServerThatAskedForNoZoneMigratesOutOfTheZoneItsHostWasIn() {
    int id = create("zone-of-left", "az-left");
    action(id, "add_host", "{\"host\": \"left\"}").expect(200);
    Api v253 = admin.withHeader("OpenStack-API-Version", "compute 2.53");
    String right = v253.get(NOVA + "/os-services?binary=nova-compute&host=right").expect(200).at("/services/0/id").asText();
    v253.put(NOVA + "/os-services/" + right, "{\"status\": \"disabled\"}").expect(200);
    String server;
    try {
      server = at(member, "2.37").post(NOVA + "/servers", "{\"server\": {\"name\": \"no-zone\", \"flavorRef\": \"1\", \"imageRef\": \""
              + imageId + "\", \"networks\": \"none\"}}")
          .expect(202).at("/server/id").asText();
      JsonNode built = Cloud.awaitBuilt(admin, server, "ACTIVE");
      assertThat(built.get("OS-EXT-SRV-ATTR:host").asText()).isEqualTo("left");
      assertThat(built.get("OS-EXT-AZ:availability_zone").asText()).isEqualTo("az-left");
    } finally {
      v253.put(NOVA + "/os-services/" + right, "{\"status\": \"enabled\"}").expect(200);
    }

    // As Nova's request spec, only a zone the create asked for holds a move to it.
    admin.post(NOVA + "/servers/" + server + "/action", "{\"migrate\": null}").expect(202);
    String migrated = server;
    dev.kiln.testing.Await.until(
        () -> Cloud.server(admin, migrated).get("OS-EXT-STS:task_state").isNull(), "the migration to end");
    JsonNode moved = Cloud.server(admin, server);
    assertThat(moved.get("status").asText()).as(moved.toString()).isEqualTo("VERIFY_RESIZE");
    assertThat(moved.get("OS-EXT-SRV-ATTR:host").asText()).isEqualTo("right");
    admin.post(NOVA + "/servers/" + server + "/action", "{\"confirmResize\": null}").expect(204);
    Cloud.deleteServer(member, server);
    action(id, "remove_host", "{\"host\": \"left\"}").expect(200);
    admin.delete(NOVA + "/os-aggregates/" + id).expect(200);
  }

  @Test
  void aHostIsInOneAvailabilityZoneAtMost() {
    int first = create("zone-a", "az-a");
    int second = create("zone-b", "az-b");
    int plain = create("plain", null);
    action(first, "add_host", "{\"host\": \"left\"}").expect(200);

    Api.Response refused = action(second, "add_host", "{\"host\": \"left\"}");
    assertThat(refused.status()).as(refused.body()).isEqualTo(409);
    assertThat(refused.json().at("/conflictingRequest/message").asText()).contains("az-a");
    action(plain, "add_host", "{\"host\": \"left\"}").expect(200);
    Api.Response zoning = admin.put(NOVA + "/os-aggregates/" + plain, "{\"aggregate\": {\"availability_zone\": \"az-c\"}}");
    assertThat(zoning.status()).as(zoning.body()).isEqualTo(400);

    for (int id : List.of(first, plain)) {
      action(id, "remove_host", "{\"host\": \"left\"}").expect(200);
    }
    for (int id : List.of(first, second, plain)) {
      admin.delete(NOVA + "/os-aggregates/" + id).expect(200);
    }
  }

  @Test
  void badInputAndOtherUsersAreRefusedAsNovaRefusesThem() {
    assertThat(admin.post(NOVA + "/os-aggregates", "{\"aggregate\": {\"name\": \"\"}}").status()).isEqualTo(400);
    assertThat(admin.post(NOVA + "/os-aggregates", "{\"aggregate\": {\"name\": \"" + "a".repeat(256) + "\"}}").status())
        .isEqualTo(400);
    int id = create("taken", null);
    Api.Response duplicate = admin.post(NOVA + "/os-aggregates", "{\"aggregate\": {\"name\": \"taken\"}}");
    assertThat(duplicate.status()).isEqualTo(409);
    assertThat(duplicate.json().at("/conflictingRequest/message").asText()).isEqualTo("Aggregate taken already exists.");

    assertThat(member.post(NOVA + "/os-aggregates", "{\"aggregate\": {\"name\": \"mine\"}}").status()).isEqualTo(403);
    assertThat(member.get(NOVA + "/os-aggregates/" + id).status()).isEqualTo(403);
    assertThat(member.delete(NOVA + "/os-aggregates/" + id).status()).isEqualTo(403);

    Api.Response unknownHost = action(id, "add_host", "{\"host\": \"nowhere\"}");
    assertThat(unknownHost.status()).isEqualTo(404);
    assertThat(unknownHost.json().at("/itemNotFound/message").asText()).isEqualTo("Compute host nowhere could not be found.");
    action(id, "add_host", "{\"host\": \"left\"}").expect(200);
    assertThat(action(id, "add_host", "{\"host\": \"left\"}").status()).isEqualTo(409);
    assertThat(action(id, "remove_host", "{\"host\": \"right\"}").status()).isEqualTo(404);
    assertThat(admin.delete(NOVA + "/os-aggregates/" + id).status()).isEqualTo(400);
    assertThat(action(id, "explode", "{}").status()).isEqualTo(400);
    assertThat(admin.get(NOVA + "/os-aggregates/-1").status()).isEqualTo(404);
    assertThat(admin.get(NOVA + "/os-aggregates/abc").status()).isEqualTo(400);
    action(id, "remove_host", "{\"host\": \"left\"}").expect(200);
    admin.delete(NOVA + "/os-aggregates/" + id).expect(200);
  }

  @Test
  void theOpenstackCliManagesAggregatesHostsAndUsage() {
    OpenStackCli cli = kiln.adminCli();
    JsonNode created = cli.json("aggregate", "create", "--zone", "az-cli", "cli-agg");
    assertThat(created.toString()).contains("az-cli").contains("cli-agg");
    cli.ok("aggregate", "add", "host", "cli-agg", "left");
    cli.ok("aggregate", "set", "--property", "ssd=true", "cli-agg");
    String shown = cli.json("aggregate", "show", "cli-agg").toString();
    assertThat(shown).contains("left").contains("ssd").contains("az-cli");
    assertThat(cli.json("availability", "zone", "list").findValuesAsText("Zone Name")).contains("az-cli");
    assertThat(cli.json("host", "list", "--zone", "az-cli").findValuesAsText("Host Name")).containsExactly("left");
    assertThat(cli.json("usage", "list").isArray()).isTrue();
    cli.ok("aggregate", "remove", "host", "cli-agg", "left");
    cli.ok("aggregate", "delete", "cli-agg");
    assertThat(cli.json("aggregate", "list").findValuesAsText("Name")).doesNotContain("cli-agg");
  }

  @Test
  void racingCreatesOfOneNameHaveOneWinner() {
    List<Integer> codes =
        Race.run(8, n -> admin.post(NOVA + "/os-aggregates", "{\"aggregate\": {\"name\": \"raced\"}}").status());
    assertThat(codes).containsOnly(200, 409);
    assertThat(codes.stream().filter(c -> c == 200)).hasSize(1);
  }
}
