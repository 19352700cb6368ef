package dev.kiln.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.testing.Api;
import dev.kiln.testing.RunningKiln;
import dev.kiln.testing.Tenant;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
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
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Glance v2 over HTTP: images, data, patches, tags, actions, visibility and Glance's fault body. */
class ImageApiTest {
  private static final String V2 = "/image/v2";
  private static final String PATCH = "application/openstack-images-v2.1-json-patch";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path dataDir;
  private static RunningKiln kiln;
  private static Api admin;
  private static Api member;
  private static Api other;
  private static String adminToken;
  private static String memberToken;
  private static String otherToken;
  private static String memberProject;

  @BeforeAll
  static void start() {
    kiln = RunningKiln.start(dataDir);
    Tenant operator = Tenant.admin(kiln);
    adminToken = operator.token();
    admin = operator.api();
    Tenant mine = Tenant.create(kiln, admin, "imgtenant", "imguser");
    Tenant theirs = Tenant.create(kiln, admin, "imgother", "otheruser");
    memberProject = mine.projectId();
    memberToken = mine.token();
    member = mine.api();
    otherToken = theirs.token();
    other = theirs.api();
  }

  @AfterAll
  static void stop() {
    kiln.close();
  }

  private static String create(Api api, String body) {
    Api.Response r = api.post(V2 + "/images", body);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().get("id").asText();
  }

  private static HttpResponse<byte[]> send(String token, String method, String path, String contentType, byte[] body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(kiln.baseUrl() + path)).header("X-Auth-Token", token);
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static HttpResponse<byte[]> patch(String token, String id, String body) throws Exception {
    return send(token, "PATCH", V2 + "/images/" + id, PATCH, body.getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode json(HttpResponse<byte[]> r) throws IOException {
    return JSON.readTree(r.body());
  }

  private static String hex(String algorithm, byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
  }

  @Test
  void imageLifecycleFromCreateToDelete() throws Exception {
    Api.Response created =
        member.post(
            V2 + "/images",
            "{\"name\": \"life\", \"disk_format\": \"raw\", \"container_format\": \"bare\", \"min_ram\": 64,"
                + " \"tags\": [\"a\", \"a\", \"b\"], \"os_distro\": \"cirros\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonNode image = created.json();
    String id = image.get("id").asText();
    assertThat(created.header("Location")).endsWith("/image/v2/images/" + id);
    assertThat(image.get("status").asText()).isEqualTo("queued");
    assertThat(image.get("visibility").asText()).isEqualTo("shared");
    assertThat(image.get("owner").asText()).isEqualTo(memberProject);
    assertThat(image.get("size").isNull()).isTrue();
    assertThat(image.get("checksum").isNull()).isTrue();
    assertThat(image.get("os_distro").asText()).isEqualTo("cirros");
    assertThat(image.get("tags")).hasSize(2);
    assertThat(image.get("self").asText()).isEqualTo("/v2/images/" + id);
    assertThat(image.get("file").asText()).isEqualTo("/v2/images/" + id + "/file");
    assertThat(image.get("schema").asText()).isEqualTo("/v2/schemas/image");
    assertThat(image.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");

    // No data yet: 204.
    assertThat(send(memberToken, "GET", V2 + "/images/" + id + "/file", null, null).statusCode()).isEqualTo(204);

    byte[] data = new byte[300_000];
    new Random(7).nextBytes(data);
    HttpResponse<byte[]> wrongType = send(memberToken, "PUT", V2 + "/images/" + id + "/file", "application/json", data);
    assertThat(wrongType.statusCode()).isEqualTo(415);
    HttpResponse<byte[]> upload =
        send(memberToken, "PUT", V2 + "/images/" + id + "/file", "application/octet-stream", data);
    assertThat(upload.statusCode()).as(new String(upload.body(), StandardCharsets.UTF_8)).isEqualTo(204);

    JsonNode active = member.get(V2 + "/images/" + id).json();
    assertThat(active.get("status").asText()).isEqualTo("active");
    assertThat(active.get("size").asLong()).isEqualTo(data.length);
    assertThat(active.get("virtual_size").asLong()).isEqualTo(data.length);
    assertThat(active.get("checksum").asText()).isEqualTo(hex("MD5", data));
    assertThat(active.get("os_hash_algo").asText()).isEqualTo("sha512");
    assertThat(active.get("os_hash_value").asText()).isEqualTo(hex("SHA-512", data));
    assertThat(Files.size(dataDir.resolve("images").resolve(id))).isEqualTo(data.length);

    HttpResponse<byte[]> download = send(memberToken, "GET", V2 + "/images/" + id + "/file", null, null);
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
    assertThat(download.headers().firstValue("Content-MD5")).hasValue(hex("MD5", data));
    assertThat(download.body()).isEqualTo(data);

    // A second upload to an active image is a conflict.
    HttpResponse<byte[]> again =
        send(memberToken, "PUT", V2 + "/images/" + id + "/file", "application/octet-stream", data);
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(json(again).get("code").asText()).isEqualTo("409 Conflict");

    HttpResponse<byte[]> patched =
        patch(
            memberToken,
            id,
            "[{\"op\": \"replace\", \"path\": \"/name\", \"value\": \"renamed\"},"
                + " {\"op\": \"add\", \"path\": \"/min_disk\", \"value\": 2},"
                + " {\"op\": \"add\", \"path\": \"/hw_disk_bus\", \"value\": \"virtio\"},"
                + " {\"op\": \"remove\", \"path\": \"/os_distro\"},"
                + " {\"op\": \"replace\", \"path\": \"/tags\", \"value\": [\"x\"]}]");
    assertThat(patched.statusCode()).as(new String(patched.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    JsonNode afterPatch = json(patched);
    assertThat(afterPatch.get("name").asText()).isEqualTo("renamed");
    assertThat(afterPatch.get("min_disk").asInt()).isEqualTo(2);
    assertThat(afterPatch.get("hw_disk_bus").asText()).isEqualTo("virtio");
    assertThat(afterPatch.has("os_distro")).isFalse();
    assertThat(afterPatch.get("tags").toString()).isEqualTo("[\"x\"]");
    assertThat(afterPatch.get("status").asText()).isEqualTo("active");

    assertThat(send(memberToken, "PUT", V2 + "/images/" + id + "/tags/extra", null, null).statusCode()).isEqualTo(204);
    assertThat(member.get(V2 + "/images/" + id).json().get("tags").toString()).isEqualTo("[\"extra\",\"x\"]");
    assertThat(member.get(V2 + "/images?tag=extra&tag=x").json().get("images").findValuesAsText("id")).containsExactly(id);
    assertThat(member.delete(V2 + "/images/" + id + "/tags/x").status()).isEqualTo(204);
    assertThat(member.delete(V2 + "/images/" + id + "/tags/x").status()).isEqualTo(404);

    assertThat(member.delete(V2 + "/images/" + id).status()).isEqualTo(204);
    assertThat(member.get(V2 + "/images/" + id).status()).isEqualTo(404);
    assertThat(Files.exists(dataDir.resolve("images").resolve(id))).isFalse();
  }

  @Test
  void patchRefusesReadOnlyAttributesAndFollowsJsonPatchRules() throws Exception {
    String id = create(member, "{\"name\": \"patchy\", \"disk_format\": \"qcow2\", \"container_format\": \"bare\"}");
    HttpResponse<byte[]> status = patch(memberToken, id, "[{\"op\": \"replace\", \"path\": \"/status\", \"value\": \"active\"}]");
    assertThat(status.statusCode()).isEqualTo(403);
    assertThat(json(status).get("message").asText()).isEqualTo("Attribute 'status' is read-only.");
    assertThat(patch(memberToken, id, "[{\"op\": \"replace\", \"path\": \"/id\", \"value\": \"x\"}]").statusCode()).isEqualTo(403);
    assertThat(patch(memberToken, id, "[{\"op\": \"add\", \"path\": \"/deleted\", \"value\": \"x\"}]").statusCode()).isEqualTo(403);
    assertThat(patch(memberToken, id, "[{\"op\": \"remove\", \"path\": \"/name\"}]").statusCode()).isEqualTo(403);
    assertThat(patch(memberToken, id, "[{\"op\": \"remove\", \"path\": \"/nope\"}]").statusCode()).isEqualTo(409);
    assertThat(patch(memberToken, id, "[{\"op\": \"replace\", \"path\": \"/nope\", \"value\": \"v\"}]").statusCode()).isEqualTo(409);
    assertThat(patch(memberToken, id, "[{\"op\": \"move\", \"from\": \"/a\", \"path\": \"/name\"}]").statusCode()).isEqualTo(400);
    assertThat(patch(memberToken, id, "[{\"op\": \"add\", \"path\": \"/tags/0\", \"value\": \"t\"}]").statusCode()).isEqualTo(400);
    assertThat(patch(memberToken, id, "[{\"op\": \"add\", \"path\": \"/min_ram\", \"value\": -1}]").statusCode()).isEqualTo(400);
    assertThat(patch(memberToken, id, "[{\"op\": \"add\", \"path\": \"/min_ram\", \"value\": \"1\"}]").statusCode()).isEqualTo(400);
    assertThat(patch(memberToken, id, "[{\"op\": \"add\", \"path\": \"/custom\", \"value\": 5}]").statusCode()).isEqualTo(400);
    HttpResponse<byte[]> publicize = patch(memberToken, id, "[{\"op\": \"replace\", \"path\": \"/visibility\", \"value\": \"public\"}]");
    assertThat(publicize.statusCode()).isEqualTo(403);
    HttpResponse<byte[]> plainJson =
        send(memberToken, "PATCH", V2 + "/images/" + id, "application/json", "[]".getBytes(StandardCharsets.UTF_8));
    assertThat(plainJson.statusCode()).isEqualTo(415);
    // The v2.0 (draft 4) form is understood too.
    HttpResponse<byte[]> draft4 =
        send(memberToken, "PATCH", V2 + "/images/" + id, "application/openstack-images-v2.0-json-patch",
            "[{\"replace\": \"/name\", \"value\": \"draft4\"}]".getBytes(StandardCharsets.UTF_8));
    assertThat(draft4.statusCode()).isEqualTo(200);
    assertThat(json(draft4).get("name").asText()).isEqualTo("draft4");
    // Nothing of a refused patch is applied.
    HttpResponse<byte[]> half =
        patch(memberToken, id, "[{\"op\": \"replace\", \"path\": \"/name\", \"value\": \"half\"},"
            + " {\"op\": \"remove\", \"path\": \"/missing\"}]");
    assertThat(half.statusCode()).isEqualTo(409);
    assertThat(member.get(V2 + "/images/" + id).json().get("name").asText()).isEqualTo("draft4");
    member.delete(V2 + "/images/" + id);
  }

  @Test
  void protectedImagesCannotBeDeleted() throws Exception {
    String id = create(member, "{\"name\": \"keep\", \"protected\": true}");
    Api.Response refused = member.delete(V2 + "/images/" + id);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().get("message").asText()).isEqualTo("Image " + id + " is protected and cannot be deleted.");
    assertThat(patch(memberToken, id, "[{\"op\": \"replace\", \"path\": \"/protected\", \"value\": false}]").statusCode())
        .isEqualTo(200);
    assertThat(member.delete(V2 + "/images/" + id).status()).isEqualTo(204);
  }

  @Test
  void badInputIs400AndUnknownImagesAre404InGlancesBody() {
    Api.Response badFormat = member.post(V2 + "/images", "{\"name\": \"x\", \"disk_format\": \"floppy\"}");
    assertThat(badFormat.status()).isEqualTo(400);
    assertThat(badFormat.json().get("code").asText()).isEqualTo("400 Bad Request");
    assertThat(badFormat.json().get("title").asText()).isEqualTo("Bad Request");
    assertThat(badFormat.json().get("message").asText()).contains("'floppy' is not one of").contains("disk_format");
    assertThat(member.post(V2 + "/images", "{\"container_format\": \"zip\"}").status()).isEqualTo(400);
    assertThat(member.post(V2 + "/images", "{\"min_disk\": -1}").status()).isEqualTo(400);
    assertThat(member.post(V2 + "/images", "{\"name\": 5}").status()).isEqualTo(400);
    assertThat(member.post(V2 + "/images", "{\"id\": \"not-a-uuid\"}").status()).isEqualTo(400);
    assertThat(member.post(V2 + "/images", "{\"status\": \"active\"}").status()).isEqualTo(403);
    assertThat(member.post(V2 + "/images", "{\"self\": \"/x\"}").status()).isEqualTo(403);
    assertThat(member.post(V2 + "/images", "{\"os_glance_x\": \"1\"}").status()).isEqualTo(403);
    assertThat(member.post(V2 + "/images", "{\"owner\": \"someone-else\"}").status()).isEqualTo(403);

    String fixed = "0b2d5e4c-1111-4f4f-9a9a-123456789abc";
    assertThat(member.post(V2 + "/images", "{\"id\": \"" + fixed + "\"}").status()).isEqualTo(201);
    assertThat(member.post(V2 + "/images", "{\"id\": \"" + fixed + "\"}").status()).isEqualTo(409);
    member.delete(V2 + "/images/" + fixed);

    Api.Response missing = member.get(V2 + "/images/00000000-0000-0000-0000-000000000000");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().get("code").asText()).isEqualTo("404 Not Found");
    assertThat(missing.json().get("title").asText()).isEqualTo("Not Found");
    assertThat(missing.json().get("message").asText()).contains("00000000-0000-0000-0000-000000000000");
    assertThat(member.get(V2 + "/images?limit=x").status()).isEqualTo(400);
    assertThat(member.get(V2 + "/images?sort_key=owner").status()).isEqualTo(400);
    assertThat(member.get(V2 + "/images?visibility=everyone").status()).isEqualTo(400);
    assertThat(member.get(V2 + "/images?sort=name:asc&sort_key=name").status()).isEqualTo(400);
    assertThat(member.get(V2 + "/no-such-thing").status()).isEqualTo(404);
  }

  @Test
  void visibilityAndPolicy() throws Exception {
    String privateId = create(member, "{\"name\": \"mine\", \"visibility\": \"private\"}");
    String sharedId = create(member, "{\"name\": \"sharedone\"}");
    String communityId = create(member, "{\"name\": \"commune\", \"visibility\": \"community\"}");

    // Another project sees neither the private nor the shared image, and cannot touch them.
    assertThat(other.get(V2 + "/images/" + privateId).status()).isEqualTo(404);
    assertThat(other.get(V2 + "/images/" + sharedId).status()).isEqualTo(404);
    assertThat(other.delete(V2 + "/images/" + privateId).status()).isEqualTo(404);
    List<String> seen = other.get(V2 + "/images").json().get("images").findValuesAsText("id");
    assertThat(seen).doesNotContain(privateId, sharedId, communityId);
    // Community images: visible by id and with visibility=community, not listed by default.
    assertThat(other.get(V2 + "/images/" + communityId).status()).isEqualTo(200);
    assertThat(other.get(V2 + "/images?visibility=community").json().get("images").findValuesAsText("id"))
        .contains(communityId);
    assertThat(other.delete(V2 + "/images/" + communityId).status()).isEqualTo(403);
    assertThat(patch(otherToken, communityId,
        "[{\"op\": \"replace\", \"path\": \"/name\", \"value\": \"mine now\"}]").statusCode()).isEqualTo(403);

    // The owner lists its own images; admin sees them all.
    assertThat(member.get(V2 + "/images").json().get("images").findValuesAsText("id")).contains(privateId, sharedId, communityId);
    assertThat(admin.get(V2 + "/images/" + privateId).status()).isEqualTo(200);
    assertThat(admin.get(V2 + "/images?visibility=private").json().get("images").findValuesAsText("id")).contains(privateId);

    // Only admins make images public.
    Api.Response publicByMember = member.post(V2 + "/images", "{\"name\": \"pub\", \"visibility\": \"public\"}");
    assertThat(publicByMember.status()).isEqualTo(403);
    String publicId = create(admin, "{\"name\": \"pub\", \"visibility\": \"public\"}");
    assertThat(other.get(V2 + "/images").json().get("images").findValuesAsText("id")).contains(publicId);
    assertThat(other.delete(V2 + "/images/" + publicId).status()).isEqualTo(403);

    // Deactivate/reactivate are for admins and the owner project's members.
    Api.Response notOwner = other.post(V2 + "/images/" + publicId + "/actions/deactivate", null);
    assertThat(notOwner.status()).isEqualTo(403);
    assertThat(notOwner.body()).contains("Policy doesn't allow deactivate");
    for (String id : List.of(privateId, sharedId, communityId, publicId)) {
      assertThat(admin.delete(V2 + "/images/" + id).status()).isEqualTo(204);
    }
  }

  @Test
  void listFiltersSortingAndPagination() throws Exception {
    List<String> ids = new ArrayList<>();
    for (String name : List.of("page-c", "page-a", "page-b")) {
      ids.add(create(member, "{\"name\": \"" + name + "\", \"disk_format\": \"iso\", \"container_format\": \"bare\", \"pagetest\": \"yes\"}"));
    }
    JsonNode sorted = member.get(V2 + "/images?pagetest=yes&sort=name:asc").json();
    assertThat(sorted.get("images").findValuesAsText("name")).containsExactly("page-a", "page-b", "page-c");
    assertThat(sorted.get("schema").asText()).isEqualTo("/v2/schemas/images");
    assertThat(sorted.get("first").asText()).startsWith("/v2/images?").contains("pagetest=yes");
    assertThat(sorted.has("next")).isFalse();

    JsonNode first = member.get(V2 + "/images?pagetest=yes&sort_key=name&sort_dir=desc&limit=2").json();
    assertThat(first.get("images").findValuesAsText("name")).containsExactly("page-c", "page-b");
    String next = first.get("next").asText();
    assertThat(next).startsWith("/v2/images?").contains("marker=").contains("limit=2");
    JsonNode second = member.get("/image" + next).json();
    assertThat(second.get("images").findValuesAsText("name")).containsExactly("page-a");
    assertThat(second.has("next")).isFalse();

    assertThat(member.get(V2 + "/images?name=page-b").json().get("images").findValuesAsText("name")).containsExactly("page-b");
    assertThat(member.get(V2 + "/images?name=in:page-a,page-c&sort=name:asc").json().get("images").findValuesAsText("name"))
        .containsExactly("page-a", "page-c");
    assertThat(member.get(V2 + "/images?pagetest=yes&status=queued&disk_format=iso").json().get("images")).hasSize(3);
    assertThat(member.get(V2 + "/images?pagetest=yes&status=active").json().get("images")).isEmpty();
    assertThat(member.get(V2 + "/images?pagetest=yes&owner=" + memberProject).json().get("images")).hasSize(3);
    assertThat(member.get(V2 + "/images?pagetest=yes&created_at=gte:2000-01-01T00:00:00Z").json().get("images")).hasSize(3);
    assertThat(member.get(V2 + "/images?created_at=gte:yesterday").status()).isEqualTo(400);
    assertThat(member.get(V2 + "/images?marker=00000000-0000-0000-0000-000000000000").status()).isEqualTo(400);
    for (String id : ids) {
      member.delete(V2 + "/images/" + id);
    }
  }

  @Test
  void defaultCirrosImageIsActiveWithRealData() throws Exception {
    JsonNode list = member.get(V2 + "/images?name=cirros").json().get("images");
    assertThat(list).hasSize(1);
    JsonNode cirros = list.get(0);
    assertThat(cirros.get("status").asText()).isEqualTo("active");
    assertThat(cirros.get("visibility").asText()).isEqualTo("public");
    assertThat(cirros.get("disk_format").asText()).isEqualTo("qcow2");
    assertThat(cirros.get("container_format").asText()).isEqualTo("bare");
    assertThat(cirros.get("min_disk").asInt()).isEqualTo(1);
    String adminProject = admin.get("/identity/v3/projects?name=admin").json().at("/projects/0/id").asText();
    assertThat(cirros.get("owner").asText()).isEqualTo(adminProject);
    HttpResponse<byte[]> data = send(memberToken, "GET", V2 + "/images/" + cirros.get("id").asText() + "/file", null, null);
    assertThat(data.statusCode()).isEqualTo(200);
    assertThat(data.body()).hasSize(cirros.get("size").asInt());
    assertThat(hex("MD5", data.body())).isEqualTo(cirros.get("checksum").asText());
    assertThat(hex("SHA-512", data.body())).isEqualTo(cirros.get("os_hash_value").asText());
  }

  @Test
  void deactivatedImagesServeNoDataToMembers() throws Exception {
    String id = create(admin, "{\"name\": \"deact\", \"visibility\": \"public\", \"disk_format\": \"raw\", \"container_format\": \"bare\"}");
    assertThat(admin.post(V2 + "/images/" + id + "/actions/deactivate", null).status()).isEqualTo(403); // queued
    byte[] data = "hello image".getBytes(StandardCharsets.UTF_8);
    assertThat(send(adminToken, "PUT", V2 + "/images/" + id + "/file", "application/octet-stream", data).statusCode()).isEqualTo(204);
    assertThat(admin.post(V2 + "/images/" + id + "/actions/deactivate", null).status()).isEqualTo(204);
    assertThat(admin.post(V2 + "/images/" + id + "/actions/deactivate", null).status()).isEqualTo(204);
    assertThat(member.get(V2 + "/images/" + id).json().get("status").asText()).isEqualTo("deactivated");
    assertThat(send(memberToken, "GET", V2 + "/images/" + id + "/file", null, null).statusCode()).isEqualTo(403);
    assertThat(send(adminToken, "GET", V2 + "/images/" + id + "/file", null, null).body()).isEqualTo(data);
    assertThat(admin.post(V2 + "/images/" + id + "/actions/reactivate", null).status()).isEqualTo(204);
    assertThat(send(memberToken, "GET", V2 + "/images/" + id + "/file", null, null).body()).isEqualTo(data);
    assertThat(admin.delete(V2 + "/images/" + id).status()).isEqualTo(204);
  }

  @Test
  void membersOfTheOwnerProjectDeactivateAndReactivateTheirImage() throws Exception {
    String id = create(member, "{\"name\": \"mine\", \"disk_format\": \"raw\", \"container_format\": \"bare\"}");
    byte[] data = "my image".getBytes(StandardCharsets.UTF_8);
    assertThat(send(memberToken, "PUT", V2 + "/images/" + id + "/file", "application/octet-stream", data).statusCode()).isEqualTo(204);
    assertThat(member.post(V2 + "/images/" + id + "/actions/deactivate", null).status()).isEqualTo(204);
    assertThat(member.get(V2 + "/images/" + id).json().get("status").asText()).isEqualTo("deactivated");
    assertThat(member.post(V2 + "/images/" + id + "/actions/reactivate", null).status()).isEqualTo(204);
    assertThat(member.get(V2 + "/images/" + id).json().get("status").asText()).isEqualTo("active");
    assertThat(member.delete(V2 + "/images/" + id).status()).isEqualTo(204);
  }

  @Test
  void anEmptyImageIdIsNotFound() {
    Api.Response get = member.get(V2 + "/images/");
    assertThat(get.status()).isEqualTo(404);
    assertThat(get.body()).doesNotContain("\"images\"");
    assertThat(member.delete(V2 + "/images/").status()).isEqualTo(404);
    assertThat(member.get(V2 + "/images").status()).isEqualTo(200);
    assertThat(member.delete(V2 + "/images").status()).isEqualTo(405);
  }

  @Test
  void uploadsAnnouncedOverTheLimitAre413() throws Exception {
    String id = create(member, "{\"name\": \"huge\", \"disk_format\": \"raw\", \"container_format\": \"bare\"}");
    // The JDK client will not send a Content-Length it does not mean, so write the request by hand.
    try (Socket socket = new Socket("127.0.0.1", URI.create(kiln.baseUrl()).getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(("PUT " + V2 + "/images/" + id + "/file HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Auth-Token: " + memberToken
              + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + ((1L << 30) + 1)
              + "\r\nConnection: close\r\n\r\n0123456789")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      assertThat(status).isEqualTo("HTTP/1.1 413");
    }
    assertThat(member.get(V2 + "/images/" + id).json().get("status").asText()).isEqualTo("queued");
    member.delete(V2 + "/images/" + id);
  }

  @Test
  void schemasDescribeImages() {
    JsonNode image = member.get(V2 + "/schemas/image").json();
    assertThat(image.get("name").asText()).isEqualTo("image");
    assertThat(image.at("/properties/disk_format/enum").toString()).contains("qcow2", "ploop");
    assertThat(image.at("/additionalProperties/type").asText()).isEqualTo("string");
    JsonNode images = member.get(V2 + "/schemas/images").json();
    assertThat(images.at("/properties/images/items/name").asText()).isEqualTo("image");
  }
}
