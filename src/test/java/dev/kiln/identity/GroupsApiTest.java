package dev.kiln.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.KilnExtension;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Keystone groups over HTTP: CRUD, membership, group grants and what they do to tokens. */
class GroupsApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String create(String path, String body, String key) {
    return kiln.admin().post(path, body).expect(201).at("/" + key + "/id").asText();
  }

  private static String project() {
    return create("/identity/v3/projects", "{\"project\": {\"name\": \"" + unique("p") + "\"}}", "project");
  }

  private static String user(String name, String password) {
    return create(
        "/identity/v3/users",
        "{\"user\": {\"name\": \"" + name + "\", \"password\": \"" + password + "\"}}",
        "user");
  }

  private static String group(String name) {
    return create("/identity/v3/groups", "{\"group\": {\"name\": \"" + name + "\"}}", "group");
  }

  private static String roleId(String name) {
    return kiln.admin().get("/identity/v3/roles?name=" + name).expect(200).at("/roles/0/id").asText();
  }

  private static Api.Response projectToken(String user, String password, String projectId) {
    return kiln.api()
        .post(
            "/identity/v3/auth/tokens",
            """
            {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "%s",
             "domain": {"id": "default"}, "password": "%s"}}},
             "scope": {"project": {"id": "%s"}}}}
            """
                .formatted(user, password, projectId));
  }

  @Test
  void groupIsCreatedShownUpdatedListedAndDeleted() {
    Api admin = kiln.admin();
    String name = unique("g");
    JsonNode created =
        admin
            .post(
                "/identity/v3/groups",
                "{\"group\": {\"name\": \"" + name + "\", \"description\": \"d1\", \"project_id\": \"x\"}}")
            .expect(201)
            .get("group");
    assertThat(created.get("domain_id").asText()).isEqualTo("default");
    assertThat(created.get("description").asText()).isEqualTo("d1");
    assertThat(created.get("project_id").asText()).as("extra attributes are kept").isEqualTo("x");
    String id = created.get("id").asText();
    assertThat(created.at("/links/self").asText()).endsWith("/identity/v3/groups/" + id);

    JsonNode updated =
        admin.patch("/identity/v3/groups/" + id, "{\"group\": {\"name\": \"" + name + "-2\"}}").expect(200).get("group");
    assertThat(updated.get("name").asText()).isEqualTo(name + "-2");
    assertThat(updated.get("description").asText()).isEqualTo("d1");
    assertThat(admin.get("/identity/v3/groups/" + id).expect(200).get("group")).isEqualTo(updated);
    assertThat(admin.get("/identity/v3/groups?name=" + name + "-2").expect(200).at("/groups/0/id").asText())
        .isEqualTo(id);

    admin.delete("/identity/v3/groups/" + id).expect(204);
    JsonNode gone = admin.get("/identity/v3/groups/" + id).expect(404);
    assertThat(gone.at("/error/code").asInt()).isEqualTo(404);
    assertThat(gone.at("/error/title").asText()).isEqualTo("Not Found");
    assertThat(gone.at("/error/message").asText()).contains(id);
  }

  @Test
  void duplicateGroupNameIs409AndMissingDomainIs404() {
    String name = unique("g");
    group(name);
    JsonNode dup = kiln.admin().post("/identity/v3/groups", "{\"group\": {\"name\": \"" + name + "\"}}").expect(409);
    assertThat(dup.at("/error/message").asText()).contains("Duplicate entry");
    kiln.admin()
        .post("/identity/v3/groups", "{\"group\": {\"name\": \"x\", \"domain_id\": \"nowhere\"}}")
        .expect(404);
    kiln.admin().post("/identity/v3/groups", "{\"group\": {\"description\": \"no name\"}}").expect(400);
  }

  @Test
  void membersAreAddedCheckedListedAndRemoved() {
    Api admin = kiln.admin();
    String groupId = group(unique("g"));
    String userName = unique("u");
    String userId = user(userName, "pw-1");
    admin.put("/identity/v3/groups/" + groupId + "/users/" + userId, "").expect(204);
    admin.put("/identity/v3/groups/" + groupId + "/users/" + userId, "").expect(204);
    admin.head("/identity/v3/groups/" + groupId + "/users/" + userId).expect(204);
    JsonNode users = admin.get("/identity/v3/groups/" + groupId + "/users").expect(200).get("users");
    assertThat(users.findValuesAsText("id")).containsExactly(userId);
    JsonNode groups = admin.get("/identity/v3/users/" + userId + "/groups").expect(200).get("groups");
    assertThat(groups.findValuesAsText("id")).containsExactly(groupId);
    assertThat(groups.get(0).has("membership_expires_at")).isTrue();

    admin.delete("/identity/v3/groups/" + groupId + "/users/" + userId).expect(204);
    admin.head("/identity/v3/groups/" + groupId + "/users/" + userId).expect(404);
    admin.delete("/identity/v3/groups/" + groupId + "/users/" + userId).expect(404);
    admin.put("/identity/v3/groups/" + groupId + "/users/no-such-user", "").expect(404);
  }

  @Test
  void groupGrantGivesMembersTheRoleAndLosingItEndsTheirTokens() {
    Api admin = kiln.admin();
    String projectId = project();
    String groupId = group(unique("g"));
    String userName = unique("u");
    String userId = user(userName, "pw-2");
    String member = roleId("member");
    assertThat(projectToken(userName, "pw-2", projectId).status()).isEqualTo(401);

    admin.put("/identity/v3/projects/" + projectId + "/groups/" + groupId + "/roles/" + member, "").expect(204);
    admin.head("/identity/v3/projects/" + projectId + "/groups/" + groupId + "/roles/" + member).expect(204);
    assertThat(
            admin.get("/identity/v3/projects/" + projectId + "/groups/" + groupId + "/roles").expect(200)
                .get("roles").findValuesAsText("id"))
        .containsExactly(member);
    admin.put("/identity/v3/groups/" + groupId + "/users/" + userId, "").expect(204);

    Api.Response issued = projectToken(userName, "pw-2", projectId);
    assertThat(issued.status()).isEqualTo(201);
    assertThat(issued.json().at("/token/roles").findValuesAsText("name")).contains("member");
    Api asUser = kiln.api().withToken(issued.header("X-Subject-Token"));
    assertThat(asUser.get("/identity/v3/auth/projects").expect(200).get("projects").findValuesAsText("id"))
        .containsExactly(projectId);
    assertThat(admin.get("/identity/v3/users/" + userId + "/projects").expect(200).get("projects")
            .findValuesAsText("id"))
        .containsExactly(projectId);

    // Leaving the group takes the role away from the token at once.
    admin.delete("/identity/v3/groups/" + groupId + "/users/" + userId).expect(204);
    assertThat(asUser.get("/identity/v3/auth/projects").status()).isEqualTo(401);

    admin.put("/identity/v3/groups/" + groupId + "/users/" + userId, "").expect(204);
    Api again = kiln.api().withToken(projectToken(userName, "pw-2", projectId).header("X-Subject-Token"));
    again.get("/identity/v3/auth/projects").expect(200);
    admin.delete("/identity/v3/projects/" + projectId + "/groups/" + groupId + "/roles/" + member).expect(204);
    assertThat(again.get("/identity/v3/auth/projects").status()).isEqualTo(401);
    admin.delete("/identity/v3/projects/" + projectId + "/groups/" + groupId + "/roles/" + member).expect(404);
  }

  @Test
  void deletingAGroupEndsWhatItGaveItsMembers() {
    Api admin = kiln.admin();
    String projectId = project();
    String groupId = group(unique("g"));
    String userName = unique("u");
    String userId = user(userName, "pw-3");
    admin.put("/identity/v3/projects/" + projectId + "/groups/" + groupId + "/roles/" + roleId("reader"), "").expect(204);
    admin.put("/identity/v3/groups/" + groupId + "/users/" + userId, "").expect(204);
    Api asUser = kiln.api().withToken(projectToken(userName, "pw-3", projectId).header("X-Subject-Token"));
    asUser.get("/identity/v3/auth/projects").expect(200);

    admin.delete("/identity/v3/groups/" + groupId).expect(204);

    assertThat(asUser.get("/identity/v3/auth/projects").status()).isEqualTo(401);
    assertThat(admin.get("/identity/v3/role_assignments?scope.project.id=" + projectId).expect(200)
            .get("role_assignments"))
        .isEmpty();
  }

  @Test
  void roleAssignmentsListGroupGrantsAndTheirEffectOnMembers() {
    Api admin = kiln.admin();
    String projectId = project();
    String groupId = group(unique("g"));
    String userId = user(unique("u"), "pw-4");
    String reader = roleId("reader");
    admin.put("/identity/v3/projects/" + projectId + "/groups/" + groupId + "/roles/" + reader, "").expect(204);
    admin.put("/identity/v3/groups/" + groupId + "/users/" + userId, "").expect(204);

    JsonNode direct =
        admin.get("/identity/v3/role_assignments?scope.project.id=" + projectId).expect(200).get("role_assignments");
    assertThat(direct).hasSize(1);
    assertThat(direct.at("/0/group/id").asText()).isEqualTo(groupId);
    assertThat(direct.at("/0/links/assignment").asText())
        .endsWith("/projects/" + projectId + "/groups/" + groupId + "/roles/" + reader);

    JsonNode effective =
        admin.get("/identity/v3/role_assignments?effective&user.id=" + userId).expect(200).get("role_assignments");
    assertThat(effective).hasSize(1);
    assertThat(effective.at("/0/user/id").asText()).isEqualTo(userId);
    assertThat(effective.at("/0/scope/project/id").asText()).isEqualTo(projectId);
    assertThat(effective.at("/0/links/membership").asText()).endsWith("/groups/" + groupId + "/users/" + userId);

    admin.get("/identity/v3/role_assignments?effective&group.id=" + groupId).expect(400);
  }

  @Test
  void deletingAProjectRemovesEveryGrantOnIt() {
    Api admin = kiln.admin();
    String projectId = project();
    String groupId = group(unique("g"));
    String userId = user(unique("u"), "pw-5");
    String member = roleId("member");
    admin.put("/identity/v3/projects/" + projectId + "/groups/" + groupId + "/roles/" + member, "").expect(204);
    admin.put("/identity/v3/projects/" + projectId + "/users/" + userId + "/roles/" + member, "").expect(204);
    assertThat(admin.get("/identity/v3/role_assignments?scope.project.id=" + projectId).expect(200)
            .get("role_assignments"))
        .hasSize(2);

    admin.delete("/identity/v3/projects/" + projectId).expect(204);

    assertThat(admin.get("/identity/v3/role_assignments?scope.project.id=" + projectId).expect(200)
            .get("role_assignments"))
        .isEmpty();
    assertThat(admin.get("/identity/v3/role_assignments?user.id=" + userId).expect(200).get("role_assignments"))
        .isEmpty();
    assertThat(admin.get("/identity/v3/role_assignments?group.id=" + groupId).expect(200).get("role_assignments"))
        .isEmpty();
  }

  @Test
  void systemGrantsToUsersAndGroupsAreKeptListedAndRevoked() {
    Api admin = kiln.admin();
    String userId = user(unique("u"), "pw-8");
    String groupId = group(unique("g"));
    String reader = roleId("reader");
    for (String actor : new String[] {"users/" + userId, "groups/" + groupId}) {
      String base = "/identity/v3/system/" + actor + "/roles";
      admin.put(base + "/" + reader, "").expect(204);
      assertThat(admin.get(base).expect(200).get("roles").findValuesAsText("id")).containsExactly(reader);
      admin.head(base + "/" + reader).expect(204);
    }
    JsonNode listed =
        admin.get("/identity/v3/role_assignments?scope.system=all&role.id=" + reader).expect(200).get("role_assignments");
    assertThat(listed).hasSize(2);
    assertThat(listed.findValues("system").get(0).get("all").asBoolean()).isTrue();
    assertThat(listed.findValuesAsText("assignment")).allMatch(link -> link.contains("/system/"));
    for (String actor : new String[] {"users/" + userId, "groups/" + groupId}) {
      String base = "/identity/v3/system/" + actor + "/roles";
      admin.delete(base + "/" + reader).expect(204);
      admin.head(base + "/" + reader).expect(404);
      admin.delete(base + "/" + reader).expect(404);
    }
  }

  @Test
  void nonAdminsCannotManageGroups() {
    String userName = unique("u");
    String userId = user(userName, "pw-6");
    String projectId = project();
    kiln.admin()
        .put("/identity/v3/projects/" + projectId + "/users/" + userId + "/roles/" + roleId("member"), "")
        .expect(204);
    Api asUser = kiln.api().withToken(projectToken(userName, "pw-6", projectId).header("X-Subject-Token"));
    asUser.post("/identity/v3/groups", "{\"group\": {\"name\": \"mine\"}}").expect(403);
    asUser.get("/identity/v3/users/" + userId + "/groups").expect(200);
    asUser.get("/identity/v3/users/" + kiln.admin().get("/identity/v3/users?name=admin").expect(200)
            .at("/users/0/id").asText() + "/groups")
        .expect(403);
  }
}
