package dev.kiln.cli;

import dev.kiln.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The few HTTP calls the bench and training commands make against a Kiln. */
final class LocalClient {
  // HTTP/1.1 with keep-alive, as the OpenStack clients talk to Kiln (no h2c upgrade attempts).
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String baseUrl;

  LocalClient(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  String baseUrl() {
    return baseUrl;
  }

  static String passwordAuth(String password) {
    return TrainingClient.passwordAuth(password);
  }

  /** Issues an admin token; answers the token and the body (which holds the user id). */
  HttpResponse<String> issueToken(String password) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(baseUrl + "/identity/v3/auth/tokens"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(passwordAuth(password)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 201) {
      throw new IOException("token issue answered " + response.statusCode() + ": " + response.body());
    }
    return response;
  }

  HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).GET();
    if (token != null) {
      request.header("X-Auth-Token", token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Sends a JSON request with a token and, where given, a Cinder microversion. */
  HttpResponse<String> send(String method, String path, String token, String volumeVersion, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
            .header("X-Auth-Token", token);
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (volumeVersion != null) {
      request.header("OpenStack-API-Version", "volume " + volumeVersion);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Sends a JSON request with a token and an {@code OpenStack-API-Version} header such as "compute 2.37". */
  HttpResponse<String> sendVersioned(String method, String path, String token, String apiVersion, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
            .header("X-Auth-Token", token)
            .header("OpenStack-API-Version", apiVersion);
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String token(HttpResponse<String> issued) {
    return issued.headers().firstValue("X-Subject-Token").orElseThrow();
  }

  /** The id of the project a token body is scoped to. */
  static String projectId(HttpResponse<String> issued) throws IOException {
    return Json.MAPPER.readTree(issued.body()).at("/token/project/id").asText();
  }

  /** The id of the user a token body describes. */
  static String userId(HttpResponse<String> issued) throws IOException {
    return Json.MAPPER.readTree(issued.body()).at("/token/user/id").asText();
  }

  /** The answer's body when its status is {@code status}; otherwise an error naming the request and its answer. */
  static String expect(int status, HttpResponse<String> response) throws IOException {
    if (response.statusCode() != status) {
      throw new IOException(response.request().method() + " " + response.request().uri() + " answered "
          + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }
}
