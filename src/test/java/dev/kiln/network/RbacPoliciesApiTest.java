package dev.kiln.network;

import static dev.kiln.testing.Cloud.NET;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Tenant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Neutron RBAC policies on networks over HTTP: sharing with one project or all, and what it changes. */
class RbacPoliciesApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static Api owner;
  private static Tenant guest;
  private static Tenant stranger;

  @BeforeAll
  static void start() {
    admin = kiln.admin();
    owner = Tenant.create(kiln, admin, "rbac-owner", "rbac-owner-user").api();
    guest = Tenant.create(kiln, admin, "rbac-guest", "rbac-guest-user");
    stranger = Tenant.create(kiln, admin, "rbac-stranger", "rbac-stranger-user");
  }

  private static String networkWithSubnet(Api api, String name, String cidr) {
    String net = RoutersApiTest.network(api, name);
    RoutersApiTest.subnet(api, net, cidr);
    return net;
  }

  private static Api.Response share(Api api, String network, String action, String target) {
    return api.post(
        NET + "/rbac-policies",
        "{\"rbac_policy\": {\"object_type\": \"network\", \"object_id\": \"" + network + "\", \"action\": \"" + action
            + "\", \"target_tenant\": \"" + target + "\"}}");
  }

  private static String error(Api.Response r) {
    return r.json().at("/NeutronError/type").asText();
  }

  @Test
  void sharingWithOneProjectLetsItSeeAndUseTheNetwork() {
    String net = networkWithSubnet(owner, "shared-with-guest", "10.80.0.0/24");
    assertThat(guest.api().get(NET + "/networks/" + net).status()).isEqualTo(404);
    long revision = owner.get(NET + "/networks/" + net).expect(200).at("/network/revision_number").asLong();

    JsonNode policy = share(owner, net, "access_as_shared", guest.projectId()).expect(201).get("rbac_policy");
    assertThat(policy.get("object_type").asText()).isEqualTo("network");
    assertThat(policy.get("object_id").asText()).isEqualTo(net);
    assertThat(policy.get("action").asText()).isEqualTo("access_as_shared");
    assertThat(policy.get("target_tenant").asText()).isEqualTo(guest.projectId());
    assertThat(policy.get("project_id").asText()).isEqualTo(policy.get("tenant_id").asText());
    String id = policy.get("id").asText();

    JsonNode seen = guest.api().get(NET + "/networks/" + net).expect(200).get("network");
    assertThat(seen.get("shared").asBoolean()).as("shared with the guest's project").isTrue();
    assertThat(owner.get(NET + "/networks/" + net).expect(200).at("/network/shared").asBoolean())
        .as("not shared with everyone").isFalse();
    assertThat(owner.get(NET + "/networks/" + net).expect(200).at("/network/revision_number").asLong())
        .isGreaterThan(revision);
    assertThat(guest.api().get(NET + "/networks").expect(200).get("networks").findValuesAsText("id")).contains(net);
    assertThat(guest.api().get(NET + "/subnets?network_id=" + net).expect(200).get("subnets")).hasSize(1);
    assertThat(guest.api().get(NET + "/subnets?network_id=" + net + "&shared=true").expect(200).get("subnets")).hasSize(1);
    Api.Response pairs =
        guest.api().post(
            NET + "/ports",
            "{\"port\": {\"network_id\": \"" + net + "\", \"allowed_address_pairs\": [{\"ip_address\": \"10.80.0.99\"}]}}");
    assertThat(pairs.status()).as("only the network's owner gives address pairs").isEqualTo(403);
    assertThat(stranger.api().get(NET + "/networks/" + net).status()).isEqualTo(404);

    String port =
        guest.api().post(NET + "/ports", "{\"port\": {\"network_id\": \"" + net + "\"}}").expect(201).at("/port/id").asText();
    assertThat(stranger.api().post(NET + "/ports", "{\"port\": {\"network_id\": \"" + net + "\"}}").status()).isEqualTo(404);

    // The guest's port relies on the policy: it can neither go nor move elsewhere.
    Api.Response inUse = owner.delete(NET + "/rbac-policies/" + id);
    assertThat(inUse.status()).isEqualTo(409);
    assertThat(error(inUse)).isEqualTo("RbacPolicyInUse");
    Api.Response moved =
        owner.put(NET + "/rbac-policies/" + id, "{\"rbac_policy\": {\"target_tenant\": \"" + stranger.projectId() + "\"}}");
    assertThat(moved.status()).isEqualTo(409);

    guest.api().delete(NET + "/ports/" + port).expect(204);
    owner.delete(NET + "/rbac-policies/" + id).expect(204);
    assertThat(guest.api().get(NET + "/networks/" + net).status()).isEqualTo(404);
    assertThat(owner.get(NET + "/rbac-policies/" + id).status()).isEqualTo(404);
  }

  @Test
  void sharedNetworksAreWildcardPolicies() {
    String net = admin.post(NET + "/networks", "{\"network\": {\"name\": \"everyone\", \"shared\": true}}").expect(201)
        .at("/network/id").asText();
    JsonNode policies = admin.get(NET + "/rbac-policies?object_id=" + net).expect(200).get("rbac_policies");
    assertThat(policies).hasSize(1);
    assertThat(policies.get(0).get("target_tenant").asText()).isEqualTo("*");
    assertThat(policies.get(0).get("action").asText()).isEqualTo("access_as_shared");

    admin.delete(NET + "/rbac-policies/" + policies.get(0).get("id").asText()).expect(204);
    assertThat(admin.get(NET + "/networks/" + net).expect(200).at("/network/shared").asBoolean()).isFalse();
    assertThat(guest.api().get(NET + "/networks/" + net).status()).isEqualTo(404);

    share(admin, net, "access_as_shared", "*").expect(201);
    assertThat(admin.get(NET + "/networks/" + net).expect(200).at("/network/shared").asBoolean()).isTrue();
    guest.api().post(NET + "/ports", "{\"port\": {\"network_id\": \"" + net + "\"}}").expect(201);
    Api.Response unshare = admin.put(NET + "/networks/" + net, "{\"network\": {\"shared\": false}}");
    assertThat(unshare.status()).as("the guest's port relies on it").isEqualTo(409);
    assertThat(error(unshare)).isEqualTo("RbacPolicyInUse");
  }

  @Test
  void externalAccessForOneProject() {
    String net = networkWithSubnet(admin, "ext-for-guest", "172.30.0.0/24");
    share(admin, net, "access_as_external", guest.projectId()).expect(201);
    JsonNode seen = guest.api().get(NET + "/networks/" + net).expect(200).get("network");
    assertThat(seen.get("router:external").asBoolean()).isTrue();
    assertThat(seen.get("shared").asBoolean()).isFalse();
    assertThat(stranger.api().get(NET + "/networks/" + net).status()).isEqualTo(404);
    assertThat(guest.api().get(NET + "/subnets?network_id=" + net).expect(200).get("subnets"))
        .as("an external network shows itself, not its subnets").isEmpty();

    String router =
        guest.api().post(
                NET + "/routers",
                "{\"router\": {\"name\": \"gw\", \"external_gateway_info\": {\"network_id\": \"" + net + "\"}}}")
            .expect(201).at("/router/id").asText();
    String policy = admin.get(NET + "/rbac-policies?object_id=" + net + "&action=access_as_external").expect(200)
        .at("/rbac_policies/0/id").asText();
    assertThat(admin.delete(NET + "/rbac-policies/" + policy).status()).as("the guest's gateway relies on it").isEqualTo(409);
    guest.api().delete(NET + "/routers/" + router).expect(204);
    admin.delete(NET + "/rbac-policies/" + policy).expect(204);
    assertThat(admin.get(NET + "/networks/" + net).expect(200).at("/network/router:external").asBoolean())
        .as("no external policy left").isFalse();
  }

  @Test
  void whoMayMakeWhichPolicy() {
    String net = networkWithSubnet(owner, "owned", "10.81.0.0/24");
    Api.Response wildcard = share(owner, net, "access_as_shared", "*");
    assertThat(wildcard.status()).isEqualTo(403);
    assertThat(error(wildcard)).isEqualTo("PolicyNotAuthorized");
    assertThat(share(owner, net, "access_as_external", "*").status()).isEqualTo(403);

    Api.Response notTheirs = share(guest.api(), net, "access_as_shared", stranger.projectId());
    assertThat(notTheirs.status()).isEqualTo(400);
    assertThat(error(notTheirs)).isEqualTo("InvalidInput");

    assertThat(share(owner, net, "access_as_owner", guest.projectId()).status()).isEqualTo(400);
    assertThat(
            owner.post(
                    NET + "/rbac-policies",
                    "{\"rbac_policy\": {\"object_type\": \"qos_policy\", \"object_id\": \"" + net
                        + "\", \"action\": \"access_as_shared\", \"target_tenant\": \"x\"}}")
                .status())
        .isEqualTo(400);
    assertThat(
            owner.post(
                    NET + "/rbac-policies",
                    "{\"rbac_policy\": {\"object_type\": \"network\", \"object_id\": \"" + net
                        + "\", \"action\": \"access_as_shared\", \"target_tenant\": null}}")
                .status())
        .isEqualTo(400);
    assertThat(share(owner, net, "access_as_shared", "x".repeat(256)).status()).isEqualTo(400);

    String id = share(owner, net, "access_as_shared", guest.projectId()).expect(201).at("/rbac_policy/id").asText();
    Api.Response duplicate = share(owner, net, "access_as_shared", guest.projectId());
    assertThat(duplicate.status()).isEqualTo(409);
    assertThat(error(duplicate)).isEqualTo("DuplicateRbacPolicy");
    assertThat(guest.api().get(NET + "/rbac-policies/" + id).status()).as("only the maker sees it").isEqualTo(404);
    assertThat(guest.api().get(NET + "/rbac-policies").expect(200).get("rbac_policies")).isEmpty();
    assertThat(owner.get(NET + "/rbac-policies?fields=target_tenant").expect(200).at("/rbac_policies/0").size()).isEqualTo(1);

    JsonNode retargeted =
        owner.put(NET + "/rbac-policies/" + id, "{\"rbac_policy\": {\"target_tenant\": \"" + stranger.projectId() + "\"}}")
            .expect(200).get("rbac_policy");
    assertThat(retargeted.get("target_tenant").asText()).isEqualTo(stranger.projectId());
    assertThat(stranger.api().get(NET + "/networks/" + net).status()).isEqualTo(200);
    assertThat(guest.api().get(NET + "/networks/" + net).status()).isEqualTo(404);
    assertThat(owner.put(NET + "/rbac-policies/" + id, "{\"rbac_policy\": {\"action\": \"access_as_external\"}}").status())
        .isEqualTo(400);
  }

  @Test
  void policiesCountAgainstTheMakingProjectsRbacPolicyQuota() {
    Tenant maker = Tenant.create(kiln, admin, "rbac-quota", "rbac-quota-user");
    admin.put(NET + "/quotas/" + maker.projectId(), "{\"quota\": {\"rbac_policy\": 2}}").expect(200);
    String net = RoutersApiTest.network(maker.api(), "quota-counted");
    for (int i = 0; i < 2; i++) {
      share(maker.api(), net, "access_as_shared", "target" + i).expect(201);
    }
    Api.Response over = share(maker.api(), net, "access_as_shared", "target-past-the-limit");
    assertThat(over.status()).isEqualTo(409);
    assertThat(error(over)).isEqualTo("OverQuota");
    assertThat(maker.api().get(NET + "/quotas/" + maker.projectId() + "/details").expect(200).at("/quota/rbac_policy/used")
        .asInt()).isEqualTo(2);
  }

  @Test
  void deletingTheNetworkTakesItsPolicies() {
    String net = RoutersApiTest.network(owner, "short-lived");
    String id = share(owner, net, "access_as_shared", guest.projectId()).expect(201).at("/rbac_policy/id").asText();
    owner.delete(NET + "/networks/" + net).expect(204);
    assertThat(owner.get(NET + "/rbac-policies/" + id).status()).isEqualTo(404);
    assertThat(owner.get(NET + "/extensions/rbac-policies").status()).isEqualTo(200);
  }
}
