package dev.kiln.orchestration.resources.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.OpenStackCli;
import dev.kiln.testing.Tenant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OS::Keystone::* types driven by the real {@code openstack stack} client: an admin's stack
 * makes a project, a user with grants, a role and a role assignment that {@code openstack project
 * show}, {@code user show} and {@code role assignment list} show, and deleting the stack removes
 * them; a member's stack is refused up front, and members do not see the types (Heat's
 * resource_types policy).
 */
class KeystoneStackCliTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  @TempDir static Path dir;
  private static final OpenStackCli admin = kiln.adminCli();
  private static OpenStackCli member;

  @BeforeAll
  static void tenant() {
    member = Tenant.create(kiln, kiln.admin(), "ks-member", "ks-member-user").cli(kiln.authUrl());
  }

  private static String file(String name, String content) throws IOException {
    Path path = dir.resolve(name);
    Files.writeString(path, content);
    return path.toString();
  }

  @Test
  void adminStackMakesProjectUserRoleAndGrantsAndTakesThemAway() throws IOException {
    String template =
        file(
            "identity.yaml",
            """
            heat_template_version: 2018-08-31
            resources:
              project:
                type: OS::Keystone::Project
                properties:
                  name: ks-made
                  description: made by a stack
              role:
                type: OS::Keystone::Role
                properties:
                  name: ks-auditor
              user:
                type: OS::Keystone::User
                properties:
                  name: ks-user
                  password: ks-secret
                  email: ks@example.org
                  default_project: {get_resource: project}
                  roles:
                    - role: member
                      project: {get_resource: project}
              grant:
                type: OS::Keystone::UserRoleAssignment
                properties:
                  user: {get_resource: user}
                  roles:
                    - role: {get_resource: role}
                      project: {get_resource: project}
            outputs:
              project_domain: {value: {get_attr: [project, domain_id]}}
              user_project: {value: {get_attr: [user, default_project_id]}}
            """);
    admin.ok("stack", "create", "-t", template, "--wait", "identity");

    JsonNode project = admin.json("project", "show", "ks-made");
    assertThat(project.get("description").asText()).isEqualTo("made by a stack");
    assertThat(project.get("enabled").asBoolean()).isTrue();
    assertThat(admin.json("stack", "resource", "show", "identity", "project").get("physical_resource_id").asText())
        .isEqualTo(project.get("id").asText());
    JsonNode user = admin.json("user", "show", "ks-user");
    assertThat(user.get("email").asText()).isEqualTo("ks@example.org");
    assertThat(user.get("default_project_id").asText()).isEqualTo(project.get("id").asText());
    assertThat(admin.json("role", "show", "ks-auditor").get("name").asText()).isEqualTo("ks-auditor");
    JsonNode assignments =
        admin.json("role", "assignment", "list", "--user", user.get("id").asText(), "--project", "ks-made", "--names");
    assertThat(assignments.findValuesAsText("Role")).containsExactlyInAnyOrder("member", "ks-auditor");
    assertThat(output("identity", "project_domain")).isEqualTo("default");
    assertThat(output("identity", "user_project")).isEqualTo(project.get("id").asText());
    // The password took: the new user logs in to the new project.
    OpenStackCli newcomer = OpenStackCli.as(kiln.authUrl(), "ks-user", "ks-secret", "ks-made");
    assertThat(newcomer.json("token", "issue").get("project_id").asText()).isEqualTo(project.get("id").asText());

    admin.ok("stack", "delete", "--yes", "--wait", "identity");
    assertThat(admin.run("project", "show", "ks-made").exitCode()).isNotZero();
    assertThat(admin.run("user", "show", "ks-user").exitCode()).isNotZero();
    assertThat(admin.run("role", "show", "ks-auditor").exitCode()).isNotZero();
  }

  @Test
  void memberStackUsingAKeystoneTypeIsRefusedUpFrontAndTheTypesAreHiddenFromMembers() throws IOException {
    String template =
        file(
            "member.yaml",
            """
            heat_template_version: 2018-08-31
            resources:
              project:
                type: OS::Keystone::Project
                properties:
                  name: ks-not-allowed
            """);
    // Heat's resource_types policy: OS::Keystone::* is for admins; refused before anything is stored.
    OpenStackCli.Result refused = member.run("stack", "create", "-t", template, "--wait", "member-identity");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stderr()).contains("You are not authorized to use OS::Keystone::Project.");
    assertThat(member.run("stack", "show", "member-identity").exitCode()).isNotZero();
    assertThat(admin.run("project", "show", "ks-not-allowed").exitCode()).isNotZero();
    OpenStackCli.Result validated = member.run("orchestration", "template", "validate", "-t", template);
    assertThat(validated.exitCode()).isNotZero();
    assertThat(validated.stderr()).contains("You are not authorized to use OS::Keystone::Project.");

    assertThat(member.json("orchestration", "resource", "type", "list").findValuesAsText("Resource Type"))
        .contains("OS::Nova::Server", "OS::Neutron::Port")
        .doesNotContain("OS::Keystone::Project", "OS::Nova::Flavor", "OS::Cinder::VolumeType", "OS::Neutron::ProviderNet");
    assertThat(admin.json("orchestration", "resource", "type", "list").findValuesAsText("Resource Type"))
        .contains("OS::Keystone::Project", "OS::Nova::Flavor");
    assertThat(member.run("orchestration", "resource", "type", "show", "OS::Keystone::Project").exitCode()).isNotZero();
  }

  private static String output(String stack, String name) {
    return admin.json("stack", "output", "show", stack, name).get("output_value").asText();
  }

}
