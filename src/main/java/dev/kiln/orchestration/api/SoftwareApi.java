package dev.kiln.orchestration.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.http.Access;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.orchestration.api.HeatPolicy.Role;
import dev.kiln.orchestration.software.SoftwareService;
import dev.kiln.orchestration.software.SoftwareService.ConfigSpec;
import dev.kiln.orchestration.software.SoftwareService.DeploymentChange;
import dev.kiln.orchestration.software.SoftwareService.DeploymentSpec;
import dev.kiln.orchestration.software.SoftwareViews;

/**
 * {@code …/software_configs} (create, list, show, delete) and {@code …/software_deployments}
 * (create, list, show, update, delete, and {@code metadata/{server_id}}): Heat's bodies, status
 * codes (create answers 200, delete 204) and policy names.
 */
final class SoftwareApi {
  private final SoftwareService software;

  SoftwareApi(SoftwareService software) {
    this.software = requireNonNull(software, "software is null");
  }

  void register(ApiRoutes routes) {
    String configs = "/v1/{project_id}/software_configs";
    String deployments = "/v1/{project_id}/software_deployments";
    routes
        .get(configs, Access.AUTHENTICATED, this::listConfigs)
        .post(configs, Access.AUTHENTICATED, this::createConfig)
        .get(configs + "/{config_id}", Access.AUTHENTICATED, this::showConfig)
        .delete(configs + "/{config_id}", Access.AUTHENTICATED, this::deleteConfig)
        .get(deployments, Access.AUTHENTICATED, this::listDeployments)
        .post(deployments, Access.AUTHENTICATED, this::createDeployment)
        .get(deployments + "/metadata/{server_id}", Access.AUTHENTICATED, this::metadata)
        .get(deployments + "/{deployment_id}", Access.AUTHENTICATED, this::showDeployment)
        .put(deployments + "/{deployment_id}", Access.AUTHENTICATED, this::updateDeployment)
        .delete(deployments + "/{deployment_id}", Access.AUTHENTICATED, this::deleteDeployment);
  }

  private ApiResponse listConfigs(ApiRequest request) {
    Actor actor = HeatPolicy.enforce(request, "software_configs:index", Role.READER);
    boolean all = HeatParams.bool(request, "global_tenant", false);
    if (all && !actor.admin()) {
      throw HeatPolicy.forbidden("software_configs:global_index");
    }
    Integer limit = HeatParams.nonNegativeInt(request, "limit").orElse(null);
    ArrayNode items = Json.array();
    software.configs(actor, all, limit, request.query("marker").orElse(null))
        .forEach(c -> items.add(SoftwareViews.config(c, false)));
    return ApiResponse.ok(Json.wrap("software_configs", items));
  }

  private ApiResponse createConfig(ApiRequest request) {
    Actor actor = HeatPolicy.enforce(request, "software_configs:create", Role.MEMBER);
    ObjectNode body = StackRequests.object(request.body());
    ConfigSpec spec =
        new ConfigSpec(
            null, text(body, "name"), text(body, "group"), body.get("config"), body.get("inputs"), body.get("outputs"),
            body.get("options"));
    return ApiResponse.ok(Json.wrap("software_config", SoftwareViews.config(software.createConfig(actor, spec), true)));
  }

  private ApiResponse showConfig(ApiRequest request) {
    Actor actor = HeatPolicy.enforce(request, "software_configs:show", Role.READER);
    return ApiResponse.ok(
        Json.wrap("software_config", SoftwareViews.config(software.config(actor, request.pathParam("config_id")), true)));
  }

  private ApiResponse deleteConfig(ApiRequest request) {
    Actor actor = HeatPolicy.enforce(request, "software_configs:delete", Role.MEMBER);
    software.deleteConfig(actor, request.pathParam("config_id"));
    return ApiResponse.noContent();
  }

  private ApiResponse listDeployments(ApiRequest request) {
    Actor actor = HeatPolicy.enforce(request, "software_deployments:index", Role.READER);
    ArrayNode items = Json.array();
    software.deployments(actor, request.query("server_id").orElse(null))
        .forEach(d -> items.add(SoftwareViews.deployment(d)));
    return ApiResponse.ok(Json.wrap("software_deployments", items));
  }

  private ApiResponse createDeployment(ApiRequest request) {
    Actor actor = HeatPolicy.enforce(request, "software_deployments:create", Role.MEMBER);
    ObjectNode body = StackRequests.object(request.body());
    DeploymentSpec spec =
        new DeploymentSpec(
            null, text(body, "config_id"), text(body, "server_id"), body.get("input_values"), text(body, "action"),
            text(body, "status"), text(body, "status_reason"), null);
    return ApiResponse.ok(Json.wrap("software_deployment", SoftwareViews.deployment(software.createDeployment(actor, spec))));
  }

  private ApiResponse showDeployment(ApiRequest request) {
    Actor actor = HeatPolicy.enforce(request, "software_deployments:show", Role.READER);
    return ApiResponse.ok(
        Json.wrap(
            "software_deployment",
            SoftwareViews.deployment(software.deployment(actor, request.pathParam("deployment_id")))));
  }

  private ApiResponse updateDeployment(ApiRequest request) {
    Actor actor = HeatPolicy.enforce(request, "software_deployments:update", Role.MEMBER);
    ObjectNode body = StackRequests.object(request.body());
    DeploymentChange change =
        new DeploymentChange(
            text(body, "config_id"), body.get("input_values"), body.get("output_values"), text(body, "action"),
            text(body, "status"), text(body, "status_reason"));
    return ApiResponse.ok(
        Json.wrap(
            "software_deployment",
            SoftwareViews.deployment(software.updateDeployment(actor, request.pathParam("deployment_id"), change))));
  }

  private ApiResponse deleteDeployment(ApiRequest request) {
    Actor actor = HeatPolicy.enforce(request, "software_deployments:delete", Role.MEMBER);
    software.deleteDeployment(actor, request.pathParam("deployment_id"));
    return ApiResponse.noContent();
  }

  private ApiResponse metadata(ApiRequest request) {
    Actor actor = HeatPolicy.enforce(request, "software_deployments:metadata", Role.READER);
    return ApiResponse.ok(Json.wrap("metadata", software.metadata(actor, request.pathParam("server_id"))));
  }

  /** Heat keeps these in columns of 255 characters (a status reason has no limit). */
  private static final int MAX_TEXT = 255;

  private static String text(ObjectNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw dev.kiln.http.ApiError.badRequest("The " + field + " must be a string.");
    }
    String text = value.asText();
    if (!field.equals("status_reason") && text.length() > MAX_TEXT) {
      throw dev.kiln.http.ApiError.badRequest(
          "The " + field + " is " + text.length() + " characters long; at most " + MAX_TEXT + " are allowed.");
    }
    return text;
  }
}
