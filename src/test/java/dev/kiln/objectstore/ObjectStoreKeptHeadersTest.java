package dev.kiln.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Tenant;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The headers Swift keeps with an object (Content-Disposition, Content-Encoding, X-Delete-At and
 * X-Delete-After, X-Object-Manifest), object expiry, and dynamic large objects.
 */
class ObjectStoreKeptHeadersTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static Tenant mine;
  private static String container;

  @BeforeAll
  static void tenant() throws Exception {
    Tenant admin = Tenant.admin(kiln);
    mine = Tenant.create(kiln, admin.api(), "kept-headers", "kept-user");
    container = account() + "/c-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(send("PUT", container, null).statusCode()).isEqualTo(201);
  }

  private static String account() {
    return "/object-store/v1/AUTH_" + mine.projectId();
  }

  private static HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(kiln.baseUrl() + path)).header("X-Auth-Token", mine.token());
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String object() {
    return container + "/o-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void contentDispositionIsKeptAndAnsweredOnGetAndHead() throws Exception {
    String o = object();
    assertThat(send("PUT", o, bytes("hello"), "Content-Disposition", "inline").statusCode()).isEqualTo(201);
    HttpResponse<byte[]> got = send("GET", o, null);
    assertThat(header(got, "Content-Disposition")).isEqualTo("inline");
    assertThat(got.body()).isEqualTo(bytes("hello"));
    assertThat(header(send("HEAD", o, null), "Content-Disposition")).isEqualTo("inline");
  }

  @Test
  void contentEncodedBytesAreStoredAsSentWithTheirEncoding() throws Exception {
    ByteArrayOutputStream deflated = new ByteArrayOutputStream();
    try (DeflaterOutputStream out = new DeflaterOutputStream(deflated)) {
      out.write(bytes("x".repeat(2000)));
    }
    byte[] data = deflated.toByteArray();
    String o = object();
    HttpResponse<byte[]> put = send("PUT", o, data, "Content-Encoding", "deflate");
    assertThat(put.statusCode()).as(new String(put.body(), StandardCharsets.UTF_8)).isEqualTo(201);
    assertThat(header(put, "Etag"))
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data)));
    HttpResponse<byte[]> got = send("GET", o, null, "Accept-Encoding", "deflate");
    assertThat(header(got, "Content-Encoding")).isEqualTo("deflate");
    assertThat(got.body()).isEqualTo(data);
  }

  @Test
  void postReplacesTheKeptHeaders() throws Exception {
    String o = object();
    send("PUT", o, bytes("a"), "Content-Disposition", "inline");
    assertThat(send("POST", o, null, "Content-Encoding", "gzip").statusCode()).isEqualTo(202);
    HttpResponse<byte[]> head = send("HEAD", o, null);
    assertThat(header(head, "Content-Encoding")).isEqualTo("gzip");
    assertThat(header(head, "Content-Disposition")).isNull();
  }

  @Test
  void objectExpiresAtXDeleteAtAndXDeleteAfterCountsFromNow() throws Exception {
    String o = object();
    send("PUT", o, bytes("soon gone"));
    long before = Instant.now().getEpochSecond();
    assertThat(send("POST", o, null, "X-Delete-After", "2").statusCode()).isEqualTo(202);
    HttpResponse<byte[]> head = send("HEAD", o, null);
    long at = Long.parseLong(header(head, "X-Delete-At"));
    assertThat(at).isBetween(before + 2, before + 4);
    assertThat(header(send("GET", o, null), "X-Delete-At")).isEqualTo(Long.toString(at));

    while (Instant.now().getEpochSecond() < at) {
      Thread.sleep(200);
    }
    assertThat(send("GET", o, null).statusCode()).isEqualTo(404);
    assertThat(send("HEAD", o, null).statusCode()).isEqualTo(404);
    assertThat(send("DELETE", o, null).statusCode()).isEqualTo(404);
    // Gone from the container's listing and totals too.
    assertThat(new String(send("GET", container, null).body(), StandardCharsets.UTF_8))
        .doesNotContain(o.substring(o.lastIndexOf('/') + 1));
  }

  @Test
  void badOrPastExpiriesAre400() throws Exception {
    String o = object();
    long past = Instant.now().getEpochSecond() - 10;
    assertThat(send("PUT", o, bytes("x"), "X-Delete-At", Long.toString(past)).statusCode()).isEqualTo(400);
    assertThat(send("PUT", o, bytes("x"), "X-Delete-At", "soon").statusCode()).isEqualTo(400);
    assertThat(send("PUT", o, bytes("x"), "X-Delete-After", "-1").statusCode()).isEqualTo(400);
    assertThat(send("HEAD", o, null).statusCode()).isEqualTo(404);
    long future = Instant.now().getEpochSecond() + 3600;
    assertThat(send("PUT", o, bytes("x"), "X-Delete-At", Long.toString(future)).statusCode()).isEqualTo(201);
    assertThat(header(send("HEAD", o, null), "X-Delete-At")).isEqualTo(Long.toString(future));
  }

  @Test
  void manifestObjectAnswersItsSegmentsInNameOrder() throws Exception {
    String name = "dlo-" + UUID.randomUUID().toString().substring(0, 8);
    String base = container + "/" + name;
    StringBuilder expected = new StringBuilder();
    MessageDigest etags = MessageDigest.getInstance("MD5");
    for (int i = 0; i < 3; i++) {
      HttpResponse<byte[]> put = send("PUT", base + "/" + i, bytes("segment-" + i + ";"));
      etags.update(bytes(header(put, "Etag")));
      expected.append("segment-").append(i).append(';');
    }
    String manifest = container.substring(account().length() + 1) + "/" + name + "/";
    assertThat(send("PUT", base, new byte[0], "X-Object-Manifest", manifest).statusCode()).isEqualTo(201);

    HttpResponse<byte[]> got = send("GET", base, null);
    assertThat(new String(got.body(), StandardCharsets.UTF_8)).isEqualTo(expected.toString());
    assertThat(header(got, "X-Object-Manifest")).isEqualTo(manifest);
    assertThat(header(got, "Etag")).isEqualTo("\"" + HexFormat.of().formatHex(etags.digest()) + "\"");
    HttpResponse<byte[]> head = send("HEAD", base, null);
    assertThat(header(head, "Content-Length")).isEqualTo(Integer.toString(expected.length()));
    assertThat(header(head, "Etag")).startsWith("\"");
    // The manifest itself, on request.
    HttpResponse<byte[]> raw = send("GET", base + "?multipart-manifest=get", null);
    assertThat(raw.body()).isEmpty();
  }

  @Test
  void postCanTurnAnObjectIntoAManifest() throws Exception {
    String name = "dlo-" + UUID.randomUUID().toString().substring(0, 8);
    String base = container + "/" + name;
    send("PUT", base + "/a", bytes("A"));
    send("PUT", base + "/b", bytes("B"));
    send("PUT", base, new byte[0]);
    String manifest = container.substring(account().length() + 1) + "/" + name + "/";
    assertThat(send("POST", base, null, "X-Object-Manifest", manifest).statusCode()).isEqualTo(202);
    assertThat(new String(send("GET", base, null).body(), StandardCharsets.UTF_8)).isEqualTo("AB");
    assertThat(send("PUT", base, new byte[0], "X-Object-Manifest", "no-slash").statusCode()).isEqualTo(400);
  }

}
