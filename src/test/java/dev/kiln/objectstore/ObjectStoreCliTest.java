package dev.kiln.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.OpenStackCli;
import dev.kiln.testing.Tenant;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's {@code openstack container …} and {@code openstack object …} against Kiln, as a user
 * runs them, and a temp URL signed by python-swiftclient fetched with a plain HTTP client.
 */
class ObjectStoreCliTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  @TempDir static Path files;
  private static Tenant tenant;
  private static OpenStackCli cli;

  @BeforeAll
  static void tenant() {
    tenant = Tenant.create(kiln, kiln.admin(), "cli-swift", "cli-swift-user");
    cli = tenant.cli(kiln.authUrl());
  }

  private static List<String> names(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.forEach(n -> out.add(n.get("Name").asText()));
    return out;
  }

  @Test
  void containersAndObjectsRoundTripThroughTheOpenstackCli() throws Exception {
    JsonNode created = cli.json("container", "create", "reports");
    assertThat(created.get(0).get("container").asText()).isEqualTo("reports");
    assertThat(created.get(0).get("account").asText()).isEqualTo("AUTH_" + tenant.projectId());
    assertThat(names(cli.json("container", "list"))).contains("reports");

    byte[] data = "numbers for the quarter\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
    Path local = files.resolve("q4.txt");
    Files.write(local, data);
    JsonNode uploaded = cli.json("object", "create", "reports", local.toString(), "--name", "2026/q4.txt");
    String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    assertThat(uploaded.get(0).get("etag").asText()).isEqualTo(md5);
    assertThat(names(cli.json("object", "list", "reports"))).containsExactly("2026/q4.txt");

    cli.ok("object", "set", "--property", "reviewed=yes", "reports", "2026/q4.txt");
    JsonNode shown = cli.json("object", "show", "reports", "2026/q4.txt");
    assertThat(shown.get("etag").asText()).isEqualTo(md5);
    assertThat(shown.get("content-length").asText()).isEqualTo(Integer.toString(data.length));
    assertThat(shown.get("content-type").asText()).isEqualTo("text/plain");
    assertThat(shown.get("properties").get("Reviewed").asText()).as("Swift shows metadata names title-cased").isEqualTo("yes");

    Path saved = files.resolve("saved.txt");
    cli.ok("object", "save", "--file", saved.toString(), "reports", "2026/q4.txt");
    assertThat(Files.readAllBytes(saved)).isEqualTo(data);

    JsonNode container = cli.json("container", "show", "reports");
    assertThat(container.get("object_count").asText()).isEqualTo("1");
    assertThat(container.get("bytes_used").asText()).isEqualTo(Integer.toString(data.length));

    OpenStackCli.Result notEmpty = cli.run("container", "delete", "reports");
    assertThat(notEmpty.exitCode()).isNotZero();

    cli.ok("object", "delete", "reports", "2026/q4.txt");
    assertThat(cli.json("object", "list", "reports")).isEmpty();
    cli.ok("container", "delete", "reports");
    assertThat(names(cli.json("container", "list"))).doesNotContain("reports");
  }

  @Test
  void aTempUrlSignedBySwiftclientWorksWithoutAToken() throws Exception {
    cli.ok("object", "store", "account", "set", "--property", "Temp-URL-Key=cli-secret");
    JsonNode account = cli.json("object", "store", "account", "show");
    assertThat(account.get("properties").toString()).contains("cli-secret");
    cli.ok("container", "create", "public-ish");
    Path local = files.resolve("handout.txt");
    Files.writeString(local, "take one");
    cli.ok("object", "create", "public-ish", local.toString(), "--name", "handout.txt");

    String path = "/v1/AUTH_" + tenant.projectId() + "/public-ish/handout.txt";
    String signed = python(
        "import swiftclient.utils as u; print(u.generate_temp_url('" + path + "', 120, 'cli-secret', 'GET'))");
    HttpResponse<String> get = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(kiln.baseUrl() + "/object-store" + signed)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).as(get.body()).isEqualTo(200);
    assertThat(get.body()).isEqualTo("take one");

    String sha1 = python(
        "import swiftclient.utils as u; print(u.generate_temp_url('" + path + "', 120, 'cli-secret', 'GET', digest='sha1'))");
    assertThat(HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create(kiln.baseUrl() + "/object-store" + sha1)).GET().build(),
            HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(200);
    HttpResponse<String> put = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(kiln.baseUrl() + "/object-store" + signed))
            .PUT(HttpRequest.BodyPublishers.ofString("overwrite")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).as("a GET URL does not allow a PUT").isEqualTo(401);
  }

  private static String python(String code) throws Exception {
    Process p = new ProcessBuilder("/usr/bin/python3", "-c", code).redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
