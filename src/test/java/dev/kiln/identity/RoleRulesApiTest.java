package dev.kiln.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.KilnExtension;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Keystone's rules about who holds what beyond direct grants, over HTTP: OS-INHERIT grants, role
 * inference rules and domain-specific roles, in tokens and in effective role assignments.
 */
class RoleRulesApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String create(String path, String body, String key) {
    return kiln.admin().post(path, body).expect(201).at("/" + key + "/id").asText();
  }

  private static String domain() {
    return create("/identity/v3/domains", "{\"domain\": {\"name\": \"" + unique("d") + "\"}}", "domain");
  }

  private static String project(String domainId, String parentId) {
    String parent = parentId == null ? "" : ", \"parent_id\": \"" + parentId + "\"";
    return create(
        "/identity/v3/projects",
        "{\"project\": {\"name\": \"" + unique("p") + "\", \"domain_id\": \"" + domainId + "\"" + parent + "}}",
        "project");
  }

  private static String user(String name, String domainId) {
    return create(
        "/identity/v3/users",
        "{\"user\": {\"name\": \"" + name + "\", \"password\": \"pw\", \"domain_id\": \"" + domainId + "\"}}",
        "user");
  }

  private static String role(String domainId) {
    String domain = domainId == null ? "" : ", \"domain_id\": \"" + domainId + "\"";
    return create("/identity/v3/roles", "{\"role\": {\"name\": \"" + unique("r") + "\"" + domain + "}}", "role");
  }

  private static Api.Response projectToken(String user, String domainId, String projectId) {
    return kiln.api()
        .post(
            "/identity/v3/auth/tokens",
            """
            {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "%s",
             "domain": {"id": "%s"}, "password": "pw"}}},
             "scope": {"project": {"id": "%s"}}}}
            """
                .formatted(user, domainId, projectId));
  }

  private static JsonNode effective(String userId, String projectId) {
    return kiln.admin()
        .get("/identity/v3/role_assignments?effective&user.id=" + userId + "&scope.project.id=" + projectId)
        .expect(200)
        .get("role_assignments");
  }

  private static java.util.List<String> roleIds(JsonNode assignments) {
    java.util.List<String> ids = new java.util.ArrayList<>();
    assignments.forEach(a -> ids.add(a.at("/role/id").asText()));
    return ids;
  }

  @Test
  void roleInheritedOnADomainIsHeldOnItsProjectsNotOnTheDomain() {
    Api admin = kiln.admin();
    String domainId = domain();
    String top = project(domainId, null);
    String leaf = project(domainId, top);
    String name = unique("u");
    String userId = user(name, domainId);
    String role = role(null);
    String grant = "/identity/v3/OS-INHERIT/domains/" + domainId + "/users/" + userId + "/roles/" + role + "/inherited_to_projects";

    admin.put(grant, "").expect(204);
    admin.head(grant).expect(204);
    assertThat(admin.get("/identity/v3/OS-INHERIT/domains/" + domainId + "/users/" + userId + "/roles/inherited_to_projects")
            .expect(200).get("roles").findValuesAsText("id"))
        .containsExactly(role);
    JsonNode listed = admin.get("/identity/v3/role_assignments?user.id=" + userId).expect(200).get("role_assignments");
    assertThat(listed).hasSize(1);
    assertThat(listed.at("/0/scope/OS-INHERIT:inherited_to").asText()).isEqualTo("projects");
    assertThat(listed.at("/0/links/assignment").asText()).endsWith(grant.substring("/identity".length()));

    assertThat(roleIds(effective(userId, top))).containsExactly(role);
    assertThat(effective(userId, leaf).at("/0/scope/project/id").asText()).isEqualTo(leaf);
    Api.Response token = projectToken(name, domainId, leaf);
    assertThat(token.status()).isEqualTo(201);
    assertThat(token.json().at("/token/roles").findValuesAsText("id")).contains(role);
    assertThat(admin.get("/identity/v3/role_assignments?effective&user.id=" + userId + "&scope.domain.id=" + domainId)
            .expect(200).get("role_assignments"))
        .as("not held on the domain itself")
        .isEmpty();

    admin.delete(grant).expect(204);
    admin.head(grant).expect(404);
    assertThat(effective(userId, top)).isEmpty();
    assertThat(projectToken(name, domainId, leaf).status()).isEqualTo(401);
  }

  @Test
  void roleInheritedOnAProjectReachesOnlyTheProjectsBelowIt() {
    Api admin = kiln.admin();
    String domainId = domain();
    String top = project(domainId, null);
    String leaf = project(domainId, top);
    String userId = user(unique("u"), domainId);
    String groupId = create("/identity/v3/groups", "{\"group\": {\"name\": \"" + unique("g") + "\", \"domain_id\": \"" + domainId + "\"}}", "group");
    admin.put("/identity/v3/groups/" + groupId + "/users/" + userId, "").expect(204);
    String role = role(null);
    String grant = "/identity/v3/OS-INHERIT/projects/" + top + "/groups/" + groupId + "/roles/" + role + "/inherited_to_projects";

    admin.put(grant, "").expect(204);
    admin.head(grant).expect(204);
    assertThat(effective(userId, top)).isEmpty();
    JsonNode onLeaf = effective(userId, leaf);
    assertThat(onLeaf).hasSize(1);
    assertThat(onLeaf.at("/0/links/membership").asText()).endsWith("/groups/" + groupId + "/users/" + userId);

    admin.delete(grant).expect(204);
    assertThat(effective(userId, leaf)).isEmpty();
    admin.delete(grant).expect(404);
  }

  @Test
  void inferenceRuleIsCreatedShownListedAndDeleted() {
    Api admin = kiln.admin();
    String a = role(null);
    String b = role(null);
    String c = role(null);
    String ab = "/identity/v3/roles/" + a + "/implies/" + b;
    JsonNode created = admin.put(ab, "").expect(201);
    assertThat(created.at("/role_inference/prior_role/id").asText()).isEqualTo(a);
    assertThat(created.at("/role_inference/implies/id").asText()).isEqualTo(b);
    assertThat(created.at("/role_inference/implies/links/self").asText()).endsWith("/roles/" + b);
    assertThat(admin.get(ab).expect(200)).isEqualTo(created);
    admin.head(ab).expect(204);
    admin.put("/identity/v3/roles/" + a + "/implies/" + c, "").expect(201);

    assertThat(admin.get("/identity/v3/roles/" + a + "/implies").expect(200).at("/role_inference/implies").findValuesAsText("id"))
        .containsExactlyInAnyOrder(b, c);
    JsonNode all = admin.get("/identity/v3/role_inferences").expect(200).get("role_inferences");
    assertThat(all.findValues("prior_role").stream().map(p -> p.get("name").asText())).contains("admin", "member");

    admin.delete(ab).expect(204);
    admin.get(ab).expect(404);
    admin.delete(ab).expect(404);
  }

  @Test
  void inferenceRulesThatLoopOrImplyAdminOrADomainRoleFromAGlobalOneAreRefused() {
    Api admin = kiln.admin();
    String a = role(null);
    String b = role(null);
    admin.put("/identity/v3/roles/" + a + "/implies/" + b, "").expect(201);
    JsonNode loop = admin.put("/identity/v3/roles/" + b + "/implies/" + a, "").expect(400);
    assertThat(loop.at("/error/message").asText()).contains("loop");
    String adminRole = admin.get("/identity/v3/roles?name=admin").expect(200).at("/roles/0/id").asText();
    admin.put("/identity/v3/roles/" + a + "/implies/" + adminRole, "").expect(403);
    String domainRole = role(domain());
    admin.put("/identity/v3/roles/" + a + "/implies/" + domainRole, "").expect(403);
    admin.put("/identity/v3/roles/" + domainRole + "/implies/" + a, "").expect(201);
    admin.put("/identity/v3/roles/" + a + "/implies/no-such-role", "").expect(404);
  }

  @Test
  void twoRulesRacingToCloseALoopLeaveOneStanding() {
    Api admin = kiln.admin();
    for (int round = 0; round < 5; round++) {
      String a = role(null);
      String b = role(null);
      java.util.List<Integer> statuses =
          dev.kiln.testing.Race.run(
              2,
              i -> admin.put("/identity/v3/roles/" + (i == 0 ? a + "/implies/" + b : b + "/implies/" + a), "").status());
      assertThat(statuses).containsExactlyInAnyOrder(201, 400);
    }
  }

  @Test
  void impliedRolesAreInTokensAndEffectiveAssignmentsWhileTheRuleStands() {
    Api admin = kiln.admin();
    String domainId = domain();
    String projectId = project(domainId, null);
    String name = unique("u");
    String userId = user(name, domainId);
    String prior = role(null);
    String implied = role(null);
    admin.put("/identity/v3/projects/" + projectId + "/users/" + userId + "/roles/" + prior, "").expect(204);
    admin.put("/identity/v3/roles/" + prior + "/implies/" + implied, "").expect(201);

    JsonNode both = effective(userId, projectId);
    assertThat(roleIds(both)).containsExactlyInAnyOrder(prior, implied);
    assertThat(both.findValuesAsText("prior_role")).containsExactly(kiln.baseUrl() + "/identity/v3/roles/" + prior);
    assertThat(projectToken(name, domainId, projectId).json().at("/token/roles").findValuesAsText("id"))
        .contains(prior, implied);

    admin.delete("/identity/v3/roles/" + prior + "/implies/" + implied).expect(204);
    assertThat(effective(userId, projectId)).hasSize(1);
    assertThat(projectToken(name, domainId, projectId).json().at("/token/roles").findValuesAsText("id"))
        .containsExactly(prior);
  }

  @Test
  void domainRoleIsListedByItsDomainOnlyAndDeletedWithIt() {
    Api admin = kiln.admin();
    String domainId = domain();
    JsonNode role =
        admin.post("/identity/v3/roles", "{\"role\": {\"name\": \"" + unique("r") + "\", \"domain_id\": \"" + domainId + "\"}}")
            .expect(201)
            .get("role");
    assertThat(role.get("domain_id").asText()).isEqualTo(domainId);
    assertThat(admin.get("/identity/v3/roles?domain_id=" + domainId).expect(200).get("roles")).containsExactly(role);
    assertThat(admin.get("/identity/v3/roles").expect(200).get("roles").findValuesAsText("id"))
        .doesNotContain(role.get("id").asText());
    admin.post("/identity/v3/roles", "{\"role\": {\"name\": \"x\", \"domain_id\": \"no-such-domain\"}}").expect(404);

    admin.patch("/identity/v3/domains/" + domainId, "{\"domain\": {\"enabled\": false}}").expect(200);
    admin.delete("/identity/v3/domains/" + domainId).expect(204);
    admin.get("/identity/v3/roles/" + role.get("id").asText()).expect(404);
  }

  @Test
  void domainRoleIsNeverInTokensOrEffectiveAssignmentsButWhatItImpliesIs() {
    Api admin = kiln.admin();
    String domainId = domain();
    String projectId = project(domainId, null);
    String name = unique("u");
    String userId = user(name, domainId);
    String domainRole = role(domainId);
    admin.put("/identity/v3/projects/" + projectId + "/users/" + userId + "/roles/" + domainRole, "").expect(204);
    assertThat(effective(userId, projectId)).isEmpty();
    assertThat(projectToken(name, domainId, projectId).status()).isEqualTo(401);

    String global = role(null);
    admin.put("/identity/v3/roles/" + domainRole + "/implies/" + global, "").expect(201);
    assertThat(roleIds(effective(userId, projectId))).containsExactly(global);
    assertThat(projectToken(name, domainId, projectId).json().at("/token/roles").findValuesAsText("id"))
        .containsExactly(global);

    String otherProject = project(domain(), null);
    JsonNode mismatch =
        admin.put("/identity/v3/projects/" + otherProject + "/users/" + userId + "/roles/" + domainRole, "").expect(403);
    assertThat(mismatch.at("/error/message").asText()).contains(domainId);
  }
}
