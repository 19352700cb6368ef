package dev.kiln.orchestration.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;

/**
 * The URLs Heat answers with. A stack's canonical URL names its owner's project, its name and its
 * id ({@code …/v1/{project}/stacks/{name}/{id}}); heatclient reads the stack name back out of
 * resource links, so the shape matters.
 */
final class HeatLinks {
  private HeatLinks() {}

  /** {@code http://host/heat-api/v1/{project}}. */
  static String projectUrl(ApiRequest request, String projectId) {
    return request.baseUrl() + OrchestrationApi.PREFIX + "/v1/" + segment(projectId);
  }

  static String stackUrl(ApiRequest request, String projectId, String stackName, String stackId) {
    return projectUrl(request, projectId) + "/stacks/" + segment(stackName) + "/" + segment(stackId);
  }

  static String resourceUrl(String stackUrl, String resourceName) {
    return stackUrl + "/resources/" + segment(resourceName);
  }

  static ObjectNode link(String href, String rel) {
    ObjectNode link = Json.object();
    link.put("href", href);
    link.put("rel", rel);
    return link;
  }

  static ArrayNode self(String href) {
    ArrayNode links = Json.array();
    links.add(link(href, "self"));
    return links;
  }

  /** One path segment, percent-encoded as Python's {@code quote(s, '')} does. */
  static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8)
        .replace("+", "%20")
        .replace("*", "%2A")
        .replace("%7E", "~");
  }

  /** The request's own query string, {@code ?a=1&b=2}, or empty: Heat keeps it across redirects. */
  static String query(ApiRequest request) {
    StringJoiner joined = new StringJoiner("&", "?", "").setEmptyValue("");
    for (String name : request.queryNames()) {
      for (String value : request.queryAll(name)) {
        joined.add(encode(name) + "=" + encode(value));
      }
    }
    return joined.toString();
  }

  /** The query with {@code marker} replaced: the {@code next} link of a full page. */
  static String queryWithMarker(ApiRequest request, String marker) {
    StringJoiner joined = new StringJoiner("&", "?", "");
    for (String name : request.queryNames()) {
      if (name.equals("marker")) {
        continue;
      }
      for (String value : request.queryAll(name)) {
        joined.add(encode(name) + "=" + encode(value));
      }
    }
    joined.add("marker=" + encode(marker));
    return joined.toString();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
