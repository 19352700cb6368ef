package dev.kiln.network;

import static dev.kiln.testing.Cloud.NET;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Race;
import dev.kiln.testing.Tenant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Neutron's quotas over HTTP: show, defaults, details, update, reset, and OverQuota on create. */
class NetworkQuotasApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static String adminProject;
  private static int projects;

  @BeforeAll
  static void start() {
    admin = kiln.admin();
    adminProject = admin.get("/identity/v3/projects?name=admin").json().at("/projects/0/id").asText();
  }

  private static Tenant tenant() {
    String name = "netquota-" + (++projects);
    return Tenant.create(kiln, admin, name, name + "-user");
  }

  private static Api.Response network(Api api, String name) {
    return api.post(NET + "/networks", "{\"network\": {\"name\": \"" + name + "\"}}");
  }

  @Test
  void aProjectWithoutLimitsHasNeutronsDefaults() {
    Tenant t = tenant();
    JsonNode quota = t.api().get(NET + "/quotas/" + t.projectId()).expect(200).get("quota");
    assertThat(quota.get("network").asInt()).isEqualTo(100);
    assertThat(quota.get("subnet").asInt()).isEqualTo(100);
    assertThat(quota.get("port").asInt()).isEqualTo(500);
    assertThat(quota.get("router").asInt()).isEqualTo(10);
    assertThat(quota.get("floatingip").asInt()).isEqualTo(50);
    assertThat(quota.get("security_group").asInt()).isEqualTo(10);
    assertThat(quota.get("security_group_rule").asInt()).isEqualTo(100);
    assertThat(quota.get("rbac_policy").asInt()).isEqualTo(10);
    assertThat(quota.get("subnetpool").asInt()).isEqualTo(-1);
    JsonNode defaults = t.api().get(NET + "/quotas/" + t.projectId() + "/default").expect(200).get("quota");
    assertThat(defaults.get("port").asInt()).isEqualTo(500);
    // As Neutron: one project's quota is its resources alone, equal to the defaults until changed.
    assertThat(quota).isEqualTo(defaults);
    // Neutron takes a .json format suffix on any path.
    assertThat(t.api().get(NET + "/quotas/" + t.projectId() + "/details.json").expect(200).at("/quota/port/limit").asInt())
        .isEqualTo(500);
    assertThat(t.api().get(NET + "/networks.json").expect(200).has("networks")).isTrue();
  }

  @Test
  void detailsCountTheProjectsResources() {
    Tenant t = tenant();
    String net = network(t.api(), "n").expect(201).at("/network/id").asText();
    t.api().post(NET + "/subnets", "{\"subnet\": {\"network_id\": \"" + net + "\", \"ip_version\": 4, \"cidr\": \"10.3.0.0/24\"}}").expect(201);
    t.api().post(NET + "/ports", "{\"port\": {\"network_id\": \"" + net + "\"}}").expect(201);
    JsonNode quota = t.api().get(NET + "/quotas/" + t.projectId() + "/details").expect(200).get("quota");
    assertThat(quota.at("/network/used").asInt()).isEqualTo(1);
    assertThat(quota.at("/network/limit").asInt()).isEqualTo(100);
    assertThat(quota.at("/network/reserved").asInt()).isZero();
    assertThat(quota.at("/subnet/used").asInt()).isEqualTo(1);
    assertThat(quota.at("/port/used").asInt()).isEqualTo(1);
    assertThat(quota.at("/router/used").asInt()).isZero();
  }

  @Test
  void anAdminSetsListsAndResetsLimits() {
    Tenant t = tenant();
    JsonNode updated = admin.put(NET + "/quotas/" + t.projectId(), "{\"quota\": {\"network\": 3, \"port\": \"-1\"}}").expect(200).get("quota");
    assertThat(updated.get("network").asInt()).isEqualTo(3);
    assertThat(updated.get("port").asInt()).isEqualTo(-1);
    assertThat(updated.get("subnet").asInt()).isEqualTo(100);
    assertThat(t.api().get(NET + "/quotas/" + t.projectId()).expect(200).at("/quota/network").asInt()).isEqualTo(3);

    JsonNode listed = admin.get(NET + "/quotas").expect(200).get("quotas");
    JsonNode mine = null;
    for (JsonNode q : listed) {
      if (q.get("project_id").asText().equals(t.projectId())) {
        mine = q;
      }
    }
    assertThat(mine).as(listed.toString()).isNotNull();
    assertThat(mine.get("network").asInt()).isEqualTo(3);
    assertThat(mine.get("tenant_id").asText()).isEqualTo(t.projectId());

    assertThat(admin.delete(NET + "/quotas/" + t.projectId()).status()).isEqualTo(204);
    assertThat(t.api().get(NET + "/quotas/" + t.projectId()).expect(200).at("/quota/network").asInt()).isEqualTo(100);
    assertThat(admin.get(NET + "/quotas").expect(200).get("quotas").toString()).doesNotContain(t.projectId());
  }

  @Test
  void badLimitsAreRefusedAndChangeNothing() {
    Tenant t = tenant();
    String path = NET + "/quotas/" + t.projectId();
    Api.Response small = admin.put(path, "{\"quota\": {\"network\": -2}}");
    assertThat(small.status()).isEqualTo(400);
    assertThat(small.json().at("/NeutronError/message").asText())
        .isEqualTo("Invalid input for operation: Invalid input for network. Reason: '-2' is too small - must be at least '-1'.");
    assertThat(admin.put(path, "{\"quota\": {\"network\": \"lots\"}}").json().at("/NeutronError/message").asText())
        .isEqualTo("Invalid input for operation: 'lots' is not an integer.");
    assertThat(admin.put(path, "{\"quota\": {\"network\": 2147483648}}").status()).isEqualTo(400);
    assertThat(admin.put(path, "{\"quota\": {\"subnet\": 5, \"widgets\": 1}}").json().at("/NeutronError/message").asText())
        .isEqualTo("Unrecognized attribute(s) 'widgets'");
    assertThat(admin.put(path, "{\"quotas\": {}}").status()).isEqualTo(400);
    assertThat(admin.get(path).expect(200).at("/quota/subnet").asInt()).isEqualTo(100);
  }

  @Test
  void aLimitBelowUsageIsRefusedUnlessForced() {
    Tenant t = tenant();
    network(t.api(), "a").expect(201);
    network(t.api(), "b").expect(201);
    Api.Response refused = admin.put(NET + "/quotas/" + t.projectId(), "{\"quota\": {\"network\": 1}}");
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().at("/NeutronError/message").asText())
        .isEqualTo("Quota limit 1 for network must be greater than or equal to already used 2");
    admin.put(NET + "/quotas/" + t.projectId(), "{\"quota\": {\"network\": 1, \"force\": true}}").expect(200);
    assertThat(t.api().get(NET + "/quotas/" + t.projectId()).expect(200).at("/quota/network").asInt()).isEqualTo(1);
  }

  @Test
  void membersSeeOnlyTheirOwnQuotasAndChangeNone() {
    Tenant t = tenant();
    Api.Response other = t.api().get(NET + "/quotas/" + adminProject);
    assertThat(other.status()).isEqualTo(403);
    assertThat(other.json().at("/NeutronError/type").asText()).isEqualTo("PolicyNotAuthorized");
    Api.Response details = t.api().get(NET + "/quotas/" + adminProject + "/details");
    assertThat(details.status()).isEqualTo(403);
    assertThat(details.json().at("/NeutronError/message").asText())
        .isEqualTo("User does not have admin privileges: Only admin is authorized to access quotas for another project.");
    assertThat(t.api().get(NET + "/quotas").status()).isEqualTo(403);
    assertThat(t.api().put(NET + "/quotas/" + t.projectId(), "{\"quota\": {\"network\": 500}}").status()).isEqualTo(403);
    assertThat(t.api().delete(NET + "/quotas/" + t.projectId()).status()).isEqualTo(403);
  }

  @Test
  void creatingBeyondAQuotaIsOverQuota() {
    Tenant t = tenant();
    admin.put(NET + "/quotas/" + t.projectId(), "{\"quota\": {\"network\": 1, \"subnet\": 1, \"port\": 1}}").expect(200);
    String net = network(t.api(), "only").expect(201).at("/network/id").asText();
    Api.Response second = network(t.api(), "second");
    assertThat(second.status()).isEqualTo(409);
    assertThat(second.json().at("/NeutronError/type").asText()).isEqualTo("OverQuota");
    assertThat(second.json().at("/NeutronError/message").asText()).isEqualTo("Quota exceeded for resources: ['network'].");

    t.api().post(NET + "/subnets", "{\"subnet\": {\"network_id\": \"" + net + "\", \"ip_version\": 4, \"cidr\": \"10.4.0.0/24\"}}").expect(201);
    assertThat(t.api().post(NET + "/subnets", "{\"subnet\": {\"network_id\": \"" + net + "\", \"ip_version\": 4, \"cidr\": \"10.5.0.0/24\"}}")
        .json().at("/NeutronError/message").asText()).isEqualTo("Quota exceeded for resources: ['subnet'].");
    t.api().post(NET + "/ports", "{\"port\": {\"network_id\": \"" + net + "\"}}").expect(201);
    assertThat(t.api().post(NET + "/ports", "{\"port\": {\"network_id\": \"" + net + "\"}}").status()).isEqualTo(409);
    assertThat(t.api().get(NET + "/networks").expect(200).get("networks")).hasSize(1);
    assertThat(t.api().get(NET + "/ports").expect(200).get("ports")).hasSize(1);
  }

  @Test
  void concurrentCreatesNeverExceedTheQuota() {
    Tenant t = tenant();
    admin.put(NET + "/quotas/" + t.projectId(), "{\"quota\": {\"network\": 3}}").expect(200);
    List<Integer> statuses = Race.run(8, i -> network(t.api(), "racer-" + i).status());
    assertThat(statuses).filteredOn(s -> s == 201).hasSize(3);
    assertThat(statuses).filteredOn(s -> s == 409).hasSize(5);
    assertThat(t.api().get(NET + "/networks").expect(200).get("networks")).hasSize(3);
  }
}
