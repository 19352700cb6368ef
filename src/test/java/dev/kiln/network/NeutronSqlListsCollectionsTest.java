package dev.kiln.network;

import static dev.kiln.network.NeutronSqlListsTest.assertSameBothWays;
import static dev.kiln.testing.Cloud.NET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.Api;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Tenant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Networks, subnets, routers, floating IPs and security groups listed by the database: the same
 * pages, order, links and bodies as the list filtered over rendered resources, for a member (who
 * sees its own, the shared and the external) and for an admin (who sees all).
 */
class NeutronSqlListsCollectionsTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static Api member;
  private static String external;

  @BeforeAll
  static void resources() {
    admin = kiln.admin();
    Tenant tenant = Tenant.create(kiln, admin, "sql-colls", "sql-colls-user");
    member = tenant.api();
    admin.put(NET + "/quotas/" + tenant.projectId(), "{\"quota\": {\"security_group\": -1, \"network\": -1,"
        + " \"subnet\": -1, \"router\": -1, \"floatingip\": -1, \"port\": -1}}").expect(200);
    Api stranger = Tenant.create(kiln, admin, "sql-colls-other", "sql-colls-other").api();
    external = admin.post(NET + "/networks", "{\"network\": {\"name\": \"ext\", \"router:external\": true}}")
        .expect(201).at("/network/id").asText();
    admin.post(NET + "/subnets", "{\"subnet\": {\"network_id\": \"" + external + "\", \"ip_version\": 4,"
        + " \"cidr\": \"198.51.100.0/24\"}}").expect(201);
    admin.post(NET + "/networks", "{\"network\": {\"name\": \"n-shared\", \"shared\": true}}").expect(201);
    stranger.post(NET + "/networks", "{\"network\": {\"name\": \"n-1\"}}").expect(201);
    for (int i = 0; i < 24; i++) {
      String net = member.post(NET + "/networks", "{\"network\": {\"name\": \"n-" + i % 4 + "\", \"admin_state_up\": "
          + (i % 5 != 0) + (i % 3 == 0 ? ", \"tags\": [\"t" + i % 2 + "\"]" : "") + "}}").expect(201).at("/network/id").asText();
      if (i % 2 == 0) {
        member.post(NET + "/subnets", "{\"subnet\": {\"network_id\": \"" + net + "\", \"ip_version\": 4, \"name\": \"s-"
            + i % 3 + "\", \"cidr\": \"10.9." + i + ".0/24\"" + (i % 4 == 0 ? ", \"gateway_ip\": null" : "") + "}}").expect(201);
      }
      member.post(NET + "/routers", "{\"router\": {\"name\": \"r-" + i % 3 + "\", \"admin_state_up\": " + (i % 4 != 0)
          + "}}").expect(201);
      member.post(NET + "/security-groups", "{\"security_group\": {\"name\": \"g-" + i % 5 + "\"}}").expect(201);
      member.post(NET + "/floatingips", "{\"floatingip\": {\"floating_network_id\": \"" + external + "\", \"description\": \"f-"
          + i % 2 + "\"}}").expect(201);
    }
  }

  @Test
  void networkListsMatchTheRenderedList() {
    for (Api api : List.of(member, admin)) {
      for (String query : List.of(
          "limit=5", "name=n-1", "name=n-1&name=n-2&sort_key=name&sort_dir=desc&limit=4", "admin_state_up=false",
          "sort_key=mtu&sort_key=name&limit=7&page_reverse=true", "tags-any=t0,t1&limit=3", "not-tags=t1",
          "id=" + external, "project_id=nobody")) {
        assertSameBothWays(api, "networks", query);
      }
    }
  }

  @Test
  void subnetListsMatchTheRenderedList() {
    for (Api api : List.of(member, admin)) {
      for (String query : List.of(
          "limit=4", "name=s-1", "sort_key=cidr&sort_dir=desc&limit=5", "gateway_ip=None", "gateway_ip=10.9.2.1",
          "ip_version=4&enable_dhcp=True&limit=3", "network_id=" + external, "subnetpool_id=", "ip_version=04")) {
        assertSameBothWays(api, "subnets", query);
      }
    }
  }

  @Test
  void routerListsMatchTheRenderedList() {
    for (Api api : List.of(member, admin)) {
      for (String query : List.of(
          "limit=10", "name=r-2&sort_key=admin_state_up&limit=3", "admin_state_up=False", "sort_key=name&sort_dir=desc",
          "limit=4&page_reverse=1")) {
        assertSameBothWays(api, "routers", query);
      }
    }
  }

  @Test
  void floatingIpListsMatchTheRenderedList() {
    for (Api api : List.of(member, admin)) {
      for (String query : List.of(
          "limit=10", "description=f-1&limit=4", "port_id=None", "port_id=", "router_id=x",
          "sort_key=floating_ip_address&sort_dir=desc&limit=6", "floating_network_id=" + external + "&limit=30")) {
        assertSameBothWays(api, "floatingips", query);
      }
    }
  }

  @Test
  void securityGroupListsMatchTheRenderedList() {
    for (Api api : List.of(member, admin)) {
      for (String query : List.of(
          "limit=10", "name=g-3", "name=default", "sort_key=name&sort_key=id&sort_dir=desc&sort_dir=asc&limit=8",
          "limit=3&page_reverse=true")) {
        assertSameBothWays(api, "security-groups", query);
      }
    }
  }

  @Test
  void aMarkerFromAnotherCollectionIsNotFound() {
    String router = member.get(NET + "/routers?limit=1").expect(200).at("/routers/0/id").asText();
    Api.Response r = member.get(NET + "/networks?limit=2&marker=" + router);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().at("/NeutronError/type").asText()).isEqualTo("MarkerNotFound");
  }
}
