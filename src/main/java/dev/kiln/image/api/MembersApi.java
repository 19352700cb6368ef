package dev.kiln.image.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.image.ImageMember;
import dev.kiln.image.ImageMembers;

/** {@code /v2/images/{image_id}/members}: sharing an image with other projects. */
final class MembersApi {
  private final ImageMembers members;

  MembersApi(ImageMembers members) {
    this.members = requireNonNull(members, "members is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get("/v2/schemas/member", Access.AUTHENTICATED, request -> ApiResponse.ok(ImageSchemas.member()))
        .get("/v2/schemas/members", Access.AUTHENTICATED, request -> ApiResponse.ok(ImageSchemas.members()))
        .get("/v2/images/{image_id}/members", Access.AUTHENTICATED, this::list)
        .post("/v2/images/{image_id}/members", Access.AUTHENTICATED, this::create)
        .get("/v2/images/{image_id}/members/{member_id}", Access.AUTHENTICATED, this::show)
        .put("/v2/images/{image_id}/members/{member_id}", Access.AUTHENTICATED, this::update)
        .delete("/v2/images/{image_id}/members/{member_id}", Access.AUTHENTICATED, this::delete);
  }

  private ApiResponse list(ApiRequest request) {
    ObjectNode body = Json.object();
    ArrayNode list = body.putArray("members");
    members.list(request.caller().actor(), request.pathParam("image_id")).forEach(m -> list.add(view(m)));
    body.put("schema", "/v2/schemas/members");
    return ApiResponse.ok(body);
  }

  private ApiResponse create(ApiRequest request) {
    JsonNode member = object(request, "member", "{\"member\": \"<project id>\"}");
    if (member == null) {
      throw ApiError.badRequest("The member to add is missing: give {\"member\": \"<project id>\"}.");
    }
    if (!member.isTextual() || member.textValue().isEmpty()) {
      throw ApiError.badRequest("The member must be a non-empty project id string.");
    }
    ImageMember made = members.add(request.caller().actor(), request.pathParam("image_id"), member.textValue());
    // Glance answers a member create with 200, not 201.
    return ApiResponse.ok(view(made));
  }

  private ApiResponse show(ApiRequest request) {
    return ApiResponse.ok(
        view(members.show(request.caller().actor(), request.pathParam("image_id"), request.pathParam("member_id"))));
  }

  private ApiResponse update(ApiRequest request) {
    JsonNode status = object(request, "status", "{\"status\": \"accepted\"}");
    if (status == null) {
      throw ApiError.badRequest("The status is missing: give {\"status\": \"accepted\"}.");
    }
    ImageMember updated =
        members.updateStatus(
            request.caller().actor(), request.pathParam("image_id"), request.pathParam("member_id"),
            status.isTextual() ? status.textValue() : status.toString());
    return ApiResponse.ok(view(updated));
  }

  private ApiResponse delete(ApiRequest request) {
    members.remove(request.caller().actor(), request.pathParam("image_id"), request.pathParam("member_id"));
    return ApiResponse.noContent();
  }

  /** The body's member {@code name}, or null when absent; 400 when the body is no object. */
  private static JsonNode object(ApiRequest request, String name, String example) {
    JsonNode body = request.body();
    if (!body.isObject()) {
      throw ApiError.badRequest("The body must be a JSON object such as " + example + ".");
    }
    JsonNode value = body.get(name);
    return value == null || value.isNull() ? null : value;
  }

  static ObjectNode view(ImageMember m) {
    ObjectNode o = Json.object();
    o.put("member_id", m.memberId());
    o.put("image_id", m.imageId());
    o.put("status", m.status().apiName());
    o.put("created_at", ImageViews.time(m.createdAt()));
    o.put("updated_at", ImageViews.time(m.updatedAt()));
    o.put("schema", "/v2/schemas/member");
    return o;
  }
}
