package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SocketClientTest {
  private HttpServer server;
  /** What each request brought: method, path, token, body, and the client's port (its connection). */
  private final List<String> seen = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/fixed", exchange -> answer(exchange, 201, "{\"port\": {}}", false));
    server.createContext("/chunked", exchange -> answer(exchange, 200, "x".repeat(20_000), true));
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void answer(HttpExchange exchange, int status, String body, boolean chunked) throws IOException {
    byte[] request = exchange.getRequestBody().readAllBytes();
    seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
        + exchange.getRequestHeaders().getFirst("X-Auth-Token") + " "
        + new String(request, StandardCharsets.UTF_8) + " " + exchange.getRemoteAddress().getPort());
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, chunked ? 0 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Test
  void sendsTheRequestAndReadsAFixedLengthAnswer() throws IOException {
    try (SocketClient client = new SocketClient(url())) {
      SocketClient.Response response = client.send("POST", "/fixed/ports", "tok", "{\"a\": 1}");

      assertThat(response.status()).isEqualTo(201);
      assertThat(response.body()).isEqualTo("{\"port\": {}}");
      assertThat(seen.getFirst()).startsWith("POST /fixed/ports tok {\"a\": 1} ");
    }
  }

  @Test
  void readsAChunkedAnswerWhole() throws IOException {
    try (SocketClient client = new SocketClient(url())) {
      SocketClient.Response response = client.send("GET", "/chunked", null, null);

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.body()).hasSize(20_000).matches("x+");
    }
  }

  @Test
  void keepsOneConnectionForRequestsInARow() throws IOException {
    try (SocketClient client = new SocketClient(url())) {
      for (int i = 0; i < 3; i++) {
        client.send("POST", "/fixed", "tok", "{}");
        client.send("GET", "/chunked", "tok", null);
      }
    }

    assertThat(seen).hasSize(6);
    assertThat(seen.stream().map(line -> line.substring(line.lastIndexOf(' ') + 1)).distinct()).hasSize(1);
  }

  @Test
  void anAnswerCutShortIsAnErrorNotAShorterBody() throws Exception {
    try (ServerSocket half = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual().start(() -> {
        try (Socket accepted = half.accept()) {
          accepted.getInputStream().read(new byte[4096]);
          accepted.getOutputStream().write(
              "HTTP/1.1 201 Created\r\nContent-Length: 100\r\n\r\n{\"por".getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException ignored) {
          // the test fails on its own assertion
        }
      });
      try (SocketClient client = new SocketClient("http://127.0.0.1:" + half.getLocalPort())) {
        assertThatThrownBy(() -> client.send("POST", "/ports", "tok", "{}"))
            .isInstanceOf(EOFException.class)
            .hasMessageContaining("95 bytes before the body's end");
      }
    }
  }
}
