package dev.kiln.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.Api;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Tenant;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Swift's account quotas: set by a reseller admin, enforced on uploads with 413. */
class ObjectStoreAccountQuotaTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static Tenant owner;
  private static String resellerToken;

  @BeforeAll
  static void tenants() {
    Tenant admin = Tenant.admin(kiln);
    owner = Tenant.create(kiln, admin.api(), "quota-owner", "quota-owner-user");
    Tenant reseller = Tenant.create(kiln, admin.api(), "quota-reseller", "quota-reseller-user");
    String role = admin.api().get("/identity/v3/roles?name=ResellerAdmin").expect(200).at("/roles/0/id").asText();
    admin.api().put("/identity/v3/projects/" + reseller.projectId() + "/users/" + reseller.userId()
        + "/roles/" + role, "").expect(204);
    resellerToken = new Api(kiln.baseUrl()).token(reseller.userName(), Tenant.PASSWORD, reseller.projectName());
  }

  private static int send(String token, String method, String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(kiln.baseUrl() + path)).header("X-Auth-Token", token);
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void resellerAdminSetsTheQuotaAndUploadsOverItAre413() throws Exception {
    String account = "/object-store/v1/AUTH_" + owner.projectId();
    assertThat(send(owner.token(), "PUT", account + "/q", null)).isEqualTo(201);
    assertThat(send(resellerToken, "POST", account, null, "X-Account-Meta-Quota-Bytes", "20")).isEqualTo(204);

    assertThat(send(owner.token(), "PUT", account + "/q/small", "test")).isEqualTo(201);
    assertThat(send(owner.token(), "PUT", account + "/q/big", "x".repeat(30))).isEqualTo(413);
    assertThat(send(owner.token(), "PUT", account + "/q/fits", "x".repeat(16))).isEqualTo(201);
    assertThat(send(owner.token(), "PUT", account + "/q/one-more", "x")).isEqualTo(413);
    // Replacing an object counts only the difference.
    assertThat(send(owner.token(), "PUT", account + "/q/small", "tes")).isEqualTo(201);

    // The owner can neither change nor remove it; a bad value is a 400.
    assertThat(send(owner.token(), "POST", account, null, "X-Account-Meta-Quota-Bytes", "100")).isEqualTo(403);
    assertThat(send(owner.token(), "POST", account, null, "X-Remove-Account-Meta-Quota-Bytes", "x")).isEqualTo(403);
    assertThat(send(resellerToken, "POST", account, null, "X-Account-Meta-Quota-Bytes", "lots")).isEqualTo(400);

    assertThat(send(resellerToken, "POST", account, null, "X-Remove-Account-Meta-Quota-Bytes", "x")).isEqualTo(204);
    assertThat(send(owner.token(), "PUT", account + "/q/big", "x".repeat(30))).isEqualTo(201);
  }
}
