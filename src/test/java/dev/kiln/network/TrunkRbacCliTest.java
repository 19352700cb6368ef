package dev.kiln.network;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.OpenStackCli;
import dev.kiln.testing.Tenant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Trunks and RBAC policies driven by Debian's real {@code openstack network trunk|subport|rbac} commands. */
class TrunkRbacCliTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static OpenStackCli member;
  private static Tenant tenant;
  private static Tenant guest;

  @BeforeAll
  static void start() {
    Api admin = kiln.admin();
    tenant = Tenant.create(kiln, admin, "trunk-cli", "trunk-cli-user");
    guest = Tenant.create(kiln, admin, "rbac-cli-guest", "rbac-cli-guest-user");
    member = tenant.cli(kiln.authUrl());
    member.json("network", "create", "cli-net");
    member.json("subnet", "create", "--network", "cli-net", "--subnet-range", "10.90.0.0/24", "cli-subnet");
  }

  @Test
  void trunkWithSubportsThroughTheCli() {
    member.json("port", "create", "--network", "cli-net", "parent");
    member.json("port", "create", "--network", "cli-net", "sub-a");
    member.json("port", "create", "--network", "cli-net", "sub-b");
    JsonNode trunk =
        member.json(
            "network", "trunk", "create", "--parent-port", "parent",
            "--subport", "port=sub-a,segmentation-type=vlan,segmentation-id=100", "cli-trunk");
    assertThat(trunk.get("status").asText()).isEqualTo("DOWN");

    member.ok("network", "trunk", "set", "--subport", "port=sub-b,segmentation-type=vlan,segmentation-id=200", "cli-trunk");
    JsonNode subports = member.json("network", "subport", "list", "--trunk", "cli-trunk");
    assertThat(subports).hasSize(2);
    assertThat(subports.toString()).contains("100").contains("200");
    assertThat(member.json("network", "trunk", "list")).hasSize(1);

    OpenStackCli.Result outOfRange =
        member.run("network", "trunk", "set", "--subport", "port=sub-a,segmentation-type=vlan,segmentation-id=5000", "cli-trunk");
    assertThat(outOfRange.exitCode()).isNotZero();

    member.ok("network", "trunk", "unset", "--subport", "sub-a", "cli-trunk");
    assertThat(member.json("network", "subport", "list", "--trunk", "cli-trunk")).hasSize(1);
    member.ok("network", "trunk", "set", "--name", "renamed", "--disable", "cli-trunk");
    JsonNode shown = member.json("network", "trunk", "show", "renamed");
    assertThat(shown.get("name").asText()).isEqualTo("renamed");

    OpenStackCli.Result parentInUse = member.run("port", "delete", "parent");
    assertThat(parentInUse.exitCode()).isNotZero();
    OpenStackCli.Result disabled = member.run("network", "trunk", "delete", "renamed");
    assertThat(disabled.exitCode()).isNotZero();
    member.ok("network", "trunk", "set", "--enable", "renamed");
    member.ok("network", "trunk", "delete", "renamed");
    member.ok("port", "delete", "parent", "sub-a", "sub-b");
  }

  @Test
  void rbacPolicySharesANetworkWithAnotherProject() {
    member.json("network", "create", "to-share");
    OpenStackCli guestCli = guest.cli(kiln.authUrl());
    assertThat(guestCli.run("network", "show", "to-share").exitCode()).isNotZero();

    JsonNode policy =
        member.json(
            "network", "rbac", "create", "--type", "network", "--action", "access_as_shared",
            "--target-project", guest.projectId(), "to-share");
    String id = policy.get("id").asText();
    assertThat(policy.get("target_project_id").asText()).isEqualTo(guest.projectId());

    JsonNode seen = guestCli.json("network", "show", "to-share");
    assertThat(seen.get("shared").asBoolean()).isTrue();
    assertThat(member.json("network", "rbac", "list")).isNotEmpty();
    assertThat(member.json("network", "rbac", "show", id).get("object_type").asText()).isEqualTo("network");

    OpenStackCli.Result wildcard =
        member.run("network", "rbac", "create", "--type", "network", "--action", "access_as_shared", "--target-all-projects", "to-share");
    assertThat(wildcard.exitCode()).as("only admins share with everyone").isNotZero();

    member.ok("network", "rbac", "set", "--target-project", tenant.projectId(), id);
    assertThat(guestCli.run("network", "show", "to-share").exitCode()).isNotZero();
    member.ok("network", "rbac", "delete", id);
    assertThat(member.run("network", "rbac", "show", id).exitCode()).isNotZero();
  }
}
