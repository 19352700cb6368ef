package dev.kiln.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.testing.Api;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Tenant;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Swift v1 over HTTP at /object-store: accounts, containers, objects, listings, temp URLs and errors. */
class ObjectStoreApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Tenant mine;
  private static Tenant theirs;
  private static Tenant admin;

  @BeforeAll
  static void tenants() {
    admin = Tenant.admin(kiln);
    mine = Tenant.create(kiln, admin.api(), "swift-mine", "swift-me");
    theirs = Tenant.create(kiln, admin.api(), "swift-theirs", "swift-them");
  }

  private static String account(Tenant t) {
    return "/object-store/v1/AUTH_" + t.projectId();
  }

  record Answer(int status, Map<String, List<String>> headers, byte[] body) {
    String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    JsonNode json() throws Exception {
      return JSON.readTree(body);
    }

    @Override
    public String toString() {
      return status + " " + text();
    }
  }

  private static Answer send(String token, String method, String path, byte[] body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(kiln.baseUrl() + path));
    if (token != null) {
      b.header("X-Auth-Token", token);
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    return new Answer(r.statusCode(), r.headers().map(), r.body());
  }

  private static Answer as(Tenant t, String method, String path, byte[] body, String... headers) throws Exception {
    return send(t.token(), method, path, body, headers);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String md5(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
  }

  private static void container(Tenant t, String name) throws Exception {
    assertThat(as(t, "PUT", account(t) + "/" + name, null).status()).isIn(201, 202);
  }

  @Test
  void catalogListsTheObjectStoreAtTheProjectsAccount() {
    JsonNode token = mine.api().withHeader("X-Subject-Token", mine.token()).get("/identity/v3/auth/tokens").expect(200);
    JsonNode entry = null;
    for (JsonNode e : token.at("/token/catalog")) {
      if (e.get("type").asText().equals("object-store")) {
        entry = e;
      }
    }
    assertThat(entry).as("object-store in the catalog").isNotNull();
    assertThat(entry.at("/endpoints/0/url").asText()).isEqualTo(kiln.baseUrl() + account(mine));
  }

  @Test
  void accountExistsImplicitlyAndEmptyListingsAre204InTextAnd200InJson() throws Exception {
    Tenant fresh = Tenant.create(kiln, admin.api(), "swift-fresh", "swift-fresh-user");
    Answer head = as(fresh, "HEAD", account(fresh), null);
    assertThat(head.status()).isEqualTo(204);
    assertThat(head.header("X-Account-Container-Count")).isEqualTo("0");
    assertThat(head.header("X-Account-Bytes-Used")).isEqualTo("0");
    assertThat(head.header("X-Timestamp")).matches("\\d+\\.\\d{5}");
    assertThat(as(fresh, "GET", account(fresh), null).status()).isEqualTo(204);
    Answer json = as(fresh, "GET", account(fresh) + "?format=json", null);
    assertThat(json.status()).isEqualTo(200);
    assertThat(json.text()).isEqualTo("[]");
  }

  @Test
  void accountMetadataIsSetShownAndRemoved() throws Exception {
    assertThat(as(mine, "POST", account(mine), null, "X-Account-Meta-Colour", "blue").status()).isEqualTo(204);
    assertThat(as(mine, "HEAD", account(mine), null).header("X-Account-Meta-Colour")).isEqualTo("blue");
    as(mine, "POST", account(mine), null, "X-Remove-Account-Meta-Colour", "x");
    assertThat(as(mine, "HEAD", account(mine), null).header("X-Account-Meta-Colour")).isNull();
  }

  @Test
  void containerPutCreatesThenAcceptsAndKeepsMetadata() throws Exception {
    String path = account(mine) + "/photos";
    assertThat(as(mine, "PUT", path, null, "X-Container-Meta-Owner", "ann").status()).isEqualTo(201);
    assertThat(as(mine, "PUT", path, null, "X-Container-Meta-Year", "2026").status()).isEqualTo(202);
    as(mine, "POST", path, null, "X-Container-Meta-Owner", "bob");
    Answer head = as(mine, "HEAD", path, null);
    assertThat(head.status()).isEqualTo(204);
    assertThat(head.header("X-Container-Meta-Owner")).isEqualTo("bob");
    assertThat(head.header("X-Container-Meta-Year")).isEqualTo("2026");
    assertThat(head.header("X-Container-Object-Count")).isEqualTo("0");
    assertThat(head.header("X-Storage-Policy")).isEqualTo("Policy-0");
    assertThat(as(mine, "DELETE", path, null).status()).isEqualTo(204);
    Answer gone = as(mine, "HEAD", path, null);
    assertThat(gone.status()).isEqualTo(404);
    assertThat(as(mine, "POST", path, null, "X-Container-Meta-A", "b").status()).isEqualTo(404);
    assertThat(as(mine, "DELETE", path, null).status()).isEqualTo(404);
  }

  @Test
  void deletingAContainerThatHoldsObjectsIs409() throws Exception {
    container(mine, "full");
    as(mine, "PUT", account(mine) + "/full/o", bytes("x"));
    Answer refused = as(mine, "DELETE", account(mine) + "/full", null);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.header("Content-Type")).startsWith("text/plain");
    assertThat(refused.text()).contains("There was a conflict").contains("still holds objects");
  }

  @Test
  void objectPutAnswersItsMd5AndGetStreamsItBackWithItsHeaders() throws Exception {
    container(mine, "docs");
    byte[] data = bytes("hello, object storage");
    Answer put = as(mine, "PUT", account(mine) + "/docs/notes/today.txt", data,
        "Content-Type", "text/plain", "X-Object-Meta-Author", "ann", "ETag", md5(data));
    assertThat(put.status()).isEqualTo(201);
    assertThat(put.header("Etag")).isEqualTo(md5(data));
    assertThat(put.header("Last-Modified")).isNotBlank();
    assertThat(put.header("X-Trans-Id")).matches("tx[0-9a-f]{21}-[0-9a-f]{10}");
    Answer get = as(mine, "GET", account(mine) + "/docs/notes/today.txt", null);
    assertThat(get.status()).isEqualTo(200);
    assertThat(get.body()).isEqualTo(data);
    assertThat(get.header("Content-Type")).isEqualTo("text/plain");
    assertThat(get.header("Etag")).isEqualTo(md5(data));
    assertThat(get.header("X-Object-Meta-Author")).isEqualTo("ann");
    assertThat(get.header("X-Timestamp")).matches("\\d+\\.\\d{5}");
    assertThat(get.header("Accept-Ranges")).isEqualTo("bytes");
    Answer head = as(mine, "HEAD", account(mine) + "/docs/notes/today.txt", null);
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(data.length));
    assertThat(head.body()).isEmpty();
    assertThat(as(mine, "HEAD", account(mine) + "/docs", null).header("X-Container-Bytes-Used"))
        .isEqualTo(Integer.toString(data.length));
    Answer deleted = as(mine, "DELETE", account(mine) + "/docs/notes/today.txt", null);
    assertThat(deleted.status()).isEqualTo(204);
    assertThat(deleted.header("Content-Type")).as("Swift types every answer").isNotBlank();
    assertThat(as(mine, "GET", account(mine) + "/docs/notes/today.txt", null).status()).isEqualTo(404);
    assertThat(as(mine, "DELETE", account(mine) + "/docs/notes/today.txt", null).status()).isEqualTo(404);
  }

  @Test
  void putWithoutContentTypeGuessesItFromTheName() throws Exception {
    container(mine, "guess");
    as(mine, "PUT", account(mine) + "/guess/data.json", bytes("{}"));
    as(mine, "PUT", account(mine) + "/guess/blob", bytes("{}"));
    assertThat(as(mine, "HEAD", account(mine) + "/guess/data.json", null).header("Content-Type")).isEqualTo("application/json");
    assertThat(as(mine, "HEAD", account(mine) + "/guess/blob", null).header("Content-Type")).isEqualTo("application/octet-stream");
  }

  @Test
  void etagThatIsNotTheContentsMd5Is422AndStoresNothing() throws Exception {
    container(mine, "checked");
    Answer refused = as(mine, "PUT", account(mine) + "/checked/o", bytes("abc"), "ETag", "\"" + md5(bytes("abd")) + "\"");
    assertThat(refused.status()).isEqualTo(422);
    assertThat(as(mine, "GET", account(mine) + "/checked/o", null).status()).isEqualTo(404);
    assertThat(as(mine, "HEAD", account(mine) + "/checked", null).header("X-Container-Object-Count")).isEqualTo("0");
  }

  @Test
  void putIntoAMissingContainerIs404() throws Exception {
    assertThat(as(mine, "PUT", account(mine) + "/no-such-container/o", bytes("abc")).status()).isEqualTo(404);
  }

  @Test
  void putWithNeitherLengthNorChunkedBodyIs411() throws Exception {
    container(mine, "lengths");
    String answer = raw("PUT " + account(mine) + "/lengths/o HTTP/1.1\r\nHost: x\r\nX-Auth-Token: " + mine.token()
        + "\r\nConnection: close\r\n\r\n");
    assertThat(answer).startsWith("HTTP/1.1 411");
    String chunked = raw("PUT " + account(mine) + "/lengths/c HTTP/1.1\r\nHost: x\r\nX-Auth-Token: " + mine.token()
        + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    assertThat(chunked).startsWith("HTTP/1.1 201");
    assertThat(as(mine, "GET", account(mine) + "/lengths/c", null).text()).isEqualTo("hello");
  }

  /** Sends a hand-written request and answers the status line of its answer. */
  private static String raw(String request) throws Exception {
    try (Socket s = new Socket("127.0.0.1", URI.create(kiln.baseUrl()).getPort())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = in.read()) >= 0 && c != '\n') {
        line.append((char) c);
      }
      return line.toString().strip();
    }
  }

  @Test
  void largeChunkedUploadIsStreamedAndItsEtagIsTheMd5() throws Exception {
    container(mine, "large");
    byte[] data = new byte[6 * 1024 * 1024 + 17];
    new Random(3).nextBytes(data);
    HttpRequest put = HttpRequest.newBuilder(URI.create(kiln.baseUrl() + account(mine) + "/large/blob.bin"))
        .header("X-Auth-Token", mine.token())
        .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(data)))
        .build();
    HttpResponse<String> r = HTTP.send(put, HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(r.headers().firstValue("Etag")).hasValue(md5(data));
    Answer get = as(mine, "GET", account(mine) + "/large/blob.bin", null);
    assertThat(md5(get.body())).isEqualTo(md5(data));
  }

  @Test
  void rangeGetIsPartialAndARangePastTheEndIs416() throws Exception {
    container(mine, "ranges");
    as(mine, "PUT", account(mine) + "/ranges/o", bytes("0123456789"));
    Answer middle = as(mine, "GET", account(mine) + "/ranges/o", null, "Range", "bytes=2-4");
    assertThat(middle.status()).isEqualTo(206);
    assertThat(middle.text()).isEqualTo("234");
    assertThat(middle.header("Content-Range")).isEqualTo("bytes 2-4/10");
    assertThat(as(mine, "GET", account(mine) + "/ranges/o", null, "Range", "bytes=-3").text()).isEqualTo("789");
    assertThat(as(mine, "GET", account(mine) + "/ranges/o", null, "Range", "bytes=7-").text()).isEqualTo("789");
    Answer past = as(mine, "GET", account(mine) + "/ranges/o", null, "Range", "bytes=10-");
    assertThat(past.status()).isEqualTo(416);
    assertThat(past.header("Content-Range")).isEqualTo("bytes */10");
  }

  @Test
  void conditionalGetsAnswer304And412() throws Exception {
    container(mine, "conditional");
    String etag = as(mine, "PUT", account(mine) + "/conditional/o", bytes("v1")).header("Etag");
    String path = account(mine) + "/conditional/o";
    assertThat(as(mine, "GET", path, null, "If-None-Match", "\"" + etag + "\"").status()).isEqualTo(304);
    assertThat(as(mine, "GET", path, null, "If-Match", "\"0000\"").status()).isEqualTo(412);
    assertThat(as(mine, "GET", path, null, "If-Match", etag).status()).isEqualTo(200);
    assertThat(as(mine, "PUT", path, bytes("v2"), "If-None-Match", "*").status()).isEqualTo(412);
    assertThat(as(mine, "GET", path, null).text()).isEqualTo("v1");
  }

  @Test
  void objectPostReplacesAllItsMetadata() throws Exception {
    container(mine, "posted");
    String path = account(mine) + "/posted/o";
    as(mine, "PUT", path, bytes("x"), "X-Object-Meta-A", "1", "X-Object-Meta-B", "2", "X-Object-Meta-Empty", "",
        "X-Object-Meta-Under_Score", "u");
    Answer put = as(mine, "HEAD", path, null);
    assertThat(put.header("X-Object-Meta-Empty")).as("an object keeps an empty value").isEqualTo("");
    assertThat(put.header("X-Object-Meta-Under-Score")).isEqualTo("u");
    assertThat(as(mine, "POST", path, null, "X-Object-Meta-C", "3", "Content-Type", "text/csv").status()).isEqualTo(202);
    Answer head = as(mine, "HEAD", path, null);
    assertThat(head.header("X-Object-Meta-A")).isNull();
    assertThat(head.header("X-Object-Meta-C")).isEqualTo("3");
    assertThat(head.header("Content-Type")).isEqualTo("text/csv");
    assertThat(as(mine, "POST", account(mine) + "/posted/missing", null, "X-Object-Meta-C", "3").status()).isEqualTo(404);
  }

  @Test
  void objectsAreCopiedWithCopyAndXCopyFrom() throws Exception {
    container(mine, "src");
    container(mine, "dst");
    as(mine, "PUT", account(mine) + "/src/a%20b", bytes("copy me"), "X-Object-Meta-Kept", "yes");
    Answer copied = as(mine, "PUT", account(mine) + "/dst/one", new byte[0], "X-Copy-From", "/src/a%20b");
    assertThat(copied.status()).isEqualTo(201);
    assertThat(copied.header("X-Copied-From")).isEqualTo("src/a%20b");
    assertThat(copied.header("X-Copied-From-Last-Modified")).isNotBlank();
    assertThat(copied.header("X-Object-Meta-Kept")).as("a copy answers with its metadata").isEqualTo("yes");
    Answer viaCopy = as(mine, "COPY", account(mine) + "/src/a%20b", null, "Destination", "dst/two", "X-Object-Meta-New", "1");
    assertThat(viaCopy.status()).isEqualTo(201);
    Answer two = as(mine, "GET", account(mine) + "/dst/two", null);
    assertThat(two.text()).isEqualTo("copy me");
    assertThat(two.header("X-Object-Meta-Kept")).isEqualTo("yes");
    assertThat(two.header("X-Object-Meta-New")).isEqualTo("1");
    assertThat(as(mine, "GET", account(mine) + "/dst/one", null).text()).isEqualTo("copy me");
    assertThat(as(mine, "COPY", account(mine) + "/src/missing", null, "Destination", "dst/x").status()).isEqualTo(404);
  }

  @Test
  void listingsComeAsTextJsonAndXmlWithPrefixDelimiterMarkersLimitAndReverse() throws Exception {
    container(mine, "listed");
    for (String name : List.of("a.txt", "dir/1", "dir/2", "dir/sub/3", "z.txt")) {
      as(mine, "PUT", account(mine) + "/listed/" + name, bytes(name));
    }
    String base = account(mine) + "/listed";
    Answer plain = as(mine, "GET", base, null);
    assertThat(plain.text()).isEqualTo("a.txt\ndir/1\ndir/2\ndir/sub/3\nz.txt\n");
    assertThat(plain.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
    assertThat(plain.header("X-Container-Object-Count")).isEqualTo("5");
    assertThat(as(mine, "GET", base + "?delimiter=/", null).text()).isEqualTo("a.txt\ndir/\nz.txt\n");
    assertThat(as(mine, "GET", base + "?prefix=dir/&delimiter=/", null).text()).isEqualTo("dir/1\ndir/2\ndir/sub/\n");
    assertThat(as(mine, "GET", base + "?limit=2&marker=a.txt", null).text()).isEqualTo("dir/1\ndir/2\n");
    assertThat(as(mine, "GET", base + "?end_marker=dir/2", null).text()).isEqualTo("a.txt\ndir/1\n");
    assertThat(as(mine, "GET", base + "?reverse=true&limit=2", null).text()).isEqualTo("z.txt\ndir/sub/3\n");
    JsonNode json = as(mine, "GET", base + "?format=json&delimiter=/", null).json();
    assertThat(json.get(0).get("name").asText()).isEqualTo("a.txt");
    assertThat(json.get(0).get("bytes").asLong()).isEqualTo(5);
    assertThat(json.get(0).get("hash").asText()).isEqualTo(md5(bytes("a.txt")));
    assertThat(json.get(0).get("content_type").asText()).isEqualTo("text/plain");
    assertThat(json.get(0).get("last_modified").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}");
    assertThat(json.get(1).get("subdir").asText()).isEqualTo("dir/");
    Answer xml = as(mine, "GET", base + "?prefix=z", null, "Accept", "application/xml");
    assertThat(xml.header("Content-Type")).isEqualTo("application/xml; charset=utf-8");
    assertThat(xml.text()).contains("<container name=\"listed\"><object><name>z.txt</name>");
    JsonNode containers = as(mine, "GET", account(mine) + "?format=json&prefix=listed", null).json();
    assertThat(containers.get(0).get("name").asText()).isEqualTo("listed");
    assertThat(containers.get(0).get("count").asLong()).isEqualTo(5);
    assertThat(as(mine, "GET", base + "?limit=10001", null).status()).isEqualTo(412);
    assertThat(as(mine, "GET", base + "?limit=abc", null).status()).isEqualTo(412);
  }

  @Test
  void namesOverSwiftsLimitsAre400() throws Exception {
    Answer longContainer = as(mine, "PUT", account(mine) + "/" + "c".repeat(257), null);
    assertThat(longContainer.status()).isEqualTo(400);
    assertThat(longContainer.text()).contains("257 bytes");
    container(mine, "names");
    assertThat(as(mine, "PUT", account(mine) + "/names/" + "o".repeat(1025), bytes("x")).status()).isEqualTo(400);
    assertThat(as(mine, "PUT", account(mine) + "/names/" + "o".repeat(1024), bytes("x")).status()).isEqualTo(201);
    assertThat(as(mine, "POST", account(mine), null, "X-Account-Meta-" + "k".repeat(129), "v").status()).isEqualTo(400);
    assertThat(as(mine, "POST", account(mine), null, "X-Account-Meta-K", "v".repeat(257)).status()).isEqualTo(400);
    assertThat(as(mine, "GET", account(mine) + "/names/%FF%FE", null).status()).isEqualTo(412);
  }

  @Test
  void aProjectReachesOnlyItsOwnAccountAndAdminsAny() throws Exception {
    container(theirs, "private");
    as(theirs, "PUT", account(theirs) + "/private/secret", bytes("theirs"));
    Answer denied = as(mine, "GET", account(theirs) + "/private/secret", null);
    assertThat(denied.status()).isEqualTo(403);
    assertThat(denied.header("Content-Type")).startsWith("text/plain");
    assertThat(as(mine, "PUT", account(theirs) + "/mine", null).status()).isEqualTo(403);
    assertThat(as(mine, "HEAD", account(theirs), null).status()).isEqualTo(403);
    assertThat(as(admin, "GET", account(theirs) + "/private/secret", null).text()).isEqualTo("theirs");
  }

  @Test
  void missingOrBadTokenIs401InPlainText() throws Exception {
    Answer none = send(null, "GET", account(mine), null);
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.text()).contains("X-Auth-Token");
    assertThat(send("not-a-token", "GET", account(mine), null).status()).isEqualTo(401);
    assertThat(send(mine.token(), "GET", account(mine), null, "X-Storage-Token", "x").status()).isIn(200, 204);
  }

  @Test
  void infoAdvertisesLimitsAndTempUrlDigestsWithoutAToken() throws Exception {
    Answer info = send(null, "GET", "/object-store/info", null);
    assertThat(info.status()).isEqualTo(200);
    assertThat(info.json().at("/swift/max_object_name_length").asInt()).isEqualTo(1024);
    assertThat(info.json().at("/swift/container_listing_limit").asInt()).isEqualTo(10_000);
    assertThat(info.json().at("/tempurl/allowed_digests").toString()).contains("sha256");
    assertThat(send(null, "GET", "/object-store/healthcheck", null).text()).isEqualTo("OK");
  }

  private static String hmac(String algorithm, String key, String message) throws Exception {
    Mac mac = Mac.getInstance(algorithm);
    mac.init(new SecretKeySpec(bytes(key), algorithm));
    return HexFormat.of().formatHex(mac.doFinal(bytes(message)));
  }

  private static String tempUrl(Tenant t, String container, String object, String method, long expires, String key,
      String algorithm) throws Exception {
    String path = "/v1/AUTH_" + t.projectId() + "/" + container + "/" + object;
    String sig = hmac(algorithm, key, method + "\n" + expires + "\n" + path);
    return "/object-store" + path + "?temp_url_sig=" + sig + "&temp_url_expires=" + expires;
  }

  @Test
  void tempUrlsAllowTheirMethodWithoutATokenUntilTheyExpire() throws Exception {
    Tenant owner = Tenant.create(kiln, admin.api(), "swift-temp", "swift-temp-user");
    as(owner, "POST", account(owner), null, "X-Account-Meta-Temp-URL-Key", "s3cr3t");
    container(owner, "shared");
    as(owner, "PUT", account(owner) + "/shared/report.txt", bytes("quarterly"), "X-Object-Meta-Hidden", "h",
        "X-Object-Meta-Public-Shown", "s");
    long expires = Instant.now().getEpochSecond() + 300;

    Answer get = send(null, "GET", tempUrl(owner, "shared", "report.txt", "GET", expires, "s3cr3t", "HmacSHA256"), null);
    assertThat(get.status()).as(get.toString()).isEqualTo(200);
    assertThat(get.text()).isEqualTo("quarterly");
    assertThat(get.header("Content-Disposition")).startsWith("attachment; filename=\"report.txt\"");
    assertThat(get.header("X-Object-Meta-Hidden")).isNull();
    assertThat(get.header("X-Object-Meta-Public-Shown")).isEqualTo("s");
    assertThat(send(null, "GET", tempUrl(owner, "shared", "report.txt", "GET", expires, "s3cr3t", "HmacSHA1"), null).status())
        .isEqualTo(200);
    assertThat(send(null, "HEAD", tempUrl(owner, "shared", "report.txt", "GET", expires, "s3cr3t", "HmacSHA256"), null).status())
        .isEqualTo(200);

    String path = "/v1/AUTH_" + owner.projectId() + "/shared/report.txt";
    Mac sha512 = Mac.getInstance("HmacSHA512");
    sha512.init(new SecretKeySpec(bytes("s3cr3t"), "HmacSHA512"));
    String b64 = Base64.getUrlEncoder().withoutPadding().encodeToString(sha512.doFinal(bytes("GET\n" + expires + "\n" + path)));
    assertThat(send(null, "GET", "/object-store" + path + "?temp_url_sig=sha512:" + b64 + "&temp_url_expires=" + expires, null).status())
        .isEqualTo(200);

    String full = "/object-store" + path;
    String fullSig = hmac("HmacSHA256", "s3cr3t", "GET\n" + expires + "\n" + full);
    assertThat(send(null, "GET", full + "?temp_url_sig=" + fullSig + "&temp_url_expires=" + expires, null).status())
        .as("a signature over the whole path the client sees").isEqualTo(200);

    Answer put = send(null, "PUT", tempUrl(owner, "shared", "upload.bin", "PUT", expires, "s3cr3t", "HmacSHA256"), bytes("signal"));
    assertThat(put.status()).isEqualTo(201);
    assertThat(as(owner, "GET", account(owner) + "/shared/upload.bin", null).text()).isEqualTo("signal");

    Answer wrongMethod = send(null, "PUT", tempUrl(owner, "shared", "report.txt", "GET", expires, "s3cr3t", "HmacSHA256"), bytes("x"));
    assertThat(wrongMethod.status()).isEqualTo(401);
    assertThat(wrongMethod.text()).contains("temp URL");
    assertThat(send(null, "GET", tempUrl(owner, "shared", "report.txt", "GET", expires, "wrong", "HmacSHA256"), null).status())
        .isEqualTo(401);
    long farFuture = 300_000_000_000L;
    assertThat(send(null, "GET", tempUrl(owner, "shared", "report.txt", "GET", farFuture, "s3cr3t", "HmacSHA256"), null).status())
        .as("an expiry beyond any HTTP date").isEqualTo(200);
    long past = Instant.now().getEpochSecond() - 1;
    assertThat(send(null, "GET", tempUrl(owner, "shared", "report.txt", "GET", past, "s3cr3t", "HmacSHA256"), null).status())
        .isEqualTo(401);
    assertThat(send(null, "GET", tempUrl(owner, "shared", "other.txt", "GET", expires, "s3cr3t", "HmacSHA256")
        .replace("other.txt", "report.txt"), null).status()).isEqualTo(401);
    assertThat(send(null, "GET", account(owner) + "/shared/report.txt?temp_url_sig=abc&temp_url_expires=" + expires, null)
        .status()).isEqualTo(401);

    as(owner, "POST", account(owner), null, "X-Account-Meta-Temp-URL-Key-2", "second");
    as(owner, "POST", account(owner), null, "X-Account-Meta-Temp-URL-Key", "rotated");
    assertThat(send(null, "GET", tempUrl(owner, "shared", "report.txt", "GET", expires, "second", "HmacSHA256"), null).status())
        .isEqualTo(200);
    assertThat(send(null, "GET", tempUrl(owner, "shared", "report.txt", "GET", expires, "s3cr3t", "HmacSHA256"), null).status())
        .isEqualTo(401);
  }

  @Test
  void badRequestsAre4xxNever500() throws Exception {
    container(mine, "fuzz");
    String base = account(mine) + "/fuzz";
    Map<String, Answer> answers = new LinkedHashMap<>();
    answers.put("bad content-length", as(mine, "POST", base + "/o", null, "X-Object-Meta-" + "x".repeat(200), "v"));
    answers.put("unknown method", as(mine, "PATCH", base, bytes("{}")));
    answers.put("account put", as(mine, "PUT", account(mine), null));
    answers.put("copy without destination", as(mine, "COPY", base + "/o", null));
    answers.put("bad destination", as(mine, "COPY", base + "/o", null, "Destination", "nocontainer"));
    answers.put("bad if-none-match", as(mine, "PUT", base + "/o", bytes("x"), "If-None-Match", "\"abc\""));
    answers.put("not v1", as(mine, "GET", "/object-store/v2/AUTH_" + mine.projectId(), null));
    answers.put("not AUTH_", as(admin, "GET", "/object-store/v1/SOMETHING", null));
    answers.put("negative limit", as(mine, "GET", base + "?limit=-1", null));
    answers.put("nul in name", as(mine, "PUT", base + "/a%00b", bytes("x")));
    answers.put("too many metadata", manyMetadata(base));
    answers.forEach((what, a) -> assertThat(a.status()).as(what + ": " + a).isBetween(400, 499));
  }

  private static Answer manyMetadata(String base) throws Exception {
    String[] headers = new String[2 * 91];
    for (int i = 0; i < 91; i++) {
      headers[2 * i] = "X-Container-Meta-K" + i;
      headers[2 * i + 1] = "v";
    }
    return as(mine, "POST", base, null, headers);
  }
}
