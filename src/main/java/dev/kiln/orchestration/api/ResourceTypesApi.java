package dev.kiln.orchestration.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.kiln.common.Actor;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.orchestration.OrchestrationService;
import dev.kiln.orchestration.ResourceTypePolicy;
import dev.kiln.orchestration.api.HeatPolicy.Role;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import dev.kiln.orchestration.template.schema.SupportStatus;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code /v1/{project_id}/resource_types}: the types Kiln implements (filtered by {@code name} — a
 * regular expression matched at the start, as Python's {@code re.match} does — {@code
 * support_status} and {@code version}, with descriptions on request), one type's schema, and a
 * template generated from it.
 */
final class ResourceTypesApi {
  private static final List<String> SUPPORT_STATUSES =
      List.of("UNKNOWN", "SUPPORTED", "DEPRECATED", "UNSUPPORTED", "HIDDEN");

  private final OrchestrationService service;

  ResourceTypesApi(OrchestrationService service) {
    this.service = requireNonNull(service, "service is null");
  }

  void register(ApiRoutes routes) {
    String types = "/v1/{project_id}/resource_types";
    routes
        .get(types, Access.AUTHENTICATED, this::list)
        .get(types + "/{type_name}", Access.AUTHENTICATED, this::show)
        .get(types + "/{type_name}/template", Access.AUTHENTICATED, this::template);
  }

  private ApiResponse list(ApiRequest request) {
    Actor actor = HeatPolicy.enforce(request, "list_resource_types", Role.READER);
    String status = request.query("support_status").orElse(null);
    if (status != null && !SUPPORT_STATUSES.contains(status)) {
      throw ApiError.badRequest(
          "Invalid",
          "Data supplied was not valid: Invalid support status and should be one of "
              + "('UNKNOWN', 'SUPPORTED', 'DEPRECATED', 'UNSUPPORTED', 'HIDDEN')");
    }
    String version = request.query("version").orElse(null);
    boolean withDescription = HeatParams.bool(request, "with_description", false);
    Pattern name;
    try {
      name = request.query("name").map(Pattern::compile).orElse(null);
    } catch (PatternSyntaxException e) {
      // Heat answers an empty list for a name that is not a valid expression.
      return ApiResponse.ok(Json.wrap("resource_types", Json.array()));
    }
    ArrayNode types = Json.array();
    for (ResourceSchema type : service.resourceTypes()) {
      SupportStatus support = type.supportStatus() == null ? SupportStatus.SUPPORTED : type.supportStatus();
      boolean matches =
          !ResourceTypeViews.hidden(support)
              && ResourceTypePolicy.allowed(actor, type.type())
              && (name == null || name.matcher(type.type()).lookingAt())
              && (version == null || version.equals(support.version()))
              && (status == null || status.equals(support.status()));
      if (!matches) {
        continue;
      }
      if (withDescription) {
        types.addObject()
            .put("resource_type", type.type())
            .put("description", ResourceTypeViews.description(type));
      } else {
        types.add(type.type());
      }
    }
    return ApiResponse.ok(Json.wrap("resource_types", types));
  }

  private ApiResponse show(ApiRequest request) {
    Actor actor = HeatPolicy.enforce(request, "resource_schema", Role.READER);
    ResourceTypePolicy.enforce(actor, List.of(request.pathParam("type_name")));
    ResourceSchema type = visible(request.pathParam("type_name"));
    return ApiResponse.ok(
        ResourceTypeViews.schema(type, HeatParams.bool(request, "with_description", false)));
  }

  private ApiResponse template(ApiRequest request) {
    Actor actor = HeatPolicy.enforce(request, "generate_template", Role.MEMBER);
    ResourceTypePolicy.enforce(actor, List.of(request.pathParam("type_name")));
    String templateType = request.query("template_type").orElse("cfn");
    String kind = templateType.toLowerCase(Locale.ROOT);
    if (!kind.equals("cfn") && !kind.equals("hot")) {
      throw ApiError.badRequest(
          "Template type is not supported: Invalid template type \""
              + templateType
              + "\", valid types are: cfn, hot.");
    }
    ResourceSchema type = visible(request.pathParam("type_name"));
    return ApiResponse.ok(
        kind.equals("hot") ? ResourceTypeTemplate.hot(type) : ResourceTypeTemplate.cfn(type));
  }

  /** A type's schema; a hidden type is Heat's NotSupported. */
  private ResourceSchema visible(String typeName) {
    ResourceSchema type = Objects.requireNonNull(service.resourceType(typeName), "resourceType");
    if (ResourceTypeViews.hidden(type.supportStatus())) {
      throw StackRequests.notSupported(typeName);
    }
    return type;
  }
}
