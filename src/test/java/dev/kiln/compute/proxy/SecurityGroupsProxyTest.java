package dev.kiln.compute.proxy;

import static dev.kiln.testing.Cloud.NET;
import static dev.kiln.testing.Cloud.NOVA;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.TempestSchemas;
import dev.kiln.testing.Tenant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Nova's security group proxies (before 2.36) over Networking: groups updated, rules made and
 * deleted with Nova's checks and faults, and a server's groups; bodies checked against Tempest's
 * schemas.
 */
class SecurityGroupsProxyTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Tenant tenant;
  private static Api v235;
  private static Api admin235;

  @BeforeAll
  static void start() {
    tenant = Tenant.create(kiln, kiln.admin(), "sgproxy", "sgproxy-user");
    v235 = tenant.api().withHeader("OpenStack-API-Version", "compute 2.35");
    admin235 = kiln.admin().withHeader("OpenStack-API-Version", "compute 2.35");
    kiln.admin().put(NET + "/quotas/" + tenant.projectId(), "{\"quota\": {\"security_group\": 50}}").expect(200);
  }

  private static String group(String name) {
    return v235.post(NOVA + "/os-security-groups", "{\"security_group\": {\"name\": \"" + name + "\", \"description\": \"d\"}}")
        .expect(200).at("/security_group/id").asText();
  }

  private static Api.Response rule(String body) {
    return v235.post(NOVA + "/os-security-group-rules", "{\"security_group_rule\": " + body + "}");
  }

  /** One field of each group in a list (not of the groups its rules name). */
  private static List<String> top(JsonNode groups, String field) {
    List<String> values = new java.util.ArrayList<>();
    groups.forEach(g -> values.add(g.get(field).asText()));
    return values;
  }

  private static String defaultGroup() {
    for (JsonNode g : v235.get(NOVA + "/os-security-groups").expect(200).get("security_groups")) {
      if (g.get("name").asText().equals("default")) {
        return g.get("id").asText();
      }
    }
    throw new AssertionError("no default group");
  }

  @Test
  void rulesAreMadeInNetworkingAsIngressRulesAndShownOnTheirGroup() {
    TempestSchemas schemas = new TempestSchemas();
    String parent = group("rules-parent");
    String peer = group("rules-peer");

    Api.Response open = rule("{\"parent_group_id\": \"" + parent + "\", \"ip_protocol\": \"tcp\", \"from_port\": 22, \"to_port\": 22}");
    schemas.check("compute.v2_1.security_groups.create_security_group_rule", open);
    JsonNode made = open.json().get("security_group_rule");
    assertThat(made.get("parent_group_id").asText()).isEqualTo(parent);
    assertThat(made.get("ip_protocol").asText()).isEqualTo("tcp");
    assertThat(made.get("from_port").asInt()).isEqualTo(22);
    assertThat(made.get("to_port").asInt()).isEqualTo(22);
    assertThat(made.at("/ip_range/cidr").asText()).isEqualTo("0.0.0.0/0");
    assertThat(made.get("group").isEmpty()).isTrue();
    JsonNode inNetworking = tenant.api().get(NET + "/security-group-rules/" + made.get("id").asText()).expect(200).get("security_group_rule");
    assertThat(inNetworking.get("direction").asText()).isEqualTo("ingress");
    assertThat(inNetworking.get("ethertype").asText()).isEqualTo("IPv4");
    assertThat(inNetworking.get("port_range_min").asInt()).isEqualTo(22);

    Api.Response ranged = rule("{\"parent_group_id\": \"" + parent + "\", \"ip_protocol\": \"udp\", \"from_port\": \"53\", \"to_port\": \"53\", \"cidr\": \"10.2.3.124/24\"}");
    schemas.check("compute.v2_1.security_groups.create_security_group_rule", ranged);
    assertThat(ranged.json().at("/security_group_rule/ip_range/cidr").asText()).isEqualTo("10.2.3.124/24");

    Api.Response fromPeer = rule("{\"parent_group_id\": \"" + parent + "\", \"ip_protocol\": \"tcp\", \"from_port\": 80, \"to_port\": 81, \"group_id\": \"" + peer + "\"}");
    schemas.check("compute.v2_1.security_groups.create_security_group_rule", fromPeer);
    assertThat(fromPeer.json().at("/security_group_rule/group/name").asText()).isEqualTo("rules-peer");
    assertThat(fromPeer.json().at("/security_group_rule/group/tenant_id").asText()).isEqualTo(tenant.projectId());
    assertThat(fromPeer.json().at("/security_group_rule/ip_range").isEmpty()).isTrue();

    Api.Response icmp = rule("{\"parent_group_id\": \"" + parent + "\", \"ip_protocol\": \"icmp\", \"from_port\": -1, \"to_port\": -1}");
    assertThat(icmp.json().at("/security_group_rule/from_port").asInt()).isEqualTo(-1);

    Api.Response shown = v235.get(NOVA + "/os-security-groups/" + parent);
    schemas.check("compute.v2_1.security_groups.get_security_group", shown);
    List<String> ids = shown.json().at("/security_group/rules").findValuesAsText("id");
    assertThat(ids).containsExactlyInAnyOrder(
        made.get("id").asText(), ranged.json().at("/security_group_rule/id").asText(),
        fromPeer.json().at("/security_group_rule/id").asText(), icmp.json().at("/security_group_rule/id").asText());

    Api.Response deleted = v235.delete(NOVA + "/os-security-group-rules/" + made.get("id").asText());
    schemas.check("compute.v2_1.security_groups.delete_security_group_rule", deleted);
    tenant.api().get(NET + "/security-group-rules/" + made.get("id").asText()).expect(404);
    Api.Response again = v235.delete(NOVA + "/os-security-group-rules/" + made.get("id").asText());
    assertThat(again.status()).isEqualTo(404);
    assertThat(again.json().has("itemNotFound")).isTrue();
    schemas.verify();
  }

  @Test
  void badRulesAreRefusedWithNovasFaultsAndMakeNothing() {
    String parent = group("rules-bad");
    String tcp22 = "\"ip_protocol\": \"tcp\", \"from_port\": 22, \"to_port\": 22";
    rule("{\"parent_group_id\": \"" + parent + "\", " + tcp22 + "}").expect(200);

    Api.Response duplicate = rule("{\"parent_group_id\": \"" + parent + "\", " + tcp22 + "}");
    assertThat(duplicate.status()).isEqualTo(400);
    assertThat(duplicate.json().at("/badRequest/message").asText()).isEqualTo("This rule already exists in group " + parent);
    assertThat(rule("{\"parent_group_id\": \"not-a-uuid\", " + tcp22 + "}").json().at("/badRequest/message").asText())
        .contains("parent_group_id").contains("is not a 'uuid'");
    assertThat(rule("{\"parent_group_id\": \"" + java.util.UUID.randomUUID() + "\", " + tcp22 + "}").status()).isEqualTo(404);
    assertThat(rule("{" + tcp22 + "}").status()).isEqualTo(400);
    assertThat(rule("{\"parent_group_id\": \"" + parent + "\", \"ip_protocol\": \"999x\", \"from_port\": 22, \"to_port\": 22}")
        .json().at("/badRequest/message").asText()).isEqualTo("Invalid IP protocol 999x.");
    assertThat(rule("{\"parent_group_id\": \"" + parent + "\", \"ip_protocol\": \"tcp\", \"from_port\": 65536, \"to_port\": 22}").status())
        .isEqualTo(400);
    assertThat(rule("{\"parent_group_id\": \"" + parent + "\", \"ip_protocol\": \"tcp\", \"from_port\": 22, \"to_port\": 70000}").status())
        .isEqualTo(400);
    assertThat(rule("{\"parent_group_id\": \"" + parent + "\", \"ip_protocol\": \"tcp\", \"from_port\": 22, \"to_port\": 21}").status())
        .isEqualTo(400);
    assertThat(rule("{\"parent_group_id\": \"" + parent + "\", \"ip_protocol\": \"tcp\"}").json().at("/badRequest/message").asText())
        .isEqualTo("Not enough parameters to build a valid rule.");
    assertThat(v235.delete(NOVA + "/os-security-group-rules/not-a-uuid").status()).isEqualTo(400);

    JsonNode rules = tenant.api().get(NET + "/security-group-rules?security_group_id=" + parent + "&direction=ingress")
        .expect(200).get("security_group_rules");
    assertThat(rules).hasSize(1);
    assertThat(tenant.api().withHeader("OpenStack-API-Version", "compute 2.36")
        .post(NOVA + "/os-security-group-rules", "{\"security_group_rule\": {\"parent_group_id\": \"" + parent + "\"}}").status())
        .isEqualTo(404);
  }

  @Test
  void deletingAPeerGroupTakesAwayTheRulesThatNameIt() {
    String parent = group("peer-parent");
    String peer = group("peer-gone");
    rule("{\"parent_group_id\": \"" + parent + "\", \"ip_protocol\": \"tcp\", \"from_port\": 22, \"to_port\": 22, \"group_id\": \"" + peer + "\"}")
        .expect(200);
    assertThat(v235.delete(NOVA + "/os-security-groups/" + peer).status()).isEqualTo(202);
    assertThat(v235.get(NOVA + "/os-security-groups/" + parent).expect(200).at("/security_group/rules")).isEmpty();
  }

  @Test
  void groupsAreRenamedAndRedescribedButNotTheDefaultOne() {
    TempestSchemas schemas = new TempestSchemas();
    String id = group("before");
    Api.Response updated =
        v235.put(NOVA + "/os-security-groups/" + id, "{\"security_group\": {\"name\": \"after\", \"description\": \"new words\"}}");
    schemas.check("compute.v2_1.security_groups.update_security_group", updated);
    JsonNode shown = v235.get(NOVA + "/os-security-groups/" + id).expect(200).get("security_group");
    assertThat(shown.get("name").asText()).isEqualTo("after");
    assertThat(shown.get("description").asText()).isEqualTo("new words");
    assertThat(tenant.api().get(NET + "/security-groups/" + id).expect(200).at("/security_group/name").asText()).isEqualTo("after");

    assertThat(v235.put(NOVA + "/os-security-groups/" + id, "{\"security_group\": {\"name\": \"only-name\"}}").status())
        .isEqualTo(400);
    assertThat(v235.put(NOVA + "/os-security-groups/" + id, "{\"security_group\": {\"name\": \"" + "n".repeat(256) + "\", \"description\": \"\"}}")
        .status()).isEqualTo(400);
    assertThat(v235.put(NOVA + "/os-security-groups/" + java.util.UUID.randomUUID(), "{\"security_group\": {\"name\": \"x\", \"description\": \"\"}}")
        .status()).isEqualTo(404);
    Api.Response renameDefault =
        v235.put(NOVA + "/os-security-groups/" + defaultGroup(), "{\"security_group\": {\"name\": \"other\", \"description\": \"\"}}");
    assertThat(renameDefault.status()).isEqualTo(400);
    assertThat(v235.get(NOVA + "/os-security-groups/" + defaultGroup()).expect(200).at("/security_group/name").asText())
        .isEqualTo("default");
    schemas.verify();
  }

  @Test
  void theDefaultGroupAndAGroupAServerUsesCannotBeDeleted() {
    TempestSchemas schemas = new TempestSchemas();
    Api.Response refused = v235.delete(NOVA + "/os-security-groups/" + defaultGroup());
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().has("badRequest")).isTrue();

    String networkId = Cloud.network(tenant.api(), "sg-net", "10.81.0.0/24");
    String server = Cloud.bootActive(tenant.api(), Cloud.cirros(tenant.api()), networkId, "sg-user");
    String used = group("used");
    v235.post(NOVA + "/servers/" + server + "/action", "{\"addSecurityGroup\": {\"name\": \"used\"}}").expect(202);
    assertThat(v235.delete(NOVA + "/os-security-groups/" + used).status()).isEqualTo(400);

    Api.Response ofServer = tenant.api().get(NOVA + "/servers/" + server + "/os-security-groups");
    schemas.check("compute.v2_1.security_groups.list_security_groups", ofServer);
    assertThat(top(ofServer.json().get("security_groups"), "name")).containsExactly("default", "used");
    assertThat(tenant.api().get(NOVA + "/servers/" + java.util.UUID.randomUUID() + "/os-security-groups").status()).isEqualTo(404);

    Cloud.deleteServer(tenant.api(), server);
    Cloud.awaitGone(tenant.api(), server);
    assertThat(v235.delete(NOVA + "/os-security-groups/" + used).status()).isEqualTo(202);
    schemas.verify();
  }

  @Test
  void onlyAdminsListEveryProjectsGroupsAndListsArePaged() {
    group("mine-1");
    group("mine-2");
    JsonNode all = admin235.get(NOVA + "/os-security-groups?all_tenants").expect(200).get("security_groups");
    assertThat(top(all, "tenant_id")).contains(tenant.projectId());
    JsonNode adminsOwn = admin235.get(NOVA + "/os-security-groups").expect(200).get("security_groups");
    assertThat(top(adminsOwn, "tenant_id")).doesNotContain(tenant.projectId());
    JsonNode members = v235.get(NOVA + "/os-security-groups?all_tenants=1").expect(200).get("security_groups");
    assertThat(top(members, "tenant_id")).containsOnly(tenant.projectId());

    List<String> names = top(v235.get(NOVA + "/os-security-groups").expect(200).get("security_groups"), "name");
    assertThat(names).isSorted();
    assertThat(v235.get(NOVA + "/os-security-groups?limit=1").expect(200).get("security_groups")).hasSize(1);
    assertThat(v235.get(NOVA + "/os-security-groups?offset=" + names.size()).expect(200).get("security_groups")).isEmpty();
    assertThat(v235.get(NOVA + "/os-security-groups?limit=-1").status()).isEqualTo(400);
  }
}
