package dev.kiln.compute.quotas;

import static dev.kiln.testing.Cloud.NOVA;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.compute.catalog.SshKeysTest;
import dev.kiln.testing.Api;
import dev.kiln.testing.Await;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Race;
import dev.kiln.testing.Tenant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Nova's quota sets, quota classes and limits over HTTP, and the quota check of a boot. */
class ComputeQuotasApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static String adminProject;
  private static String imageId;
  private static int projects;

  @BeforeAll
  static void start() {
    admin = kiln.admin();
    adminProject = admin.get("/identity/v3/projects?name=admin").json().at("/projects/0/id").asText();
    imageId = Cloud.cirros(admin);
  }

  /** A fresh project with a member user, a network and a subnet. */
  private record Project(String projectId, Api api, String networkId) {}

  private static Project tenant() {
    String name = "quota-" + (++projects);
    Tenant member = Tenant.create(kiln, admin, name, name + "-user");
    return new Project(member.projectId(), member.api(), Cloud.network(member.api(), "net", "10.9.0.0/24"));
  }

  private static Api.Response boot(Project t, String name, String flavor) {
    return t.api().post(
        NOVA + "/servers",
        "{\"server\": {\"name\": \"" + name + "\", \"flavorRef\": \"" + flavor + "\", \"imageRef\": \"" + imageId
            + "\", \"networks\": [{\"uuid\": \"" + t.networkId() + "\"}]}}");
  }

  private static int serverCount(Project t) {
    return t.api().get(NOVA + "/servers").expect(200).get("servers").size();
  }

  private static void setQuota(String project, String body) {
    admin.put(NOVA + "/os-quota-sets/" + project, "{\"quota_set\": " + body + "}").expect(200);
  }

  @Test
  void aProjectWithoutLimitsShowsNovasDefaults() {
    Project t = tenant();
    JsonNode set = t.api().get(NOVA + "/os-quota-sets/" + t.projectId()).expect(200).get("quota_set");
    assertThat(set.get("id").asText()).isEqualTo(t.projectId());
    assertThat(set.get("instances").asInt()).isEqualTo(10);
    assertThat(set.get("cores").asInt()).isEqualTo(20);
    assertThat(set.get("ram").asInt()).isEqualTo(51200);
    assertThat(set.get("key_pairs").asInt()).isEqualTo(100);
    assertThat(set.get("metadata_items").asInt()).isEqualTo(128);
    assertThat(set.get("server_groups").asInt()).isEqualTo(10);
    assertThat(set.get("server_group_members").asInt()).isEqualTo(10);
    assertThat(set.get("injected_files").asInt()).isEqualTo(5);
    assertThat(set.get("injected_file_content_bytes").asInt()).isEqualTo(10240);
    assertThat(set.get("injected_file_path_bytes").asInt()).isEqualTo(255);
    assertThat(set.get("floating_ips").asInt()).isEqualTo(-1);
    assertThat(set.get("fixed_ips").asInt()).isEqualTo(-1);
    assertThat(set.get("security_groups").asInt()).isEqualTo(-1);
    assertThat(set.get("security_group_rules").asInt()).isEqualTo(-1);

    JsonNode v236 = t.api().withHeader("OpenStack-API-Version", "compute 2.36").get(NOVA + "/os-quota-sets/" + t.projectId()).expect(200).get("quota_set");
    assertThat(v236.has("floating_ips")).isFalse();
    assertThat(v236.has("security_groups")).isFalse();
    assertThat(v236.has("injected_files")).isTrue();
    JsonNode v257 = t.api().withHeader("OpenStack-API-Version", "compute 2.57").get(NOVA + "/os-quota-sets/" + t.projectId() + "/defaults").expect(200).get("quota_set");
    assertThat(v257.has("injected_files")).isFalse();
    assertThat(v257.has("fixed_ips")).isFalse();
    assertThat(v257.get("instances").asInt()).isEqualTo(10);
  }

  @Test
  void detailCountsTheProjectsServers() {
    Project t = tenant();
    boot(t, "a", "3").expect(202); // m1.medium: 2 vCPUs, 4096 MB
    boot(t, "b", "1").expect(202); // m1.tiny: 1 vCPU, 512 MB
    JsonNode set = t.api().get(NOVA + "/os-quota-sets/" + t.projectId() + "/detail").expect(200).get("quota_set");
    assertThat(set.get("id").asText()).isEqualTo(t.projectId());
    assertThat(set.at("/instances/in_use").asInt()).isEqualTo(2);
    assertThat(set.at("/instances/limit").asInt()).isEqualTo(10);
    assertThat(set.at("/instances/reserved").asInt()).isZero();
    assertThat(set.at("/cores/in_use").asInt()).isEqualTo(3);
    assertThat(set.at("/ram/in_use").asInt()).isEqualTo(4608);
    assertThat(set.at("/key_pairs/in_use").asInt()).isZero();

    JsonNode limits = t.api().get(NOVA + "/limits").expect(200).get("limits");
    assertThat(limits.get("rate")).isEmpty();
    JsonNode absolute = limits.get("absolute");
    assertThat(absolute.get("maxTotalInstances").asInt()).isEqualTo(10);
    assertThat(absolute.get("maxTotalCores").asInt()).isEqualTo(20);
    assertThat(absolute.get("maxTotalRAMSize").asInt()).isEqualTo(51200);
    assertThat(absolute.get("maxTotalKeypairs").asInt()).isEqualTo(100);
    assertThat(absolute.get("maxServerMeta").asInt()).isEqualTo(128);
    assertThat(absolute.get("maxImageMeta").asInt()).isEqualTo(128);
    assertThat(absolute.get("maxServerGroups").asInt()).isEqualTo(10);
    assertThat(absolute.get("maxServerGroupMembers").asInt()).isEqualTo(10);
    assertThat(absolute.get("maxPersonality").asInt()).isEqualTo(5);
    assertThat(absolute.get("totalInstancesUsed").asInt()).isEqualTo(2);
    assertThat(absolute.get("totalCoresUsed").asInt()).isEqualTo(3);
    assertThat(absolute.get("totalRAMUsed").asInt()).isEqualTo(4608);
    assertThat(absolute.get("totalServerGroupsUsed").asInt()).isZero();
    assertThat(absolute.get("totalFloatingIpsUsed").asInt()).isZero();

    JsonNode v257 = t.api().withHeader("OpenStack-API-Version", "compute 2.57").get(NOVA + "/limits").expect(200).at("/limits/absolute");
    assertThat(v257.has("maxImageMeta")).isFalse();
    assertThat(v257.has("maxPersonality")).isFalse();
    assertThat(v257.has("totalFloatingIpsUsed")).isFalse();
    assertThat(v257.get("totalInstancesUsed").asInt()).isEqualTo(2);

    JsonNode asAdmin = admin.get(NOVA + "/limits?tenant_id=" + t.projectId()).expect(200).at("/limits/absolute");
    assertThat(asAdmin.get("totalCoresUsed").asInt()).isEqualTo(3);
  }

  @Test
  void anAdminSetsAndDeletesLimits() {
    Project t = tenant();
    JsonNode updated =
        admin.put(NOVA + "/os-quota-sets/" + t.projectId(), "{\"quota_set\": {\"instances\": 5, \"cores\": \"-1\", \"force\": \"True\"}}").expect(200)
            .get("quota_set");
    assertThat(updated.has("id")).isFalse();
    assertThat(updated.get("instances").asInt()).isEqualTo(5);
    assertThat(updated.get("cores").asInt()).isEqualTo(-1);
    assertThat(updated.get("ram").asInt()).isEqualTo(51200);

    JsonNode shown = t.api().get(NOVA + "/os-quota-sets/" + t.projectId()).expect(200).get("quota_set");
    assertThat(shown.get("instances").asInt()).isEqualTo(5);
    assertThat(t.api().get(NOVA + "/limits").expect(200).at("/limits/absolute/maxTotalCores").asInt()).isEqualTo(-1);
    JsonNode defaults = t.api().get(NOVA + "/os-quota-sets/" + t.projectId() + "/defaults").expect(200).get("quota_set");
    assertThat(defaults.get("instances").asInt()).isEqualTo(10);

    Api.Response deleted = admin.delete(NOVA + "/os-quota-sets/" + t.projectId());
    assertThat(deleted.status()).isEqualTo(202);
    assertThat(t.api().get(NOVA + "/os-quota-sets/" + t.projectId()).expect(200).at("/quota_set/instances").asInt()).isEqualTo(10);
  }

  @Test
  void aLimitBelowUsageIsRefusedUnlessForced() {
    Project t = tenant();
    boot(t, "a", "1").expect(202);
    boot(t, "b", "1").expect(202);
    Api.Response refused = admin.put(NOVA + "/os-quota-sets/" + t.projectId(), "{\"quota_set\": {\"instances\": 1}}");
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().at("/badRequest/message").asText())
        .isEqualTo("Quota limit 1 for instances must be greater than or equal to already used and reserved 2.");
    assertThat(t.api().get(NOVA + "/os-quota-sets/" + t.projectId()).expect(200).at("/quota_set/instances").asInt()).isEqualTo(10);

    setQuota(t.projectId(), "{\"instances\": 1, \"force\": true}");
    assertThat(t.api().get(NOVA + "/os-quota-sets/" + t.projectId()).expect(200).at("/quota_set/instances").asInt()).isEqualTo(1);
  }

  @Test
  void badLimitsAreRefusedAndChangeNothing() {
    Project t = tenant();
    String path = NOVA + "/os-quota-sets/" + t.projectId();
    assertThat(admin.put(path, "{\"quota_set\": {\"instances\": -2}}").json().at("/badRequest/message").asText())
        .isEqualTo("Invalid input for field/attribute quota_set/instances. Value: -2. -2 is less than the minimum of -1.");
    assertThat(admin.put(path, "{\"quota_set\": {\"instances\": \"many\"}}").status()).isEqualTo(400);
    assertThat(admin.put(path, "{\"quota_set\": {\"instances\": 1.5}}").status()).isEqualTo(400);
    assertThat(admin.put(path, "{\"quota_set\": {\"instances\": 2147483648}}").status()).isEqualTo(400);
    assertThat(admin.put(path, "{\"quota_set\": {\"cores\": 4, \"servers\": 3}}").json().at("/badRequest/message").asText())
        .contains("Additional properties are not allowed ('servers' was unexpected)");
    assertThat(admin.put(path, "{\"quota_set\": {\"force\": \"maybe\"}}").status()).isEqualTo(400);
    assertThat(admin.put(path, "{\"quotas\": {}}").status()).isEqualTo(400);
    // nova-network's quotas leave the API in 2.36.
    assertThat(admin.withHeader("OpenStack-API-Version", "compute 2.36").put(path, "{\"quota_set\": {\"floating_ips\": 3}}").status())
        .isEqualTo(400);
    assertThat(admin.get(path).expect(200).at("/quota_set/cores").asInt()).isEqualTo(20);
  }

  @Test
  void membersReadOnlyTheirOwnProjectsQuotasAndChangeNone() {
    Project t = tenant();
    Api.Response other = t.api().get(NOVA + "/os-quota-sets/" + adminProject);
    assertThat(other.status()).isEqualTo(403);
    assertThat(other.json().at("/forbidden/message").asText())
        .isEqualTo("Policy doesn't allow os_compute_api:os-quota-sets:show to be performed.");
    assertThat(t.api().get(NOVA + "/os-quota-sets/" + adminProject + "/detail").status()).isEqualTo(403);
    assertThat(t.api().get(NOVA + "/os-quota-sets/" + adminProject + "/defaults").status()).isEqualTo(200);
    Api.Response update = t.api().put(NOVA + "/os-quota-sets/" + t.projectId(), "{\"quota_set\": {\"instances\": 50}}");
    assertThat(update.status()).isEqualTo(403);
    assertThat(update.json().at("/forbidden/message").asText())
        .isEqualTo("Policy doesn't allow os_compute_api:os-quota-sets:update to be performed.");
    assertThat(t.api().delete(NOVA + "/os-quota-sets/" + t.projectId()).status()).isEqualTo(403);
    assertThat(t.api().get(NOVA + "/limits?tenant_id=" + adminProject).json().at("/forbidden/message").asText())
        .isEqualTo("Policy doesn't allow os_compute_api:limits:other_project to be performed.");
    assertThat(t.api().get(NOVA + "/os-quota-class-sets/default").status()).isEqualTo(403);
  }

  @Test
  void theDefaultQuotaClassSetsEveryProjectsDefaults() {
    Project t = tenant();
    JsonNode shown = admin.get(NOVA + "/os-quota-class-sets/default").expect(200).get("quota_class_set");
    assertThat(shown.get("id").asText()).isEqualTo("default");
    assertThat(shown.get("instances").asInt()).isEqualTo(10);
    assertThat(shown.has("server_groups")).isFalse(); // only from 2.50
    try {
      JsonNode updated =
          admin.withHeader("OpenStack-API-Version", "compute 2.50")
              .put(NOVA + "/os-quota-class-sets/default", "{\"quota_class_set\": {\"key_pairs\": 7}}").expect(200).get("quota_class_set");
      assertThat(updated.has("id")).isFalse();
      assertThat(updated.get("key_pairs").asInt()).isEqualTo(7);
      assertThat(updated.get("server_groups").asInt()).isEqualTo(10);
      assertThat(t.api().get(NOVA + "/os-quota-sets/" + t.projectId() + "/defaults").expect(200).at("/quota_set/key_pairs").asInt())
          .isEqualTo(7);
      assertThat(t.api().get(NOVA + "/os-quota-sets/" + t.projectId()).expect(200).at("/quota_set/key_pairs").asInt()).isEqualTo(7);
      assertThat(admin.get(NOVA + "/os-quota-class-sets/gold").expect(200).at("/quota_class_set/key_pairs").asInt()).isEqualTo(100);
    } finally {
      admin.put(NOVA + "/os-quota-class-sets/default", "{\"quota_class_set\": {\"key_pairs\": 100}}").expect(200);
    }
  }

  @Test
  void bootingBeyondTheInstancesQuotaIsRefusedAndCreatesNothing() {
    Project t = tenant();
    setQuota(t.projectId(), "{\"instances\": 1}");
    boot(t, "first", "1").expect(202);
    Api.Response refused = boot(t, "second", "1");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().at("/forbidden/message").asText())
        .isEqualTo("Quota exceeded for instances: Requested 1, but already used 1 of 1 instances");
    assertThat(serverCount(t)).isEqualTo(1);
  }

  @Test
  void aResizeThatWouldGrowPastTheCoresQuotaIsRefusedAndMovesNothing() {
    Project t = tenant();
    setQuota(t.projectId(), "{\"cores\": 1}");
    String id = boot(t, "grower", "1").expect(202).at("/server/id").asText();
    Await.until(
        () -> t.api().get(NOVA + "/servers/" + id).expect(200).at("/server/status").asText().equals("ACTIVE"),
        "server " + id + " ACTIVE");
    Api.Response refused = t.api().post(NOVA + "/servers/" + id + "/action", "{\"resize\": {\"flavorRef\": \"3\"}}");
    assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
    assertThat(refused.json().at("/forbidden/message").asText())
        .isEqualTo("Quota exceeded for cores: Requested 1, but already used 1 of 1 cores");
    JsonNode server = t.api().get(NOVA + "/servers/" + id).expect(200).get("server");
    assertThat(server.get("status").asText()).isEqualTo("ACTIVE");
    assertThat(server.at("/flavor/id").asText()).isEqualTo("1");
    assertThat(admin.get(NOVA + "/os-migrations?instance_uuid=" + id).expect(200).get("migrations")).isEmpty();
  }

  @Test
  void aBootOverSeveralQuotasNamesThemAll() {
    Project t = tenant();
    setQuota(t.projectId(), "{\"cores\": 3, \"ram\": 6000}");
    boot(t, "first", "3").expect(202); // 2 vCPUs, 4096 MB
    Api.Response refused = boot(t, "second", "3");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().at("/forbidden/message").asText())
        .isEqualTo("Quota exceeded for cores, ram: Requested 2, 4096, but already used 2, 4096 of 3, 6000 cores, ram");
    boot(t, "small", "1").expect(202); // 1 vCPU, 512 MB still fit
    assertThat(serverCount(t)).isEqualTo(2);
  }

  @Test
  void concurrentBootsNeverExceedTheQuota() throws Exception {
    Project t = tenant();
    setQuota(t.projectId(), "{\"instances\": 3}");
    List<Integer> statuses = Race.run(8, i -> boot(t, "racer-" + i, "1").status());
    assertThat(statuses).filteredOn(s -> s == 202).hasSize(3);
    assertThat(statuses).filteredOn(s -> s == 403).hasSize(5);
    assertThat(serverCount(t)).isEqualTo(3);
  }

  @Test
  void keypairsBeyondTheKeyPairsQuotaAreRefused() {
    Project t = tenant();
    setQuota(t.projectId(), "{\"key_pairs\": 1}");
    String key = "{\"keypair\": {\"name\": \"%s\", \"public_key\": \"" + SshKeysTest.ED25519 + "\"}}";
    t.api().post(NOVA + "/os-keypairs", key.formatted("one")).expect(200);
    Api.Response second = t.api().post(NOVA + "/os-keypairs", key.formatted("two"));
    assertThat(second.status()).isEqualTo(403);
    assertThat(second.json().at("/forbidden/message").asText()).isEqualTo("Quota exceeded, too many key pairs.");
    assertThat(t.api().get(NOVA + "/os-keypairs").expect(200).get("keypairs")).hasSize(1);
  }

  @Test
  void aBootWithMoreMetadataThanTheQuotaIsRefused() {
    Project t = tenant();
    setQuota(t.projectId(), "{\"metadata_items\": 2}");
    Api.Response refused =
        t.api().post(
            NOVA + "/servers",
            "{\"server\": {\"name\": \"m\", \"flavorRef\": \"1\", \"imageRef\": \"" + imageId
                + "\", \"networks\": [{\"uuid\": \"" + t.networkId() + "\"}], \"metadata\": {\"a\": \"1\", \"b\": \"2\", \"c\": \"3\"}}}");
    assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
    assertThat(refused.json().at("/forbidden/message").asText()).isEqualTo("Maximum number of metadata items exceeds 2");
    assertThat(serverCount(t)).isZero();

    // Adding keys to a server later counts against the same limit.
    String id = boot(t, "meta", "1").expect(202).at("/server/id").asText();
    t.api().post(NOVA + "/servers/" + id + "/metadata", "{\"metadata\": {\"a\": \"1\", \"b\": \"2\"}}").expect(200);
    Api.Response tooMany = t.api().post(NOVA + "/servers/" + id + "/metadata", "{\"metadata\": {\"c\": \"3\"}}");
    assertThat(tooMany.status()).as(tooMany.toString()).isEqualTo(403);
    assertThat(t.api().get(NOVA + "/servers/" + id + "/metadata").expect(200).get("metadata")).hasSize(2);
  }
}
