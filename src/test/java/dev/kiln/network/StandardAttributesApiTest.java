package dev.kiln.network;

import static dev.kiln.testing.Cloud.NET;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Race;
import dev.kiln.testing.Tenant;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Neutron's standard attributes over HTTP: tags and their filters, revision numbers with {@code
 * If-Match}, timestamps with {@code changed_since}, descriptions, and the 255-character limit of
 * names and descriptions; plus bulk creates.
 */
class StandardAttributesApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static Api member;
  private static Api other;

  @BeforeAll
  static void start() {
    admin = kiln.admin();
    member = Tenant.create(kiln, admin, "attrs", "attrs-user").api();
    other = Tenant.create(kiln, admin, "attrs-other", "attrs-other-user").api();
  }

  @Test
  void tagsAreAddedReplacedRemovedAndCountAsChanges() {
    String net = RoutersApiTest.network(member, "tagged");
    String tags = NET + "/networks/" + net + "/tags";
    member.put(tags + "/red", null).expect(201);
    member.put(tags + "/red", null).expect(201);
    assertThat(member.get(tags).expect(200).get("tags").toString()).isEqualTo("[\"red\"]");
    member.get(tags + "/red").expect(204);
    assertThat(member.get(tags + "/blue").status()).isEqualTo(404);
    assertThat(member.get(NET + "/networks/" + net).expect(200).at("/network/revision_number").asInt())
        .as("a tag added once is one change").isEqualTo(2);

    JsonNode replaced = member.put(tags, "{\"tags\": [\"b\", \"a\"]}").expect(200);
    assertThat(replaced.get("tags").toString()).isEqualTo("[\"a\",\"b\"]");
    assertThat(member.get(NET + "/networks/" + net).expect(200).at("/network/tags").toString()).isEqualTo("[\"a\",\"b\"]");
    Api.Response missing = member.delete(tags + "/red");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().at("/NeutronError/type").asText()).isEqualTo("TagNotFound");
    member.delete(tags + "/a").expect(204);
    member.delete(tags).expect(204);
    assertThat(member.get(tags).expect(200).get("tags")).isEmpty();

    Api.Response duplicate = member.put(tags, "{\"tags\": [\"x\", \"x\"]}");
    assertThat(duplicate.status()).isEqualTo(400);
    Api.Response tooLong = member.put(tags, "{\"tags\": [\"" + "t".repeat(256) + "\"]}");
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.json().at("/NeutronError/message").asText()).contains("exceeds maximum length of 255");

    assertThat(other.put(tags + "/mine", null).status()).as("another project's network").isEqualTo(404);
  }

  @Test
  void tagFiltersWorkOnEveryTaggedCollection() {
    String a = member.post(NET + "/networks", "{\"network\": {\"name\": \"f-a\", \"tags\": [\"red\", \"blue\"]}}").expect(201).at("/network/id").asText();
    String b = member.post(NET + "/networks", "{\"network\": {\"name\": \"f-b\", \"tags\": [\"red\"]}}").expect(201).at("/network/id").asText();
    String c = RoutersApiTest.network(member, "f-c");
    assertThat(ids(member.get(NET + "/networks?tags=red,blue").expect(200).get("networks"))).containsExactly(a);
    assertThat(ids(member.get(NET + "/networks?tags-any=blue&tags-any=red").expect(200).get("networks"))).containsExactlyInAnyOrder(a, b);
    assertThat(ids(member.get(NET + "/networks?not-tags=red,blue").expect(200).get("networks"))).contains(b, c).doesNotContain(a);
    assertThat(ids(member.get(NET + "/networks?not-tags-any=red").expect(200).get("networks"))).contains(c).doesNotContain(a, b);

    String router = RoutersApiTest.router(member, "tagged-router");
    member.put(NET + "/routers/" + router + "/tags", "{\"tags\": [\"edge\"]}").expect(200);
    assertThat(ids(member.get(NET + "/routers?tags=edge").expect(200).get("routers"))).containsExactly(router);
    String group = member.post(NET + "/security-groups", "{\"security_group\": {\"name\": \"tagged-sg\"}}").expect(201).at("/security_group/id").asText();
    member.put(NET + "/security-groups/" + group + "/tags/web", null).expect(201);
    assertThat(ids(member.get(NET + "/security-groups?tags=web").expect(200).get("security_groups"))).containsExactly(group);
  }

  @Test
  void ifMatchGuardsUpdatesByRevision() {
    String net = RoutersApiTest.network(member, "guarded");
    Api.Response stale =
        member.withHeader("If-Match", "revision_number=7").put(NET + "/networks/" + net, "{\"network\": {\"name\": \"x\"}}");
    assertThat(stale.status()).isEqualTo(412);
    assertThat(stale.json().at("/NeutronError/type").asText()).isEqualTo("RevisionNumberConstraintFailed");
    assertThat(stale.json().at("/NeutronError/message").asText()).isEqualTo("Constrained to 7, but current revision is 1");
    JsonNode renamed =
        member.withHeader("If-Match", "revision_number=1").put(NET + "/networks/" + net, "{\"network\": {\"name\": \"y\"}}")
            .expect(200).get("network");
    assertThat(renamed.get("revision_number").asInt()).isEqualTo(2);
    assertThat(member.withHeader("If-Match", "nonsense").put(NET + "/networks/" + net, "{\"network\": {}}").status()).isEqualTo(400);

    // Twenty updates racing on the same revision: exactly one is applied.
    List<Api.Response> answers =
        Race.run(20, i -> member.withHeader("If-Match", "revision_number=2")
            .put(NET + "/networks/" + net, "{\"network\": {\"description\": \"d" + i + "\"}}"));
    assertThat(answers.stream().filter(a -> a.status() == 200)).hasSize(1);
    assertThat(answers.stream().filter(a -> a.status() == 200 || a.status() == 412 || a.status() == 409)).hasSize(20);
    assertThat(member.get(NET + "/networks/" + net).expect(200).at("/network/revision_number").asInt()).isEqualTo(3);

    String router = RoutersApiTest.router(member, "guarded-router");
    assertThat(member.withHeader("If-Match", "revision_number=5").put(NET + "/routers/" + router, "{\"router\": {\"name\": \"z\"}}").status())
        .isEqualTo(412);
    assertThat(member.withHeader("If-Match", "revision_number=5").delete(NET + "/routers/" + router).status()).isEqualTo(412);
  }

  @Test
  void changedSinceFiltersByUpdateTime() throws Exception {
    String old = RoutersApiTest.network(member, "since-old");
    String updatedAt = member.get(NET + "/networks/" + old).expect(200).at("/network/updated_at").asText();
    Thread.sleep(1100);
    Instant mark = Instant.parse(updatedAt).plusSeconds(1);
    String fresh = RoutersApiTest.network(member, "since-new");
    List<String> since = ids(member.get(NET + "/networks?changed_since=" + mark).expect(200).get("networks"));
    assertThat(since).contains(fresh).doesNotContain(old);
    assertThat(member.get(NET + "/networks?changed_since=yesterday").status()).isEqualTo(400);
    JsonNode shown = member.get(NET + "/networks/" + fresh).expect(200).get("network");
    assertThat(shown.get("created_at").asText()).endsWith("Z");
  }

  @Test
  void namesAndDescriptionsLongerThan255AreRefusedNamingTheField() {
    String longText = "n".repeat(256);
    String net = RoutersApiTest.network(member, "long");
    String subnet = RoutersApiTest.subnet(member, net, "10.70.0.0/24");
    List<Api.Response> refused =
        List.of(
            member.post(NET + "/networks", "{\"network\": {\"name\": \"" + longText + "\"}}"),
            member.put(NET + "/networks/" + net, "{\"network\": {\"description\": \"" + longText + "\"}}"),
            member.post(NET + "/subnets", "{\"subnet\": {\"network_id\": \"" + net + "\", \"cidr\": \"10.71.0.0/24\", \"ip_version\": 4, \"name\": \"" + longText + "\"}}"),
            member.put(NET + "/subnets/" + subnet, "{\"subnet\": {\"name\": \"" + longText + "\"}}"),
            member.post(NET + "/ports", "{\"port\": {\"network_id\": \"" + net + "\", \"description\": \"" + longText + "\"}}"),
            member.post(NET + "/routers", "{\"router\": {\"name\": \"" + longText + "\"}}"),
            member.post(NET + "/security-groups", "{\"security_group\": {\"name\": \"" + longText + "\"}}"));
    for (Api.Response r : refused) {
      assertThat(r.status()).as(r.body()).isEqualTo(400);
      assertThat(r.json().at("/NeutronError/message").asText()).matches("Invalid input for (name|description)\\. Reason: .*exceeds maximum length of 255\\.");
    }
    assertThat(member.post(NET + "/networks", "{\"network\": {\"name\": \"" + "n".repeat(255) + "\"}}").status()).isEqualTo(201);
  }

  @Test
  void bulkCreatesMakeAllOrNothing() {
    JsonNode nets =
        member.post(NET + "/networks", "{\"networks\": [{\"name\": \"bulk-1\"}, {\"name\": \"bulk-2\", \"tags\": [\"b\"]}]}").expect(201);
    assertThat(nets.get("networks")).hasSize(2);
    assertThat(nets.at("/networks/1/tags/0").asText()).isEqualTo("b");
    String n1 = nets.at("/networks/0/id").asText();
    String n2 = nets.at("/networks/1/id").asText();

    JsonNode subnets =
        member.post(NET + "/subnets", "{\"subnets\": [{\"network_id\": \"" + n1 + "\", \"cidr\": \"10.80.0.0/24\", \"ip_version\": 4},"
                + " {\"network_id\": \"" + n2 + "\", \"cidr\": \"10.81.0.0/24\", \"ip_version\": 4}]}")
            .expect(201);
    assertThat(subnets.get("subnets")).hasSize(2);
    Api.Response overlapping =
        member.post(NET + "/subnets", "{\"subnets\": [{\"network_id\": \"" + n1 + "\", \"cidr\": \"10.82.0.0/24\", \"ip_version\": 4},"
            + " {\"network_id\": \"" + n1 + "\", \"cidr\": \"10.82.0.0/25\", \"ip_version\": 4}]}");
    assertThat(overlapping.status()).isEqualTo(400);
    assertThat(member.get(NET + "/subnets?cidr=10.82.0.0/24").expect(200).get("subnets")).as("the first was not kept").isEmpty();

    JsonNode ports =
        member.post(NET + "/ports", "{\"ports\": [{\"network_id\": \"" + n1 + "\"}, {\"network_id\": \"" + n1 + "\"}, {\"network_id\": \"" + n2 + "\"}]}")
            .expect(201);
    assertThat(ports.get("ports")).hasSize(3);
    assertThat(ports.at("/ports/0/fixed_ips/0/ip_address").asText()).isNotEqualTo(ports.at("/ports/1/fixed_ips/0/ip_address").asText());
    Api.Response taken =
        member.post(NET + "/ports", "{\"ports\": [{\"network_id\": \"" + n2 + "\", \"name\": \"bulk-x\"},"
            + " {\"network_id\": \"" + n1 + "\", \"fixed_ips\": [{\"ip_address\": \"" + ports.at("/ports/0/fixed_ips/0/ip_address").asText() + "\"}]}]}");
    assertThat(taken.status()).isEqualTo(409);
    assertThat(member.get(NET + "/ports?name=bulk-x").expect(200).get("ports")).isEmpty();
    assertThat(member.post(NET + "/networks", "{\"networks\": []}").status()).isEqualTo(400);
  }

  @Test
  void quotasOfRoutersFloatingIpsAndSecurityGroupsAreEnforced() {
    Tenant small = Tenant.create(kiln, admin, "attrs-small", "attrs-small-user");
    admin.put(NET + "/quotas/" + small.projectId(),
            "{\"quota\": {\"router\": 2, \"security_group\": 2, \"security_group_rule\": 7, \"floatingip\": 1}}")
        .expect(200);
    List<Api.Response> routers =
        Race.run(6, i -> small.api().post(NET + "/routers", "{\"router\": {\"name\": \"q" + i + "\"}}"));
    assertThat(routers.stream().filter(r -> r.status() == 201)).hasSize(2);
    assertThat(routers.stream().filter(r -> r.status() == 409))
        .hasSize(4)
        .allSatisfy(r -> assertThat(r.json().at("/NeutronError/type").asText()).isEqualTo("OverQuota"));

    // The default group (made on first use) counts: one more group fits, with its two rules.
    String group = small.api().post(NET + "/security-groups", "{\"security_group\": {\"name\": \"g1\"}}").expect(201).at("/security_group/id").asText();
    Api.Response secondGroup = small.api().post(NET + "/security-groups", "{\"security_group\": {\"name\": \"g2\"}}");
    assertThat(secondGroup.status()).isEqualTo(409);
    Api.Response rule =
        small.api().post(NET + "/security-group-rules", "{\"security_group_rule\": {\"security_group_id\": \"" + group + "\", \"direction\": \"ingress\", \"protocol\": \"tcp\"}}");
    assertThat(rule.status()).as(rule.body()).isEqualTo(201);
    Api.Response overRules =
        small.api().post(NET + "/security-group-rules", "{\"security_group_rule\": {\"security_group_id\": \"" + group + "\", \"direction\": \"ingress\", \"protocol\": \"udp\"}}");
    assertThat(overRules.status()).isEqualTo(409);
    JsonNode details = admin.get(NET + "/quotas/" + small.projectId() + "/details").expect(200).get("quota");
    assertThat(details.at("/router/used").asInt()).isEqualTo(2);
    assertThat(details.at("/security_group/used").asInt()).isEqualTo(2);
    assertThat(details.at("/security_group_rule/used").asInt()).isEqualTo(7);
  }

  private static List<String> ids(JsonNode list) {
    List<String> out = new java.util.ArrayList<>();
    list.forEach(item -> out.add(item.get("id").asText()));
    return out;
  }
}
