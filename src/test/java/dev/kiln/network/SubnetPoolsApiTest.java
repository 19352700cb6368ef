package dev.kiln.network;

import static dev.kiln.testing.Cloud.NET;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.OpenStackCli;
import dev.kiln.testing.Race;
import dev.kiln.testing.Tenant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Subnet pools and address scopes, over HTTP and through the real openstack client. */
class SubnetPoolsApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static Tenant tenant;
  private static Api member;

  @BeforeAll
  static void start() {
    admin = kiln.admin();
    tenant = Tenant.create(kiln, admin, "pools", "pool-user");
    member = tenant.api();
  }

  private static JsonNode pool(Api api, String body) {
    return api.post(NET + "/subnetpools", "{\"subnetpool\": " + body + "}").expect(201).get("subnetpool");
  }

  private static Api.Response subnetFrom(String network, String extra) {
    return member.post(NET + "/subnets", "{\"subnet\": {\"network_id\": \"" + network + "\", \"ip_version\": 4" + extra + "}}");
  }

  @Test
  void subnetsAreCutFromThePoolsPrefixes() {
    JsonNode pool = pool(member, "{\"name\": \"p1\", \"prefixes\": [\"10.50.0.0/24\", \"10.50.1.0/24\"], \"default_prefixlen\": 26}");
    String id = pool.get("id").asText();
    assertThat(pool.get("prefixes").toString()).isEqualTo("[\"10.50.0.0/23\"]");
    assertThat(pool.get("min_prefixlen").asInt()).isEqualTo(8);
    assertThat(pool.get("max_prefixlen").asInt()).isEqualTo(32);
    assertThat(pool.get("ip_version").asInt()).isEqualTo(4);
    String net = RoutersApiTest.network(member, "pooled");

    JsonNode first = subnetFrom(net, ", \"subnetpool_id\": \"" + id + "\"").expect(201).get("subnet");
    assertThat(first.get("cidr").asText()).isEqualTo("10.50.0.0/26");
    assertThat(first.get("subnetpool_id").asText()).isEqualTo(id);
    assertThat(first.get("gateway_ip").asText()).isEqualTo("10.50.0.1");
    String otherNet = RoutersApiTest.network(member, "pooled-2");
    JsonNode sized = subnetFrom(otherNet, ", \"subnetpool_id\": \"" + id + "\", \"prefixlen\": 28").expect(201).get("subnet");
    assertThat(sized.get("cidr").asText()).as("the smallest free space first").isEqualTo("10.50.0.64/28");
    String third = RoutersApiTest.network(member, "pooled-3");
    JsonNode specific = subnetFrom(third, ", \"subnetpool_id\": \"" + id + "\", \"cidr\": \"10.50.1.0/24\"").expect(201).get("subnet");
    assertThat(specific.get("cidr").asText()).isEqualTo("10.50.1.0/24");

    Api.Response taken = subnetFrom(RoutersApiTest.network(member, "pooled-4"), ", \"subnetpool_id\": \"" + id + "\", \"cidr\": \"10.50.1.0/25\"");
    assertThat(taken.status()).isEqualTo(409);
    assertThat(taken.json().at("/NeutronError/message").asText())
        .isEqualTo("Failed to allocate subnet: Cannot allocate requested subnet from the available set of prefixes.");
    Api.Response tooBig = subnetFrom(RoutersApiTest.network(member, "pooled-5"), ", \"subnetpool_id\": \"" + id + "\", \"prefixlen\": 23");
    assertThat(tooBig.status()).isEqualTo(409);
    assertThat(tooBig.json().at("/NeutronError/message").asText()).contains("Insufficient prefix space to allocate subnet size /23");

    Api.Response inUse = member.delete(NET + "/subnetpools/" + id);
    assertThat(inUse.status()).isEqualTo(400);
    Api.Response shrink = member.put(NET + "/subnetpools/" + id, "{\"subnetpool\": {\"prefixes\": [\"10.50.0.0/24\"]}}");
    assertThat(shrink.status()).isEqualTo(400);
    assertThat(shrink.json().at("/NeutronError/type").asText()).isEqualTo("IllegalSubnetPoolPrefixUpdate");
    JsonNode grown = member.put(NET + "/subnetpools/" + id, "{\"subnetpool\": {\"prefixes\": [\"10.50.0.0/23\", \"10.60.0.0/24\"]}}")
        .expect(200).get("subnetpool");
    assertThat(grown.get("prefixes")).hasSize(2);
    assertThat(grown.get("revision_number").asInt()).isEqualTo(2);
  }

  @Test
  void twentyRacingSubnetsFromAPoolWithRoomForSixteenGetDistinctPrefixes() {
    String id = pool(member, "{\"name\": \"race\", \"prefixes\": [\"10.70.0.0/24\"], \"default_prefixlen\": 28}").get("id").asText();
    String net = RoutersApiTest.network(member, "race-net");
    List<Api.Response> answers = Race.run(20, i -> subnetFrom(net, ", \"subnetpool_id\": \"" + id + "\""));
    Set<String> cidrs = new HashSet<>();
    for (Api.Response a : answers) {
      if (a.status() == 201) {
        cidrs.add(a.json().at("/subnet/cidr").asText());
      } else {
        assertThat(a.status()).as(a.body()).isEqualTo(409);
      }
    }
    assertThat(cidrs).hasSize(16);
    assertThat(answers.stream().filter(a -> a.status() == 409)).hasSize(4);
  }

  @Test
  void theDefaultPoolServesUseDefaultSubnetpoolAndBoundsAreChecked() {
    Api.Response notAdmin = member.post(NET + "/subnetpools", "{\"subnetpool\": {\"name\": \"d\", \"prefixes\": [\"10.90.0.0/16\"], \"is_default\": true}}");
    assertThat(notAdmin.status()).isEqualTo(403);
    pool(admin, "{\"name\": \"default-v4\", \"prefixes\": [\"10.90.0.0/16\"], \"default_prefixlen\": 24, \"is_default\": true, \"shared\": true}");
    Api.Response second = admin.post(NET + "/subnetpools", "{\"subnetpool\": {\"name\": \"d2\", \"prefixes\": [\"10.91.0.0/16\"], \"is_default\": true}}");
    assertThat(second.status()).isEqualTo(400);
    String net = RoutersApiTest.network(member, "defaulted");
    JsonNode subnet = subnetFrom(net, ", \"use_default_subnetpool\": true").expect(201).get("subnet");
    assertThat(subnet.get("cidr").asText()).isEqualTo("10.90.0.0/24");
    Api.Response noCidr = subnetFrom(net, "");
    assertThat(noCidr.status()).isEqualTo(400);

    Api.Response bounds = member.post(NET + "/subnetpools", "{\"subnetpool\": {\"name\": \"b\", \"prefixes\": [\"10.92.0.0/16\"], \"min_prefixlen\": 24, \"default_prefixlen\": 20}}");
    assertThat(bounds.status()).isEqualTo(400);
    assertThat(bounds.json().at("/NeutronError/message").asText()).contains("Illegal prefix bounds");
    Api.Response mixed = member.post(NET + "/subnetpools", "{\"subnetpool\": {\"name\": \"m\", \"prefixes\": [\"10.93.0.0/16\", \"fd00::/48\"]}}");
    assertThat(mixed.status()).isEqualTo(400);
    assertThat(mixed.json().at("/NeutronError/message").asText()).isEqualTo("Cannot mix IPv4 and IPv6 prefixes in a subnet pool.");
  }

  @Test
  void addressScopesHoldPoolsOfTheirVersion() {
    String scope = member.post(NET + "/address-scopes", "{\"address_scope\": {\"name\": \"s4\", \"ip_version\": 4}}")
        .expect(201).at("/address_scope/id").asText();
    JsonNode pool = pool(member, "{\"name\": \"scoped\", \"prefixes\": [\"10.95.0.0/16\"], \"address_scope_id\": \"" + scope + "\"}");
    assertThat(pool.get("address_scope_id").asText()).isEqualTo(scope);
    String v6 = member.post(NET + "/address-scopes", "{\"address_scope\": {\"name\": \"s6\", \"ip_version\": 6}}")
        .expect(201).at("/address_scope/id").asText();
    Api.Response wrongFamily = member.post(NET + "/subnetpools", "{\"subnetpool\": {\"name\": \"x\", \"prefixes\": [\"10.96.0.0/16\"], \"address_scope_id\": \"" + v6 + "\"}}");
    assertThat(wrongFamily.status()).isEqualTo(400);
    Api.Response inUse = member.delete(NET + "/address-scopes/" + scope);
    assertThat(inUse.status()).isEqualTo(409);
    assertThat(inUse.json().at("/NeutronError/type").asText()).isEqualTo("AddressScopeInUse");
    member.delete(NET + "/subnetpools/" + pool.get("id").asText()).expect(204);
    member.delete(NET + "/address-scopes/" + scope).expect(204);
  }

  @Test
  void subnetPoolsThroughTheOpenstackClient() {
    OpenStackCli cli = tenant.cli(kiln.authUrl());
    JsonNode pool = cli.json("subnet", "pool", "create", "--pool-prefix", "10.120.0.0/16", "--default-prefix-length", "24", "cli-pool");
    assertThat(pool.get("default_prefixlen").asInt()).isEqualTo(24);
    cli.json("network", "create", "cli-pooled");
    JsonNode subnet = cli.json("subnet", "create", "--network", "cli-pooled", "--subnet-pool", "cli-pool", "cli-pooled-1");
    assertThat(subnet.get("cidr").asText()).isEqualTo("10.120.0.0/24");
    JsonNode sized =
        cli.json("subnet", "create", "--network", "cli-pooled", "--subnet-pool", "cli-pool", "--prefix-length", "26", "cli-pooled-2");
    assertThat(sized.get("cidr").asText()).isEqualTo("10.120.1.0/26");
    cli.ok("subnet", "pool", "set", "--pool-prefix", "10.121.0.0/16", "cli-pool");
    assertThat(cli.json("subnet", "pool", "show", "cli-pool").get("prefixes").toString()).as("merged, as Neutron compacts them").contains("10.120.0.0/15");
    assertThat(cli.run("subnet", "pool", "delete", "cli-pool").exitCode()).isNotZero();
    cli.ok("subnet", "delete", "cli-pooled-1", "cli-pooled-2");
    cli.ok("subnet", "pool", "delete", "cli-pool");
    JsonNode scope = cli.json("address", "scope", "create", "--ip-version", "4", "cli-scope");
    assertThat(scope.get("ip_version").asInt()).isEqualTo(4);
    cli.ok("address", "scope", "delete", "cli-scope");
  }
}
