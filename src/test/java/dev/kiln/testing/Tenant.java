package dev.kiln.testing;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A project with one user holding the member role in it, and that user's client: what most API
 * tests act as. The user's password is {@link #PASSWORD}.
 */
public record Tenant(String projectId, String projectName, String userId, String userName, String token, Api api) {
  public static final String PASSWORD = "pw";

  /** A new project {@code project} with a new member user {@code user}, logged in. */
  public static Tenant create(RunningKiln kiln, Api admin, String project, String user) {
    String projectId =
        admin.post("/identity/v3/projects", "{\"project\": {\"name\": \"" + project + "\"}}").expect(201).at("/project/id").asText();
    String userId = addMember(admin, projectId, user);
    Api anonymous = kiln.api();
    String token = anonymous.token(user, PASSWORD, project);
    return new Tenant(projectId, project, userId, user, token, anonymous.withToken(token));
  }

  /** Like {@link #create(RunningKiln, Api, String, String)}, on a class's {@link KilnExtension}. */
  public static Tenant create(KilnExtension kiln, Api admin, String project, String user) {
    return create(kiln.running(), admin, project, user);
  }

  /** Like {@link #admin(RunningKiln)}, on a class's {@link KilnExtension}. */
  public static Tenant admin(KilnExtension kiln) {
    return admin(kiln.running());
  }

  /** The bootstrap admin in the admin project, logged in; its project id is read from its token. */
  public static Tenant admin(RunningKiln kiln) {
    Api anonymous = kiln.api();
    String token = anonymous.token("admin", RunningKiln.ADMIN_PASSWORD, "admin");
    Api api = anonymous.withToken(token);
    JsonNode shown = api.withHeader("X-Subject-Token", token).get("/identity/v3/auth/tokens").expect(200).get("token");
    return new Tenant(shown.at("/project/id").asText(), "admin", shown.at("/user/id").asText(), "admin", token, api);
  }

  /** Creates user {@code user} (password {@link #PASSWORD}) with the member role on a project; answers its id. */
  public static String addMember(Api admin, String projectId, String user) {
    String userId =
        admin.post("/identity/v3/users", "{\"user\": {\"name\": \"" + user + "\", \"password\": \"" + PASSWORD + "\"}}")
            .expect(201).at("/user/id").asText();
    admin.put("/identity/v3/projects/" + projectId + "/users/" + userId + "/roles/" + memberRole(admin), null).expect(204);
    return userId;
  }

  /** The id of Keystone's member role. */
  public static String memberRole(Api admin) {
    return admin.get("/identity/v3/roles?name=member").expect(200).at("/roles/0/id").asText();
  }

  /** This tenant's Block Storage root, /volume/v3/{project}. */
  public String cinder() {
    return "/volume/v3/" + projectId;
  }

  /** Debian's {@code openstack} as this user in this project. */
  public OpenStackCli cli(String authUrl) {
    return OpenStackCli.as(authUrl, userName, PASSWORD, projectName);
  }

  /** The user's client, sending Nova microversion {@code version} on every request. */
  public Api atNova(String version) {
    return api.withHeader("X-OpenStack-Nova-API-Version", version);
  }
}
