package dev.kiln.guest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The agent's HTTP: JSON requests over the JDK client, answers with their status. One instance
 * serves every agent (the client pools connections, and each call blocks only its virtual thread).
 */
final class GuestHttp implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final Supplier<HttpClient> newClient;
  /**
   * Made at the first request, not with the agents: the JDK client sets up TLS (the CA
   * certificates) and starts a selector thread, which cost Kiln's start ~20% of its main thread's
   * CPU time while most clouds never run an agent.
   */
  private HttpClient client;
  private boolean closed;

  GuestHttp(HttpClient client) {
    requireNonNull(client, "client is null");
    this.newClient = () -> client;
  }

  private GuestHttp(Supplier<HttpClient> newClient) {
    this.newClient = newClient;
  }

  static GuestHttp create() {
    return new GuestHttp(
        () -> HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL).build());
  }

  private synchronized HttpClient client() throws IOException {
    if (closed) {
      throw new IOException("the guest agents' HTTP client is closed");
    }
    if (client == null) {
      client = newClient.get();
    }
    return client;
  }

  /** One answer: the status, the headers a caller needs, the body as text. */
  record Answer(int status, Map<String, java.util.List<String>> headers, String body) {
    boolean ok() {
      return status >= 200 && status < 300;
    }

    JsonNode json() throws GuestException {
      try {
        return body == null || body.isBlank() ? JSON.nullNode() : JSON.readTree(body);
      } catch (IOException e) {
        throw new GuestException("the answer is not JSON: " + e.getMessage());
      }
    }

    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
          .map(e -> e.getValue().getFirst())
          .findFirst()
          .orElse(null);
    }
  }

  /** Sends {@code body} (JSON text, or null for none) with {@code method}, and an auth token if given. */
  Answer send(String method, String url, String token, String body) throws GuestException {
    HttpRequest.Builder request;
    try {
      request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).header("Accept", "application/json");
    } catch (IllegalArgumentException e) {
      throw new GuestException("bad URL " + url + ": " + e.getMessage());
    }
    if (token != null) {
      request.header("X-Auth-Token", token);
    }
    if (body != null) {
      request.header("Content-Type", "application/json");
      request.method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    try {
      HttpResponse<String> response = client().send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Answer(response.statusCode(), response.headers().map(), response.body());
    } catch (IOException e) {
      throw new GuestException(method + " " + url + " failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GuestException(method + " " + url + " was interrupted");
    }
  }

  /** Ends the client's connections and its selector thread. */
  @Override
  public void close() {
    HttpClient made;
    synchronized (this) {
      closed = true;
      made = client;
    }
    if (made == null) {
      return;
    }
    made.close();
  }
}
