package dev.kiln.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The training run's HTTP client: HTTP/1.1 over one kept-alive socket, written with the classes a
 * server loads anyway.
 *
 * <p>Why not the JDK's HTTP client ({@link LocalClient}): everything the training run loads goes
 * into the class cache, and the JDK AOT cache loads every class it holds at each start. The JDK's
 * client is several hundred classes and a selector thread that {@code kiln serve} never uses, so
 * with it in the cache each start loaded and kept them for nothing.
 */
final class TrainingClient implements AutoCloseable {
  /** One answer: status, headers (names in lower case) and body. */
  record Response(int status, Map<String, String> headers, String body) {}

  private final String host;
  private final int port;
  private Socket socket;
  private InputStream in;

  TrainingClient(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /** The body of a password login of the admin user to the admin project. */
  static String passwordAuth(String password) {
    return """
        {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "admin",
         "domain": {"id": "default"}, "password": "%s"}}},
         "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}}
        """
        .formatted(password.replace("\\", "\\\\").replace("\"", "\\\""));
  }

  Response get(String path, String token) throws IOException {
    return exchange("GET", path, token, null);
  }

  Response post(String path, String token, String jsonBody) throws IOException {
    return exchange("POST", path, token, jsonBody);
  }

  private Response exchange(String method, String path, String token, String jsonBody) throws IOException {
    if (socket == null) {
      socket = new Socket();
      socket.connect(new InetSocketAddress(host, port), 5_000);
      socket.setSoTimeout(30_000);
      in = new BufferedInputStream(socket.getInputStream());
    }
    byte[] body = jsonBody == null ? new byte[0] : jsonBody.getBytes(StandardCharsets.UTF_8);
    StringBuilder request = new StringBuilder()
        .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
        .append("Host: ").append(host).append(':').append(port).append("\r\n")
        .append("Accept: application/json\r\n");
    if (token != null) {
      request.append("X-Auth-Token: ").append(token).append("\r\n");
    }
    if (jsonBody != null) {
      request.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
    }
    request.append("\r\n");
    OutputStream out = socket.getOutputStream();
    out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
    return read();
  }

  private Response read() throws IOException {
    String[] status = line().split(" ");
    if (status.length < 2 || !status[0].startsWith("HTTP/")) {
      throw new IOException("not an HTTP answer: " + String.join(" ", status));
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (String header = line(); !header.isEmpty(); header = line()) {
      int colon = header.indexOf(':');
      if (colon > 0) {
        headers.put(header.substring(0, colon).strip().toLowerCase(Locale.ROOT), header.substring(colon + 1).strip());
      }
    }
    byte[] body;
    if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
      ByteArrayOutputStream chunks = new ByteArrayOutputStream();
      for (int size = chunkSize(); size > 0; size = chunkSize()) {
        chunks.write(in.readNBytes(size));
        line(); // the CRLF after the chunk
      }
      while (!line().isEmpty()) {
        // trailers, if any
      }
      body = chunks.toByteArray();
    } else {
      body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
    }
    if ("close".equalsIgnoreCase(headers.getOrDefault("connection", ""))) {
      close();
    }
    return new Response(Integer.parseInt(status[1]), headers, new String(body, StandardCharsets.UTF_8));
  }

  private int chunkSize() throws IOException {
    String size = line();
    int semicolon = size.indexOf(';');
    return Integer.parseInt(semicolon < 0 ? size : size.substring(0, semicolon), 16);
  }

  private String line() throws IOException {
    return ServeCommand.readLine(in);
  }

  @Override
  public void close() throws IOException {
    if (socket != null) {
      socket.close();
      socket = null;
    }
  }
}
