package dev.kiln.orchestration.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.orchestration.OrchestrationService;
import dev.kiln.orchestration.api.HeatPolicy.Role;
import dev.kiln.orchestration.template.ParsedStack;
import dev.kiln.orchestration.template.TemplateFunction;
import dev.kiln.orchestration.template.TemplateSource;
import dev.kiln.orchestration.template.TemplateVersion;
import java.util.List;
import java.util.Map;

/**
 * The template operations that need no stack: {@code POST /validate}, {@code GET
 * /template_versions} and {@code GET /template_versions/{version}/functions}.
 */
final class TemplatesApi {
  private final OrchestrationService service;

  TemplatesApi(OrchestrationService service) {
    this.service = requireNonNull(service, "service is null");
  }

  void register(ApiRoutes routes) {
    String base = "/v1/{project_id}";
    routes
        .post(base + "/validate", Access.AUTHENTICATED, this::validate)
        .get(base + "/template_versions", Access.AUTHENTICATED, this::versions)
        .get(base + "/template_versions/{template_version}/functions", Access.AUTHENTICATED, this::functions);
  }

  /**
   * The template's description, parameters (in Heat's CFN-style keys), groups and environment. A
   * template that does not validate is a 400 whose message is the validation's, as Heat answers.
   */
  private ApiResponse validate(ApiRequest request) {
    Actor actor = HeatPolicy.enforce(request, "validate_template", Role.MEMBER);
    boolean showNested = HeatParams.bool(request, "show_nested", false);
    ObjectNode in = StackRequests.object(request.body());
    TemplateSource template = StackRequests.template(in);
    Map<String, JsonNode> parameters = StackRequests.parameters(in);
    ParsedStack parsed;
    try {
      parsed = service.validate(actor, template, parameters);
    } catch (ServiceException e) {
      if (e.kind() != ServiceException.Kind.INVALID) {
        throw e;
      }
      // Heat's validate turns every template error into a plain HTTPBadRequest.
      throw ApiError.badRequest(e.getMessage());
    }
    // The environment's parameters are the user's values too (Heat merges them before validating).
    Map<String, JsonNode> values = new java.util.LinkedHashMap<>(parsed.environment().parameters());
    values.putAll(parameters);
    return ApiResponse.ok(ValidateView.of(
        parsed, parameters, showNested ? service.nestedTemplates(actor, template, parsed, values) : List.of()));
  }

  private ApiResponse versions(ApiRequest request) {
    HeatPolicy.enforce(request, "list_template_versions", Role.READER);
    ArrayNode versions = Json.array();
    for (TemplateVersion v : service.templateVersions()) {
      ObjectNode o = versions.addObject();
      o.put("version", v.version());
      o.put("type", v.type());
      ArrayNode aliases = o.putArray("aliases");
      v.aliases().forEach(aliases::add);
    }
    return ApiResponse.ok(Json.wrap("template_versions", versions));
  }

  /** A version's functions; {@code with_condition_func=true} adds its condition functions. */
  private ApiResponse functions(ApiRequest request) {
    HeatPolicy.enforce(request, "list_template_functions", Role.READER);
    String version = request.pathParam("template_version");
    boolean withConditions = HeatParams.bool(request, "with_condition_func", false);
    // The service lists the condition functions in addition to the others when asked, as Heat does.
    List<TemplateFunction> functions = service.templateFunctions(version, withConditions);
    ArrayNode list = Json.array();
    for (TemplateFunction f : functions) {
      ObjectNode o = list.addObject();
      o.put("functions", f.name());
      o.put("description", f.description());
    }
    return ApiResponse.ok(Json.wrap("template_functions", list));
  }
}
