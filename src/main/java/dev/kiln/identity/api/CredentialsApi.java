package dev.kiln.identity.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Caller;
import dev.kiln.http.Json;
import dev.kiln.http.JsonInput;
import dev.kiln.identity.ListFilter;
import dev.kiln.identity.UserCredential;
import dev.kiln.identity.UserCredentials;
import java.nio.charset.StandardCharsets;

/**
 * {@code /v3/credentials} and the EC2 view of them, {@code /v3/users/{id}/credentials/OS-EC2}.
 * Admins manage every credential; a user its own.
 */
final class CredentialsApi {
  static final int BLOB_MAX = 65_536;

  private final UserCredentials credentials;

  CredentialsApi(UserCredentials credentials) {
    this.credentials = requireNonNull(credentials, "credentials is null");
  }

  void register(ApiRoutes routes) {
    String ec2 = "/v3/users/{user_id}/credentials/OS-EC2";
    routes
        .post("/v3/credentials", Access.AUTHENTICATED, this::create)
        .get("/v3/credentials", Access.AUTHENTICATED, this::list)
        .get("/v3/credentials/{credential_id}", Access.AUTHENTICATED, this::show)
        .patch("/v3/credentials/{credential_id}", Access.AUTHENTICATED, this::update)
        .delete("/v3/credentials/{credential_id}", Access.AUTHENTICATED, this::delete)
        .post(ec2, Access.AUTHENTICATED, this::createEc2)
        .get(ec2, Access.AUTHENTICATED, this::listEc2)
        .get(ec2 + "/{access}", Access.AUTHENTICATED, this::showEc2)
        .delete(ec2 + "/{access}", Access.AUTHENTICATED, this::deleteEc2);
  }

  private ApiResponse create(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "credential");
    String userId = in.nonBlankString("user_id", 64);
    AccessChecks.selfOrAdmin(request, userId, "identity:create_credential");
    String type = in.nonBlankString("type", 255);
    String blob = in.string("blob", BLOB_MAX);
    String access = null;
    if (UserCredentials.EC2.equals(type)) {
      access = ec2Access(blob);
      if (in.has("id") && !in.string("id").equals(UserCredentials.ec2Id(access))) {
        throw in.invalid("id", "an ec2 credential's id is the SHA-256 of its access key; leave it out");
      }
    }
    UserCredential created =
        credentials.create(userId, in.optionalString("project_id").orElse(null), type, blob, access);
    return ApiResponse.created(Json.wrap("credential", view(created, request)));
  }

  private ApiResponse list(ApiRequest request) {
    Caller caller = request.caller();
    ListFilter filter = QueryFilters.strings(request, ListFilter.none(), "user_id", "type");
    if (!caller.isAdmin()) {
      filter.eq("user_id", caller.userId());
    }
    ObjectNode body = Json.object();
    var list = body.putArray("credentials");
    credentials.credentials(filter).forEach(c -> list.add(view(c, request)));
    ObjectNode links = body.putObject("links");
    links.put("self", views(request).v3Url() + "/credentials");
    links.putNull("previous");
    links.putNull("next");
    return ApiResponse.ok(body);
  }

  private ApiResponse show(ApiRequest request) {
    return ApiResponse.ok(Json.wrap("credential", view(visible(request, "identity:get_credential"), request)));
  }

  private ApiResponse update(ApiRequest request) {
    UserCredential old = visible(request, "identity:update_credential");
    JsonInput in = JsonInput.wrapped(request.body(), "credential");
    if (in.has("user_id") && !in.string("user_id").equals(old.userId())) {
      throw in.invalid("user_id", "a credential cannot move to another user");
    }
    String blob = in.has("blob") ? in.string("blob", BLOB_MAX) : null;
    String type = in.has("type") ? in.nonBlankString("type", 255) : null;
    if (UserCredentials.EC2.equals(type == null ? old.type() : type) && blob != null) {
      ec2Access(blob);
    }
    UserCredential updated =
        credentials.update(old.id(), in.optionalString("project_id").orElse(null), type, blob);
    return ApiResponse.ok(Json.wrap("credential", view(updated, request)));
  }

  private ApiResponse delete(ApiRequest request) {
    credentials.delete(visible(request, "identity:delete_credential").id());
    return ApiResponse.noContent();
  }

  // OS-EC2

  private ApiResponse createEc2(ApiRequest request) {
    String userId = request.pathParam("user_id");
    AccessChecks.selfOrAdmin(request, userId, "identity:ec2_create_credential");
    JsonInput in = JsonInput.root(request.body());
    in.allowOnly("tenant_id");
    UserCredential created = credentials.createEc2(userId, in.nonBlankString("tenant_id", 64));
    return ApiResponse.created(Json.wrap("credential", ec2View(created, request)));
  }

  private ApiResponse listEc2(ApiRequest request) {
    String userId = request.pathParam("user_id");
    AccessChecks.selfOrAdmin(request, userId, "identity:ec2_list_credentials");
    ObjectNode body = Json.object();
    var list = body.putArray("credentials");
    credentials
        .credentials(ListFilter.none().eq("user_id", userId).eq("type", UserCredentials.EC2))
        .forEach(c -> list.add(ec2View(c, request)));
    ObjectNode links = body.putObject("links");
    links.put("self", views(request).v3Url() + "/users/" + userId + "/credentials/OS-EC2");
    links.putNull("previous");
    links.putNull("next");
    return ApiResponse.ok(body);
  }

  private ApiResponse showEc2(ApiRequest request) {
    String userId = request.pathParam("user_id");
    AccessChecks.selfOrAdmin(request, userId, "identity:ec2_get_credential");
    return ApiResponse.ok(
        Json.wrap("credential", ec2View(credentials.ec2(userId, request.pathParam("access")), request)));
  }

  private ApiResponse deleteEc2(ApiRequest request) {
    String userId = request.pathParam("user_id");
    AccessChecks.selfOrAdmin(request, userId, "identity:ec2_delete_credential");
    credentials.delete(credentials.ec2(userId, request.pathParam("access")).id());
    return ApiResponse.noContent();
  }

  // Views and checks

  private static ObjectNode view(UserCredential c, ApiRequest request) {
    ObjectNode n = Json.object();
    n.put("id", c.id());
    n.put("user_id", c.userId());
    if (c.projectId() == null) {
      n.putNull("project_id");
    } else {
      n.put("project_id", c.projectId());
    }
    n.put("type", c.type());
    n.put("blob", c.blob());
    n.putObject("links").put("self", views(request).v3Url() + "/credentials/" + c.id());
    return n;
  }

  private static ObjectNode ec2View(UserCredential c, ApiRequest request) {
    JsonNode blob = parse(c.blob());
    ObjectNode n = Json.object();
    n.put("user_id", c.userId());
    n.put("tenant_id", c.projectId());
    n.set("access", blob.path("access"));
    n.set("secret", blob.path("secret"));
    n.putNull("trust_id");
    n.putObject("links")
        .put(
            "self",
            views(request).v3Url() + "/users/" + c.userId() + "/credentials/OS-EC2/" + blob.path("access").asText());
    return n;
  }

  /** The access key of an ec2 blob, which must be a JSON object holding one. */
  private static String ec2Access(String blob) {
    JsonNode access = parse(blob).path("access");
    if (!access.isTextual() || access.textValue().isEmpty()) {
      throw ApiError.badRequest(
          "ValidationError",
          "Invalid blob in credential: an ec2 credential's blob is a JSON object with an 'access' key.");
    }
    return access.textValue();
  }

  private static JsonNode parse(String blob) {
    try {
      return Json.parse(blob.getBytes(StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return Json.object();
    }
  }

  private UserCredential visible(ApiRequest request, String policy) {
    UserCredential c = credentials.credential(request.pathParam("credential_id"));
    AccessChecks.selfOrAdmin(request, c.userId(), policy);
    return c;
  }

  private static IdentityViews views(ApiRequest request) {
    return new IdentityViews(request.baseUrl());
  }
}
