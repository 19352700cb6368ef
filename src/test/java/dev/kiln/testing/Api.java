package dev.kiln.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/** A small JSON-over-HTTP client for tests, on the JDK's HttpClient. */
public final class Api {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private final String baseUrl;
  private final Map<String, String> headers = new LinkedHashMap<>();

  public Api(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** A copy that sends this token in X-Auth-Token. */
  public Api withToken(String token) {
    return withHeader("X-Auth-Token", token);
  }

  public Api withHeader(String name, String value) {
    Api copy = new Api(baseUrl);
    copy.headers.putAll(headers);
    copy.headers.put(name, value);
    return copy;
  }

  public Response get(String path) {
    return send("GET", path, null);
  }

  public Response head(String path) {
    return send("HEAD", path, null);
  }

  public Response delete(String path) {
    return send("DELETE", path, null);
  }

  public Response post(String path, String body) {
    return send("POST", path, body);
  }

  public Response put(String path, String body) {
    return send("PUT", path, body);
  }

  public Response patch(String path, String body) {
    return send("PATCH", path, body);
  }

  public Response send(String method, String path, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path));
    headers.forEach(request::header);
    if (body != null && headers.keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
      request.header("Content-Type", "application/json");
    }
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    try {
      HttpResponse<String> response =
          CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.headers().map(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Issues a project-scoped token with the password method and answers its value. */
  public String token(String user, String password, String project) {
    Response r =
        post(
            "/identity/v3/auth/tokens",
            """
            {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "%s",
             "domain": {"id": "default"}, "password": "%s"}}},
             "scope": {"project": {"name": "%s", "domain": {"id": "default"}}}}}
            """
                .formatted(user, password, project));
    if (r.status() != 201) {
      throw new AssertionError("token issue failed: " + r);
    }
    return r.header("X-Subject-Token");
  }

  /** An HTTP answer with its body parsed as JSON where there is one. */
  public record Response(int status, Map<String, java.util.List<String>> headers, String body) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }

    /**
     * Asserts this answer has {@code status} (the message shows the whole answer) and answers its
     * JSON body, or null where the body is empty.
     */
    public JsonNode expect(int status) {
      org.assertj.core.api.Assertions.assertThat(this.status).as(toString()).isEqualTo(status);
      return body.isEmpty() ? null : json();
    }

    public String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().getFirst())
          .findFirst()
          .orElse(null);
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }
}
