package dev.kiln.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Tenant;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Swift's container ACLs: X-Container-Read and X-Container-Write open a container to others. */
class ObjectStoreContainerAclTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static Tenant owner;
  private static Tenant other;

  @BeforeAll
  static void tenants() {
    Tenant admin = Tenant.admin(kiln);
    owner = Tenant.create(kiln, admin.api(), "acl-owner", "acl-owner-user");
    other = Tenant.create(kiln, admin.api(), "acl-other", "acl-other-user");
  }

  private static HttpResponse<byte[]> send(Tenant t, String method, String path, String body, String... headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(kiln.baseUrl() + path));
    if (t != null) {
      b.header("X-Auth-Token", t.token());
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String newContainer() throws Exception {
    String path = "/object-store/v1/AUTH_" + owner.projectId() + "/acl-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(send(owner, "PUT", path, null).statusCode()).isEqualTo(201);
    return path;
  }

  @Test
  void readAclNamingAnotherProjectsUserLetsItReadButNotWrite() throws Exception {
    String c = newContainer();
    assertThat(send(owner, "PUT", c + "/o", "data").statusCode()).isEqualTo(201);
    assertThat(send(other, "GET", c + "/o", null).statusCode()).isEqualTo(403);

    assertThat(send(owner, "POST", c, null,
        "X-Container-Read", other.projectId() + ":" + other.userId()).statusCode()).isEqualTo(204);
    HttpResponse<byte[]> got = send(other, "GET", c + "/o", null);
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(new String(got.body(), StandardCharsets.UTF_8)).isEqualTo("data");
    assertThat(send(other, "GET", c, null).statusCode()).isEqualTo(200);
    assertThat(send(other, "PUT", c + "/mine", "x").statusCode()).isEqualTo(403);
    assertThat(send(other, "POST", c, null, "X-Container-Read", "*:*").statusCode()).isEqualTo(403);
    // The owner sees the ACL; the reader does not.
    assertThat(send(owner, "HEAD", c, null).headers().firstValue("X-Container-Read"))
        .contains(other.projectId() + ":" + other.userId());
    assertThat(send(other, "HEAD", c, null).headers().firstValue("X-Container-Read")).isEmpty();
  }

  @Test
  void writeAclLetsAnotherProjectsUserPutAndDeleteObjects() throws Exception {
    String c = newContainer();
    assertThat(send(other, "PUT", c + "/w", "x").statusCode()).isEqualTo(403);
    assertThat(send(owner, "POST", c, null,
        "X-Container-Write", other.projectName() + ":" + other.userName()).statusCode()).isEqualTo(204);
    assertThat(send(other, "PUT", c + "/w", "written").statusCode()).isEqualTo(201);
    assertThat(send(owner, "GET", c + "/w", null).body()).isEqualTo("written".getBytes(StandardCharsets.UTF_8));
    assertThat(send(other, "GET", c + "/w", null).statusCode()).isEqualTo(403);
    assertThat(send(other, "DELETE", c + "/w", null).statusCode()).isEqualTo(204);
    assertThat(send(other, "DELETE", c, null).statusCode()).isEqualTo(403);
  }

  @Test
  void publicReadAclLetsAnyoneReadObjectsAndListingsOnlyWithRlistings() throws Exception {
    String c = newContainer();
    send(owner, "PUT", c + "/pub", "public");
    assertThat(send(null, "GET", c + "/pub", null).statusCode()).isEqualTo(401);

    send(owner, "POST", c, null, "X-Container-Read", ".r:*");
    assertThat(send(null, "GET", c + "/pub", null).statusCode()).isEqualTo(200);
    assertThat(send(other, "GET", c + "/pub", null).statusCode()).isEqualTo(200);
    assertThat(send(null, "GET", c, null).statusCode()).isEqualTo(401);
    assertThat(send(null, "PUT", c + "/anon", "x").statusCode()).isEqualTo(401);

    send(owner, "POST", c, null, "X-Container-Read", ".r:*,.rlistings");
    assertThat(send(null, "GET", c, null).statusCode()).isEqualTo(200);

    send(owner, "POST", c, null, "X-Remove-Container-Read", "x");
    assertThat(send(null, "GET", c + "/pub", null).statusCode()).isEqualTo(401);
  }

  @Test
  void referrersAreRefusedInAWriteAcl() throws Exception {
    String c = newContainer();
    assertThat(send(owner, "POST", c, null, "X-Container-Write", ".r:*").statusCode()).isEqualTo(400);
    assertThat(send(owner, "POST", c, null, "X-Container-Read", ".r:").statusCode()).isEqualTo(400);
  }

  @Test
  void aBadTokenIs401EvenOnAPublicContainer() throws Exception {
    String c = newContainer();
    send(owner, "PUT", c + "/pub", "public");
    send(owner, "POST", c, null, "X-Container-Read", ".r:*");
    HttpRequest bad = HttpRequest.newBuilder(URI.create(kiln.baseUrl() + c + "/pub"))
        .header("X-Auth-Token", "not-a-token").GET().build();
    assertThat(HTTP.send(bad, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);
  }
}
