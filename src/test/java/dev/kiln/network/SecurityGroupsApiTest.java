package dev.kiln.network;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Tenant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Neutron security groups and rules over HTTP: shapes, validation faults, policy. */
class SecurityGroupsApiTest {
  private static final String GROUPS = "/networking/v2.0/security-groups";
  private static final String RULES = "/networking/v2.0/security-group-rules";
  private static final String TIMESTAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";

  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static Api alice;
  private static Api bob;
  private static String aliceProject;
  private static String bobProject;

  @BeforeAll
  static void start() {
    admin = kiln.admin();
    Tenant a = Tenant.create(kiln, admin, "sg-alice", "alice");
    Tenant b = Tenant.create(kiln, admin, "sg-bob", "bob");
    aliceProject = a.projectId();
    bobProject = b.projectId();
    alice = a.api();
    bob = b.api();
  }

  private static JsonNode group(Api api, String name) {
    Api.Response r = api.post(GROUPS, "{\"security_group\": {\"name\": \"" + name + "\"}}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().get("security_group");
  }

  private static Api.Response rule(Api api, String groupId, String fields) {
    return api.post(
        RULES,
        "{\"security_group_rule\": {\"security_group_id\": \"" + groupId + "\", " + fields + "}}");
  }

  private static void assertFault(Api.Response r, int status, String type, String... phrases) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    JsonNode fault = r.json().get("NeutronError");
    assertThat(fault.get("type").asText()).as(r.body()).isEqualTo(type);
    for (String phrase : phrases) {
      assertThat(fault.get("message").asText()).contains(phrase);
    }
    assertThat(fault.get("detail").asText()).isEmpty();
  }

  @Test
  void firstListMakesTheDefaultGroupWhichItsProjectCannotDeleteOrRename() {
    Api.Response list = alice.get(GROUPS);
    assertThat(list.status()).isEqualTo(200);
    JsonNode groups = list.json().get("security_groups");
    assertThat(groups.findValuesAsText("name")).containsOnlyOnce("default");
    JsonNode def = groups.get(groups.findValuesAsText("name").indexOf("default"));
    String id = def.get("id").asText();
    assertThat(def.get("description").asText()).isEqualTo("Default security group");
    assertThat(def.get("project_id").asText()).isEqualTo(aliceProject);
    JsonNode rules = def.get("security_group_rules");
    assertThat(rules).hasSize(4);
    int ingress = 0;
    for (JsonNode r : rules) {
      assertThat(r.get("protocol").isNull()).isTrue();
      assertThat(r.get("remote_ip_prefix").isNull()).isTrue();
      assertThat(r.get("belongs_to_default_sg").asBoolean()).isTrue();
      if (r.get("direction").asText().equals("ingress")) {
        ingress++;
        assertThat(r.get("remote_group_id").asText()).isEqualTo(id);
      } else {
        assertThat(r.get("remote_group_id").isNull()).isTrue();
      }
    }
    assertThat(ingress).isEqualTo(2);
    // A second list does not make a second one.
    assertThat(alice.get(GROUPS + "?name=default").json().get("security_groups")).hasSize(1);

    assertFault(alice.delete(GROUPS + "/" + id), 409, "SecurityGroupCannotRemoveDefault");
    assertFault(
        alice.put(GROUPS + "/" + id, "{\"security_group\": {\"name\": \"renamed\"}}"),
        409, "SecurityGroupCannotUpdateDefault");
    assertFault(
        alice.post(GROUPS, "{\"security_group\": {\"name\": \"Default\"}}"),
        409, "SecurityGroupDefaultAlreadyExists");
    assertThat(alice.put(GROUPS + "/" + id, "{\"security_group\": {\"description\": \"ours\"}}").status())
        .isEqualTo(200);
  }

  @Test
  void groupCreateShowUpdateDelete() {
    JsonNode created = group(alice, "web");
    String id = created.get("id").asText();
    assertThat(created.get("tenant_id").asText()).isEqualTo(aliceProject);
    assertThat(created.get("project_id").asText()).isEqualTo(aliceProject);
    assertThat(created.get("description").asText()).isEmpty();
    assertThat(created.get("stateful").asBoolean()).isTrue();
    assertThat(created.get("tags")).isEmpty();
    assertThat(created.get("revision_number").asLong()).isEqualTo(1);
    assertThat(created.get("created_at").asText()).matches(TIMESTAMP);
    assertThat(created.get("updated_at").asText()).matches(TIMESTAMP);
    JsonNode rules = created.get("security_group_rules");
    assertThat(rules).hasSize(2);
    assertThat(rules.findValuesAsText("direction")).containsOnly("egress");
    assertThat(rules.findValuesAsText("ethertype")).containsExactlyInAnyOrder("IPv4", "IPv6");
    JsonNode rule = rules.get(0);
    for (String field :
        new String[] {"id", "security_group_id", "direction", "ethertype", "protocol", "port_range_min",
          "port_range_max", "remote_ip_prefix", "remote_group_id", "remote_address_group_id",
          "normalized_cidr", "description", "project_id", "tenant_id", "created_at", "updated_at",
          "revision_number"}) {
      assertThat(rule.has(field)).as(field).isTrue();
    }

    Api.Response shown = alice.get(GROUPS + "/" + id + "?fields=name&fields=id");
    assertThat(shown.status()).isEqualTo(200);
    assertThat(shown.json().get("security_group").size()).isEqualTo(2);
    assertThat(shown.json().at("/security_group/name").asText()).isEqualTo("web");

    Api.Response updated =
        alice.put(GROUPS + "/" + id, "{\"security_group\": {\"name\": \"www\", \"description\": \"front\"}}");
    assertThat(updated.status()).as(updated.body()).isEqualTo(200);
    assertThat(updated.json().at("/security_group/name").asText()).isEqualTo("www");
    assertThat(updated.json().at("/security_group/description").asText()).isEqualTo("front");
    assertThat(updated.json().at("/security_group/revision_number").asLong()).isEqualTo(2);
    assertFault(
        alice.put(GROUPS + "/" + id, "{\"security_group\": {\"project_id\": \"x\"}}"),
        400, "HTTPBadRequest", "project_id");

    assertThat(alice.delete(GROUPS + "/" + id).status()).isEqualTo(204);
    assertFault(alice.get(GROUPS + "/" + id), 404, "SecurityGroupNotFound", id);
    assertFault(alice.delete(GROUPS + "/" + id), 404, "SecurityGroupNotFound", id);
  }

  @Test
  void ruleCreateNormalizesAndRejectsDuplicates() {
    String id = group(alice, "ssh").get("id").asText();
    Api.Response created =
        rule(alice, id,
            "\"direction\": \"ingress\", \"protocol\": \"tcp\", \"port_range_min\": 22,"
                + " \"port_range_max\": 22, \"remote_ip_prefix\": \"10.1.2.3/16\"");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonNode r = created.json().get("security_group_rule");
    String ruleId = r.get("id").asText();
    assertThat(r.get("ethertype").asText()).isEqualTo("IPv4");
    assertThat(r.get("protocol").asText()).isEqualTo("tcp");
    assertThat(r.get("port_range_min").asInt()).isEqualTo(22);
    assertThat(r.get("remote_ip_prefix").asText()).isEqualTo("10.1.2.3/16");
    assertThat(r.get("normalized_cidr").asText()).isEqualTo("10.1.0.0/16");
    assertThat(r.get("remote_address_group_id").isNull()).isTrue();
    assertThat(r.get("project_id").asText()).isEqualTo(aliceProject);

    assertFault(
        rule(alice, id,
            "\"direction\": \"ingress\", \"protocol\": \"6\", \"port_range_min\": \"22\","
                + " \"port_range_max\": 22, \"remote_ip_prefix\": \"10.1.2.3/16\""),
        409, "SecurityGroupRuleExists", ruleId);

    JsonNode host =
        rule(alice, id, "\"direction\": \"egress\", \"ethertype\": \"IPv6\", \"remote_ip_prefix\": \"fd00::1\","
            + " \"protocol\": \"icmp\"").json().get("security_group_rule");
    assertThat(host.get("remote_ip_prefix").asText()).isEqualTo("fd00::1/128");
    assertThat(host.get("protocol").asText()).isEqualTo("ipv6-icmp");

    Api.Response listed = alice.get(RULES + "?security_group_id=" + id + "&direction=ingress");
    assertThat(listed.json().get("security_group_rules").findValuesAsText("id")).containsExactly(ruleId);
    assertThat(alice.get(RULES + "/" + ruleId).json().at("/security_group_rule/id").asText()).isEqualTo(ruleId);
    // The group counts a revision for each change of its rules.
    assertThat(alice.get(GROUPS + "/" + id).json().at("/security_group/revision_number").asLong())
        .isEqualTo(3);

    assertThat(alice.delete(RULES + "/" + ruleId).status()).isEqualTo(204);
    assertFault(alice.get(RULES + "/" + ruleId), 404, "SecurityGroupRuleNotFound", ruleId);
  }

  @Test
  void badRulesAre400sThatNameTheProblem() {
    String id = group(alice, "strict").get("id").asText();
    String other = group(alice, "other").get("id").asText();
    assertFault(rule(alice, id, "\"direction\": \"sideways\""), 400, "HTTPBadRequest", "direction", "sideways");
    assertFault(rule(alice, id, "\"ethertype\": \"IPv4\""), 400, "HTTPBadRequest", "direction");
    assertFault(
        rule(alice, id, "\"direction\": \"ingress\", \"protocol\": \"tcp\", \"port_range_min\": 90, \"port_range_max\": 80"),
        400, "SecurityGroupInvalidPortRange", "port_range_min must be <= port_range_max");
    assertFault(
        rule(alice, id, "\"direction\": \"ingress\", \"protocol\": \"tcp\", \"port_range_min\": 0, \"port_range_max\": 80"),
        400, "SecurityGroupInvalidPortValue", "port 0");
    assertFault(
        rule(alice, id, "\"direction\": \"ingress\", \"protocol\": \"udp\", \"port_range_min\": 70000, \"port_range_max\": 70000"),
        400, "SecurityGroupInvalidPortValue", "70000");
    assertFault(
        rule(alice, id, "\"direction\": \"ingress\", \"port_range_min\": 22, \"port_range_max\": 22"),
        400, "SecurityGroupProtocolRequiredWithPorts");
    assertFault(
        rule(alice, id, "\"direction\": \"ingress\", \"protocol\": \"icmp\", \"port_range_min\": 300"),
        400, "SecurityGroupInvalidIcmpValue", "type", "300");
    assertFault(
        rule(alice, id, "\"direction\": \"ingress\", \"protocol\": \"gre\", \"port_range_min\": 5, \"port_range_max\": 5"),
        400, "SecurityGroupInvalidProtocolForPort", "47");
    assertFault(
        rule(alice, id, "\"direction\": \"ingress\", \"protocol\": \"carrier-pigeon\""),
        400, "SecurityGroupRuleInvalidProtocol", "carrier-pigeon");
    assertFault(
        rule(alice, id, "\"direction\": \"ingress\", \"ethertype\": \"IPv6\", \"remote_ip_prefix\": \"10.0.0.0/8\""),
        400, "SecurityGroupRuleParameterConflict", "IPv6", "10.0.0.0/8");
    assertFault(
        rule(alice, id, "\"direction\": \"ingress\", \"remote_ip_prefix\": \"10.0.0.0/33\""),
        400, "InvalidCIDR", "10.0.0.0/33");
    assertFault(
        rule(alice, id, "\"direction\": \"ingress\", \"remote_ip_prefix\": \"10.0.0.0/8\", \"remote_group_id\": \"" + other + "\""),
        400, "SecurityGroupMultipleRemoteEntites", "remote_ip_prefix", "remote_group_id");
    assertFault(
        rule(alice, id, "\"direction\": \"ingress\", \"ethertype\": \"IPv4\", \"protocol\": \"ipv6-icmp\""),
        400, "SecurityGroupEthertypeConflictWithProtocol");
    assertFault(
        rule(alice, id, "\"direction\": \"ingress\", \"ethertype\": \"IPv5\""),
        400, "SecurityGroupRuleInvalidEtherType", "IPv5");
    assertFault(
        rule(alice, id, "\"direction\": \"ingress\", \"port\": 22"), 400, "HTTPBadRequest", "port");
    assertFault(
        rule(alice, id, "\"direction\": \"ingress\", \"remote_group_id\": \"no-such-group\""),
        404, "SecurityGroupNotFound", "no-such-group");
    assertFault(
        alice.post(GROUPS, "{\"security_group\": {\"name\": \"x\", \"colour\": \"red\"}}"),
        400, "HTTPBadRequest", "colour");
    // Nothing of the above was stored.
    assertThat(alice.get(GROUPS + "/" + id).json().at("/security_group/security_group_rules")).hasSize(2);
  }

  @Test
  void projectsSeeOnlyTheirOwnGroupsAndRules() {
    JsonNode secret = group(alice, "secret");
    String id = secret.get("id").asText();
    String ruleId = secret.at("/security_group_rules/0/id").asText();

    assertFault(bob.get(GROUPS + "/" + id), 404, "SecurityGroupNotFound", id);
    assertFault(bob.put(GROUPS + "/" + id, "{\"security_group\": {\"name\": \"mine\"}}"), 404, "SecurityGroupNotFound");
    assertFault(bob.delete(GROUPS + "/" + id), 404, "SecurityGroupNotFound");
    assertFault(bob.get(RULES + "/" + ruleId), 404, "SecurityGroupRuleNotFound");
    assertFault(bob.delete(RULES + "/" + ruleId), 404, "SecurityGroupRuleNotFound");
    assertFault(rule(bob, id, "\"direction\": \"ingress\""), 404, "SecurityGroupNotFound", id);
    JsonNode bobs = bob.get(GROUPS).json().get("security_groups");
    assertThat(bobs.findValuesAsText("id")).doesNotContain(id);
    assertThat(bobs.findValuesAsText("project_id")).containsOnly(bobProject);
    assertThat(bob.get(RULES).json().get("security_group_rules").findValuesAsText("id")).doesNotContain(ruleId);
    // Bob cannot name Alice's group as a rule's remote either.
    String bobGroup = group(bob, "bobs").get("id").asText();
    assertFault(
        rule(bob, bobGroup, "\"direction\": \"ingress\", \"remote_group_id\": \"" + id + "\""),
        404, "SecurityGroupNotFound", id);
    // Nor create in Alice's project.
    Api.Response foreign =
        bob.post(GROUPS, "{\"security_group\": {\"name\": \"x\", \"project_id\": \"" + aliceProject + "\"}}");
    assertThat(foreign.status()).as(foreign.body()).isEqualTo(400);
    assertThat(foreign.json().at("/NeutronError/message").asText()).contains("requires admin privileges");

    // The admin sees every project's groups and may create in another project.
    assertThat(admin.get(GROUPS).json().get("security_groups").findValuesAsText("id")).contains(id, bobGroup);
    Api.Response forBob =
        admin.post(GROUPS, "{\"security_group\": {\"name\": \"given\", \"tenant_id\": \"" + bobProject + "\"}}");
    assertThat(forBob.status()).as(forBob.body()).isEqualTo(201);
    assertThat(forBob.json().at("/security_group/project_id").asText()).isEqualTo(bobProject);
    assertThat(bob.get(GROUPS + "?name=given").json().get("security_groups")).hasSize(1);
    assertFault(
        admin.post(GROUPS, "{\"security_group\": {\"name\": \"y\", \"tenant_id\": \"a\", \"project_id\": \"b\"}}"),
        400, "HTTPBadRequest", "do not match");
  }

  @Test
  void listsPageAndFilter() {
    for (int i = 0; i < 3; i++) {
      group(alice, "paged");
    }
    Api.Response page = alice.get(GROUPS + "?name=paged&limit=2");
    assertThat(page.json().get("security_groups")).hasSize(2);
    String next = page.json().at("/security_groups_links/0/href").asText();
    assertThat(next).contains("marker=");
    Api.Response rest = alice.withHeader("Accept", "application/json").get(next.substring(kiln.baseUrl().length()) + "&name=paged");
    assertThat(rest.json().get("security_groups")).hasSize(1);
    assertThat(alice.get(GROUPS + "?fields=id").json().at("/security_groups/0").size()).isEqualTo(1);
  }
}
