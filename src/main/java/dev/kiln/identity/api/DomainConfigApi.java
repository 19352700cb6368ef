package dev.kiln.identity.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.http.JsonInput;
import dev.kiln.identity.DomainConfigs;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Domain configuration: {@code /v3/domains/{id}/config[/{group}[/{option}]]} and Keystone's
 * defaults at {@code /v3/domains/config[/{group}[/{option}]]/default}, for admins. Values travel
 * as JSON text between here and {@link DomainConfigs}.
 */
final class DomainConfigApi {
  private final DomainConfigs configs;

  DomainConfigApi(DomainConfigs configs) {
    this.configs = requireNonNull(configs, "configs is null");
  }

  void register(ApiRoutes routes) {
    String one = "/v3/domains/{domain_id}/config";
    routes
        .get("/v3/domains/config/default", Access.ADMIN, request -> ok(config(configs.defaultConfig())))
        .get(
            "/v3/domains/config/{group}/default",
            Access.ADMIN,
            request -> ok(group(request.pathParam("group"), configs.defaultGroup(request.pathParam("group")))))
        .get(
            "/v3/domains/config/{group}/{option}/default",
            Access.ADMIN,
            request ->
                ok(option(request.pathParam("option"), configs.defaultOption(request.pathParam("group"), request.pathParam("option")))))
        .put(one, Access.ADMIN, this::replace)
        .get(one, Access.ADMIN, request -> ok(config(configs.config(request.pathParam("domain_id")))))
        .patch(one, Access.ADMIN, request -> update(request, null, null))
        .delete(one, Access.ADMIN, request -> delete(request, null, null))
        .get(
            one + "/{group}",
            Access.ADMIN,
            request ->
                ok(group(request.pathParam("group"), configs.group(request.pathParam("domain_id"), request.pathParam("group")))))
        .patch(one + "/{group}", Access.ADMIN, request -> update(request, request.pathParam("group"), null))
        .delete(one + "/{group}", Access.ADMIN, request -> delete(request, request.pathParam("group"), null))
        .get(
            one + "/{group}/{option}",
            Access.ADMIN,
            request ->
                ok(
                    option(
                        request.pathParam("option"),
                        configs.option(request.pathParam("domain_id"), request.pathParam("group"), request.pathParam("option")))))
        .patch(
            one + "/{group}/{option}",
            Access.ADMIN,
            request -> update(request, request.pathParam("group"), request.pathParam("option")))
        .delete(
            one + "/{group}/{option}",
            Access.ADMIN,
            request -> delete(request, request.pathParam("group"), request.pathParam("option")));
  }

  /** PUT: 201 when the domain had no configuration, 200 when it replaced one, as Keystone answers. */
  private ApiResponse replace(ApiRequest request) {
    String domainId = request.pathParam("domain_id");
    boolean created = configs.replace(domainId, groups(request));
    ObjectNode body = config(configs.config(domainId));
    return created ? ApiResponse.created(body) : ApiResponse.ok(body);
  }

  private ApiResponse update(ApiRequest request, String group, String option) {
    // On an option's URL the body holds just {option: value}; elsewhere {group: {option: value}}.
    Map<String, Map<String, String>> changes =
        option != null ? Map.of(group, options(request, "config")) : groups(request);
    return ok(config(configs.update(request.pathParam("domain_id"), group, option, changes)));
  }

  private ApiResponse delete(ApiRequest request, String group, String option) {
    configs.delete(request.pathParam("domain_id"), group, option);
    return ApiResponse.noContent();
  }

  /** {@code {"config": {group: {option: value}}}} as group to option to JSON text. */
  private static Map<String, Map<String, String>> groups(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "config");
    JsonNode raw = request.body().get("config");
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    Iterator<String> names = raw.fieldNames();
    while (names.hasNext()) {
      String group = names.next();
      in.object(group); // each group an object, or a 400 naming it
      out.put(group, texts(raw.get(group)));
    }
    return out;
  }

  /** {@code {"config": {option: value}}} as option to JSON text. */
  private static Map<String, String> options(ApiRequest request, String key) {
    JsonInput.wrapped(request.body(), key);
    return texts(request.body().get(key));
  }

  private static Map<String, String> texts(JsonNode object) {
    Map<String, String> out = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      if (f.getValue().isContainerNode()) {
        throw ApiError.badRequest(
            "ValidationError", "Invalid input for option '" + f.getKey() + "': expected a string, number, boolean or null.");
      }
      out.put(f.getKey(), f.getValue().toString());
    }
    return out;
  }

  private static ObjectNode config(Map<String, Map<String, String>> config) {
    ObjectNode body = Json.object();
    ObjectNode groups = body.putObject("config");
    config.forEach((group, options) -> groups.set(group, values(options)));
    return body;
  }

  private static ObjectNode group(String group, Map<String, String> options) {
    ObjectNode body = Json.object();
    body.putObject("config").set(group, values(options));
    return body;
  }

  private static ObjectNode option(String option, String value) {
    ObjectNode body = Json.object();
    body.putObject("config").set(option, parse(value));
    return body;
  }

  private static ObjectNode values(Map<String, String> options) {
    ObjectNode n = Json.object();
    options.forEach((name, value) -> n.set(name, parse(value)));
    return n;
  }

  private static JsonNode parse(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored domain config value is not JSON: " + text, e);
    }
  }

  private static ApiResponse ok(ObjectNode body) {
    return ApiResponse.ok(body);
  }
}
