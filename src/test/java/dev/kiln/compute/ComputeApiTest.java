package dev.kiln.compute;

import static dev.kiln.testing.Cloud.NOVA;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.kiln.compute.catalog.SshKeysTest;
import dev.kiln.compute.fleet.DriverOperation;
import dev.kiln.testing.Api;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Tenant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Nova v2.1 over HTTP: flavors, extra specs, flavor access, keypairs, hypervisors, services,
 * availability zones and os-kiln-faults, with their microversion changes, policy and fault bodies.
 */
class ComputeApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static Api member;
  private static String memberProject;
  private static String memberUser;

  @BeforeAll
  static void start() {
    admin = kiln.admin();
    Tenant tenant = Tenant.create(kiln, admin, "tenant", "novauser");
    memberProject = tenant.projectId();
    memberUser = tenant.userId();
    member = tenant.api();
  }

  private static Api at(Api api, String version) {
    return api.withHeader("OpenStack-API-Version", "compute " + version);
  }

  private static void fault(Api.Response r, int status, String name, String message) {
    assertThat(r.status()).as(r.toString()).isEqualTo(status);
    assertThat(r.json().at("/" + name + "/code").asInt()).as(r.toString()).isEqualTo(status);
    if (message != null) {
      assertThat(r.json().at("/" + name + "/message").asText()).isEqualTo(message);
    }
  }

  private static List<String> values(JsonNode array, String field) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.at(field).asText()));
    return out;
  }

  // Versions

  @Test
  void versionDocumentAdvertises279AndOtherVersionsAre406() {
    assertThat(kiln.api().get(NOVA).json().at("/version/version").asText()).isEqualTo("2.79");
    Api.Response latest = at(admin, "latest").get(NOVA + "/flavors");
    assertThat(latest.header("OpenStack-API-Version")).isEqualTo("compute 2.79");
    fault(at(admin, "2.80").get(NOVA + "/flavors"), 406, "notAcceptable", null);
    fault(at(admin, "2.0").get(NOVA + "/flavors"), 406, "notAcceptable", null);
  }

  // Flavors

  @Test
  void defaultFlavorsListedAsNovaShowsThemAtEachVersion() {
    JsonNode list = member.get(NOVA + "/flavors").expect(200).get("flavors");
    assertThat(values(list, "/id")).containsExactly("1", "2", "3", "4");
    assertThat(values(list, "/name")).containsExactly("m1.tiny", "m1.small", "m1.medium", "m1.large");
    assertThat(list.get(0).has("description")).isFalse();
    assertThat(list.at("/0/links/0/href").asText()).isEqualTo(kiln.baseUrl() + "/compute/v2.1/flavors/1");
    assertThat(list.at("/0/links/1/href").asText()).isEqualTo(kiln.baseUrl() + "/compute/flavors/1");

    JsonNode tiny = member.get(NOVA + "/flavors/detail").expect(200).at("/flavors/0");
    assertThat(tiny.get("ram").asInt()).isEqualTo(512);
    assertThat(tiny.get("vcpus").asInt()).isEqualTo(1);
    assertThat(tiny.get("disk").asInt()).isEqualTo(1);
    assertThat(tiny.get("swap").asText()).isEmpty();
    assertThat(tiny.get("OS-FLV-EXT-DATA:ephemeral").asInt()).isZero();
    assertThat(tiny.get("OS-FLV-DISABLED:disabled").asBoolean()).isFalse();
    assertThat(tiny.get("os-flavor-access:is_public").asBoolean()).isTrue();
    assertThat(tiny.get("rxtx_factor").asDouble()).isEqualTo(1.0);
    assertThat(tiny.has("description")).isFalse();
    assertThat(tiny.has("extra_specs")).isFalse();

    JsonNode v255 = at(member, "2.55").get(NOVA + "/flavors/1").expect(200).get("flavor");
    assertThat(v255.get("description").isNull()).isTrue();
    assertThat(v255.has("extra_specs")).isFalse();
    JsonNode v261 = at(member, "2.61").get(NOVA + "/flavors/1").expect(200).get("flavor");
    assertThat(v261.get("extra_specs").isObject()).isTrue();
    assertThat(v261.get("swap").asText()).isEmpty();
    JsonNode v275 = at(member, "2.75").get(NOVA + "/flavors/1").expect(200).get("flavor");
    assertThat(v275.get("swap").isInt()).isTrue();
    assertThat(v275.get("swap").asInt()).isZero();
  }

  @Test
  void flavorListFiltersSortsAndPages() {
    assertThat(values(member.get(NOVA + "/flavors/detail?minRam=4096").expect(200).get("flavors"), "/name"))
        .containsExactly("m1.medium", "m1.large");
    assertThat(values(member.get(NOVA + "/flavors?minDisk=20&minRam=2048").expect(200).get("flavors"), "/id"))
        .containsExactly("2", "3", "4");
    assertThat(values(member.get(NOVA + "/flavors?sort_key=memory_mb&sort_dir=desc").expect(200).get("flavors"), "/id"))
        .containsExactly("4", "3", "2", "1");

    JsonNode first = member.get(NOVA + "/flavors?limit=2").expect(200);
    assertThat(values(first.get("flavors"), "/id")).containsExactly("1", "2");
    String next = first.at("/flavors_links/0/href").asText();
    assertThat(first.at("/flavors_links/0/rel").asText()).isEqualTo("next");
    assertThat(next).startsWith(kiln.baseUrl() + "/compute/v2.1/flavors?").contains("limit=2").contains("marker=2");
    JsonNode second = member.get(next.substring(kiln.baseUrl().length())).expect(200);
    assertThat(values(second.get("flavors"), "/id")).containsExactly("3", "4");
    assertThat(second.has("flavors_links")).isFalse();

    fault(member.get(NOVA + "/flavors?minRam=lots"), 400, "badRequest", "Invalid minRam filter [lots]");
    fault(member.get(NOVA + "/flavors?marker=nope"), 400, "badRequest", "marker [nope] not found");
    fault(member.get(NOVA + "/flavors?sort_key=colour"), 400, "badRequest", null);
    fault(admin.get(NOVA + "/flavors?is_public=maybe"), 400, "badRequest", "Invalid is_public filter [maybe]");
    // Unknown query parameters are ignored before 2.75 and refused from it.
    at(member, "2.74").get(NOVA + "/flavors?colour=red").expect(200);
    fault(at(member, "2.75").get(NOVA + "/flavors?colour=red"), 400, "badRequest", null);
  }

  @Test
  void unknownFlavorIs404() {
    fault(member.get(NOVA + "/flavors/nope"), 404, "itemNotFound", "Flavor nope could not be found.");
    fault(admin.delete(NOVA + "/flavors/nope"), 404, "itemNotFound", "Flavor nope could not be found.");
  }

  @Test
  void adminsCreateUpdateAndDeleteFlavors() {
    Api v255 = at(admin, "2.55");
    JsonNode created =
        v255.post(
                    NOVA + "/flavors",
                    "{\"flavor\": {\"name\": \"k1.api\", \"ram\": \"1024\", \"vcpus\": 2, \"disk\": 10, \"id\": null,"
                        + " \"swap\": 512, \"OS-FLV-EXT-DATA:ephemeral\": 5, \"rxtx_factor\": 2.5,"
                        + " \"description\": \"made by a test\"}}").expect(200)
            .get("flavor");
    String id = created.get("id").asText();
    assertThat(id).matches("[0-9a-f-]{36}");
    assertThat(created.get("ram").asInt()).isEqualTo(1024);
    assertThat(created.get("swap").asInt()).isEqualTo(512);
    assertThat(created.get("OS-FLV-EXT-DATA:ephemeral").asInt()).isEqualTo(5);
    assertThat(created.get("rxtx_factor").asDouble()).isEqualTo(2.5);
    assertThat(created.get("description").asText()).isEqualTo("made by a test");

    fault(
        v255.post(NOVA + "/flavors", "{\"flavor\": {\"name\": \"k1.api\", \"ram\": 1, \"vcpus\": 1, \"disk\": 0}}"),
        409, "conflictingRequest", "Flavor with name k1.api already exists.");
    fault(
        v255.post(NOVA + "/flavors", "{\"flavor\": {\"name\": \"other\", \"id\": \"1\", \"ram\": 1, \"vcpus\": 1, \"disk\": 0}}"),
        409, "conflictingRequest", "Flavor with ID 1 already exists.");
    fault(
        member.post(NOVA + "/flavors", "{\"flavor\": {\"name\": \"mine\", \"ram\": 1, \"vcpus\": 1, \"disk\": 0}}"),
        403, "forbidden", "Policy doesn't allow os_compute_api:os-flavor-manage:create to be performed.");
    fault(admin.post(NOVA + "/flavors", "{\"flavor\": {\"name\": \"zero\", \"ram\": 0, \"vcpus\": 1, \"disk\": 0}}"), 400, "badRequest", null);
    fault(admin.post(NOVA + "/flavors", "{\"flavor\": {\"ram\": 1, \"vcpus\": 1, \"disk\": 0}}"), 400, "badRequest", null);
    fault(admin.post(NOVA + "/flavors", "{\"flavor\": {\"name\": \" pad\", \"ram\": 1, \"vcpus\": 1, \"disk\": 0}}"), 400, "badRequest", null);
    // description is a 2.55 field.
    fault(
        admin.post(NOVA + "/flavors", "{\"flavor\": {\"name\": \"d\", \"ram\": 1, \"vcpus\": 1, \"disk\": 0, \"description\": \"x\"}}"),
        400, "badRequest", null);
    fault(admin.post(NOVA + "/flavors", "{\"flavor\": {\"name\": \"d\", \"ram\": 1, \"vcpus\": 1, \"disk\": -1}}"), 400, "badRequest", null);
    fault(admin.post(NOVA + "/flavors", "not json"), 400, "badRequest", null);

    JsonNode updated = v255.put(NOVA + "/flavors/" + id, "{\"flavor\": {\"description\": \"changed\"}}").expect(200).get("flavor");
    assertThat(updated.get("description").asText()).isEqualTo("changed");
    fault(at(admin, "2.54").put(NOVA + "/flavors/" + id, "{\"flavor\": {\"description\": \"x\"}}"), 404, "itemNotFound", null);
    fault(v255.put(NOVA + "/flavors/" + id, "{\"flavor\": {\"name\": \"x\"}}"), 400, "badRequest", null);
    fault(at(member, "2.55").put(NOVA + "/flavors/" + id, "{\"flavor\": {\"description\": \"x\"}}"), 403, "forbidden", null);

    fault(member.delete(NOVA + "/flavors/" + id), 403, "forbidden", null);
    assertThat(admin.delete(NOVA + "/flavors/" + id).status()).isEqualTo(202);
    fault(admin.get(NOVA + "/flavors/" + id), 404, "itemNotFound", "Flavor " + id + " could not be found.");
  }

  @Test
  void extraSpecsCrud() {
    admin.post(NOVA + "/flavors", "{\"flavor\": {\"name\": \"specced\", \"id\": \"specced\", \"ram\": 64, \"vcpus\": 1, \"disk\": 1}}").expect(200);
    String specs = NOVA + "/flavors/specced/os-extra_specs";
    JsonNode set = admin.post(specs, "{\"extra_specs\": {\"hw:cpu_policy\": \"dedicated\", \"quota:disk_read_iops_sec\": 100}}").expect(200);
    assertThat(set.toString()).isEqualTo("{\"extra_specs\":{\"hw:cpu_policy\":\"dedicated\",\"quota:disk_read_iops_sec\":100}}");
    assertThat(member.get(specs).expect(200).get("extra_specs").toString())
        .isEqualTo("{\"hw:cpu_policy\":\"dedicated\",\"quota:disk_read_iops_sec\":\"100\"}");
    assertThat(member.get(specs + "/hw:cpu_policy").expect(200).toString()).isEqualTo("{\"hw:cpu_policy\":\"dedicated\"}");
    assertThat(admin.put(specs + "/hw:cpu_policy", "{\"hw:cpu_policy\": \"shared\"}").expect(200).toString())
        .isEqualTo("{\"hw:cpu_policy\":\"shared\"}");
    fault(admin.put(specs + "/hw:cpu_policy", "{\"other\": \"x\"}"), 400, "badRequest", "Request body and URI mismatch");
    fault(admin.put(specs + "/a", "{\"a\": \"1\", \"b\": \"2\"}"), 400, "badRequest", null);
    fault(admin.post(specs, "{\"extra_specs\": {\"bad/key\": \"x\"}}"), 400, "badRequest", null);
    fault(member.post(specs, "{\"extra_specs\": {\"a\": \"b\"}}"), 403, "forbidden", null);
    JsonNode shown = at(member, "2.61").get(NOVA + "/flavors/specced").expect(200).get("flavor");
    assertThat(shown.at("/extra_specs/hw:cpu_policy").asText()).isEqualTo("shared");

    assertThat(admin.delete(specs + "/hw:cpu_policy").status()).isEqualTo(200);
    fault(member.get(specs + "/hw:cpu_policy"), 404, "itemNotFound", "Flavor specced has no extra specs with key hw:cpu_policy.");
    fault(admin.delete(specs + "/hw:cpu_policy"), 404, "itemNotFound", null);
    fault(member.get(NOVA + "/flavors/nope/os-extra_specs"), 404, "itemNotFound", "Flavor nope could not be found.");
  }

  @Test
  void privateFlavorsAndTheirAccessLists() {
    admin.post(
            NOVA + "/flavors",
            "{\"flavor\": {\"name\": \"private\", \"id\": \"private\", \"ram\": 64, \"vcpus\": 1, \"disk\": 1,"
                + " \"os-flavor-access:is_public\": false}}").expect(200);
    fault(member.get(NOVA + "/flavors/private"), 404, "itemNotFound", null);
    assertThat(values(member.get(NOVA + "/flavors").expect(200).get("flavors"), "/id")).doesNotContain("private");
    assertThat(values(admin.get(NOVA + "/flavors?is_public=false").expect(200).get("flavors"), "/id")).containsExactly("private");
    assertThat(values(admin.get(NOVA + "/flavors?is_public=None").expect(200).get("flavors"), "/id")).contains("private", "1");
    assertThat(admin.get(NOVA + "/flavors/private/os-flavor-access").expect(200).get("flavor_access")).isEmpty();

    JsonNode added = admin.post(NOVA + "/flavors/private/action", "{\"addTenantAccess\": {\"tenant\": \"" + memberProject + "\"}}").expect(200);
    assertThat(added.at("/flavor_access/0/tenant_id").asText()).isEqualTo(memberProject);
    assertThat(added.at("/flavor_access/0/flavor_id").asText()).isEqualTo("private");
    assertThat(member.get(NOVA + "/flavors/private").expect(200).at("/flavor/name").asText()).isEqualTo("private");
    assertThat(values(member.get(NOVA + "/flavors").expect(200).get("flavors"), "/id")).contains("private");
    fault(
        admin.post(NOVA + "/flavors/private/action", "{\"addTenantAccess\": {\"tenant\": \"" + memberProject + "\"}}"),
        409, "conflictingRequest", null);

    fault(admin.get(NOVA + "/flavors/1/os-flavor-access"), 404, "itemNotFound", "Access list not available for public flavors.");
    fault(
        at(admin, "2.7").post(NOVA + "/flavors/1/action", "{\"addTenantAccess\": {\"tenant\": \"x\"}}"),
        409, "conflictingRequest", "Can not add access to a public flavor.");
    fault(member.get(NOVA + "/flavors/private/os-flavor-access"), 403, "forbidden", null);
    fault(admin.post(NOVA + "/flavors/private/action", "{\"flyAway\": {}}"), 400, "badRequest", null);

    JsonNode removed = admin.post(NOVA + "/flavors/private/action", "{\"removeTenantAccess\": {\"tenant\": \"" + memberProject + "\"}}").expect(200);
    assertThat(removed.get("flavor_access")).isEmpty();
    fault(member.get(NOVA + "/flavors/private"), 404, "itemNotFound", null);
    fault(
        admin.post(NOVA + "/flavors/private/action", "{\"removeTenantAccess\": {\"tenant\": \"" + memberProject + "\"}}"),
        404, "itemNotFound", "Flavor access not found for private / " + memberProject + " combination.");
  }

  // Keypairs

  @Test
  void keypairsImportedAndGeneratedWithTheShapesOfEachVersion() {
    JsonNode v21 = member.post(NOVA + "/os-keypairs", "{\"keypair\": {\"name\": \"imported\", \"public_key\": \"" + SshKeysTest.ED25519 + "\"}}").expect(200).get("keypair");
    assertThat(v21.get("fingerprint").asText()).isEqualTo("05:62:20:8c:f2:60:55:5e:a7:bb:e4:a6:ba:c6:03:ad");
    assertThat(v21.get("user_id").asText()).isEqualTo(memberUser);
    assertThat(v21.has("type")).isFalse();
    assertThat(v21.has("private_key")).isFalse();

    Api v22 = at(member, "2.2");
    JsonNode generated = v22.post(NOVA + "/os-keypairs", "{\"keypair\": {\"name\": \"generated\"}}").expect(201).get("keypair");
    assertThat(generated.get("private_key").asText()).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    assertThat(generated.get("public_key").asText()).startsWith("ssh-rsa ");
    assertThat(generated.get("type").asText()).isEqualTo("ssh");

    JsonNode list = v22.get(NOVA + "/os-keypairs").expect(200).get("keypairs");
    assertThat(values(list, "/keypair/name")).containsExactly("generated", "imported");
    assertThat(list.at("/0/keypair/type").asText()).isEqualTo("ssh");
    assertThat(list.at("/0/keypair").has("private_key")).isFalse();

    JsonNode shown = v22.get(NOVA + "/os-keypairs/imported").expect(200).get("keypair");
    assertThat(shown.get("public_key").asText()).isEqualTo(SshKeysTest.ED25519);
    assertThat(shown.get("deleted").asBoolean()).isFalse();
    assertThat(shown.get("id").isInt()).isTrue();
    assertThat(shown.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}");
    assertThat(shown.get("user_id").asText()).isEqualTo(memberUser);

    fault(
        member.post(NOVA + "/os-keypairs", "{\"keypair\": {\"name\": \"imported\", \"public_key\": \"" + SshKeysTest.ED25519 + "\"}}"),
        409, "conflictingRequest", "Key pair 'imported' already exists.");
    fault(
        member.post(NOVA + "/os-keypairs", "{\"keypair\": {\"name\": \"bad\", \"public_key\": \"ssh-rsa not-a-key\"}}"),
        400, "badRequest", "Keypair data is invalid: failed to generate fingerprint");
    fault(
        member.post(NOVA + "/os-keypairs", "{\"keypair\": {\"name\": \"b@d\", \"public_key\": \"" + SshKeysTest.ED25519 + "\"}}"),
        400, "badRequest", "Keypair data is invalid: Keypair name contains unsafe characters");
    fault(member.post(NOVA + "/os-keypairs", "{\"keypair\": {\"name\": \"t\", \"type\": \"ssh\"}}"), 400, "badRequest", null);
    fault(v22.post(NOVA + "/os-keypairs", "{\"keypair\": {\"name\": \"t\", \"type\": \"pgp\"}}"), 400, "badRequest", null);
    JsonNode x509 =
        v22.post(
                    NOVA + "/os-keypairs",
                    "{\"keypair\": {\"name\": \"cert\", \"type\": \"x509\", \"public_key\": "
                        + TextNode.valueOf(SshKeysTest.CERTIFICATE) + "}}").expect(201)
            .get("keypair");
    assertThat(x509.get("fingerprint").asText()).isEqualTo("8f:b0:14:ab:c7:c6:29:36:24:50:2c:83:13:a7:dd:f1:bf:09:f9:09");

    // Keypairs are the user's: the admin sees none of them unless naming the user (2.10).
    assertThat(admin.get(NOVA + "/os-keypairs").expect(200).get("keypairs")).isEmpty();
    fault(admin.get(NOVA + "/os-keypairs/imported"), 404, "itemNotFound", null);
    assertThat(at(admin, "2.10").get(NOVA + "/os-keypairs/imported?user_id=" + memberUser).expect(200).at("/keypair/name").asText())
        .isEqualTo("imported");
    fault(at(member, "2.10").get(NOVA + "/os-keypairs?user_id=someone-else"), 403, "forbidden", null);

    assertThat(member.delete(NOVA + "/os-keypairs/imported").status()).isEqualTo(202);
    assertThat(v22.delete(NOVA + "/os-keypairs/generated").status()).isEqualTo(204);
    assertThat(v22.delete(NOVA + "/os-keypairs/cert").status()).isEqualTo(204);
    fault(
        member.get(NOVA + "/os-keypairs/imported"), 404, "itemNotFound",
        "Keypair imported not found for user " + memberUser);
  }

  @Test
  void keypairsPageFrom235() {
    Api v235 = at(admin, "2.35");
    for (String name : List.of("page-a", "page-b", "page-c")) {
      v235.post(NOVA + "/os-keypairs", "{\"keypair\": {\"name\": \"" + name + "\", \"public_key\": \"" + SshKeysTest.RSA + "\"}}").expect(201);
    }
    JsonNode first = v235.get(NOVA + "/os-keypairs?limit=2").expect(200);
    assertThat(values(first.get("keypairs"), "/keypair/name")).containsExactly("page-a", "page-b");
    String next = first.at("/keypairs_links/0/href").asText();
    assertThat(next).contains("marker=page-b");
    JsonNode second = v235.get(next.substring(kiln.baseUrl().length())).expect(200);
    assertThat(values(second.get("keypairs"), "/keypair/name")).containsExactly("page-c");
    assertThat(second.has("keypairs_links")).isFalse();
    fault(v235.get(NOVA + "/os-keypairs?marker=nope"), 400, "badRequest", "Marker nope could not be found.");
    // Before 2.35 paging parameters are ignored.
    assertThat(at(admin, "2.34").get(NOVA + "/os-keypairs?limit=1").expect(200).get("keypairs")).hasSize(3);
    for (String name : List.of("page-a", "page-b", "page-c")) {
      admin.delete(NOVA + "/os-keypairs/" + name);
    }
  }

  // Hypervisors, services, zones

  @Test
  void hypervisorsReportTheFleet() {
    JsonNode list = admin.get(NOVA + "/os-hypervisors").expect(200).get("hypervisors");
    assertThat(values(list, "/hypervisor_hostname")).containsExactly("kiln-compute-1", "kiln-compute-2", "kiln-compute-3");
    assertThat(list.at("/0/id").isInt()).isTrue();
    assertThat(list.at("/0/state").asText()).isEqualTo("up");
    assertThat(list.at("/0/status").asText()).isEqualTo("enabled");
    int id = list.at("/0/id").asInt();

    JsonNode h = admin.get(NOVA + "/os-hypervisors/" + id).expect(200).get("hypervisor");
    assertThat(h.get("vcpus").asInt()).isEqualTo(16);
    assertThat(h.get("memory_mb").asInt()).isEqualTo(32768);
    assertThat(h.get("local_gb").asInt()).isEqualTo(1000);
    assertThat(h.get("free_ram_mb").asInt()).isEqualTo(32768);
    assertThat(h.get("running_vms").asInt()).isZero();
    assertThat(h.get("hypervisor_type").asText()).isEqualTo("QEMU");
    assertThat(h.get("cpu_info").isTextual()).isTrue();
    assertThat(h.at("/service/host").asText()).isEqualTo("kiln-compute-1");
    assertThat(h.at("/service/id").isInt()).isTrue();
    assertThat(at(admin, "2.28").get(NOVA + "/os-hypervisors/" + id).expect(200).at("/hypervisor/cpu_info/arch").asText())
        .isEqualTo("x86_64");

    Api v253 = at(admin, "2.53");
    JsonNode uuids = v253.get(NOVA + "/os-hypervisors/detail").expect(200).get("hypervisors");
    String uuid = uuids.at("/0/id").asText();
    assertThat(uuid).matches("[0-9a-f-]{36}");
    assertThat(uuids.at("/0/service/id").asText()).matches("[0-9a-f-]{36}");
    assertThat(v253.get(NOVA + "/os-hypervisors/" + uuid).expect(200).at("/hypervisor/hypervisor_hostname").asText())
        .isEqualTo("kiln-compute-1");
    fault(v253.get(NOVA + "/os-hypervisors/" + id), 400, "badRequest", "Invalid uuid " + id);
    fault(admin.get(NOVA + "/os-hypervisors/999"), 404, "itemNotFound", "Hypervisor with ID '999' could not be found.");
    fault(admin.get(NOVA + "/os-hypervisors/abc"), 404, "itemNotFound", null);
    fault(v253.get(NOVA + "/os-hypervisors/" + UUID.randomUUID()), 404, "itemNotFound", null);

    assertThat(values(admin.get(NOVA + "/os-hypervisors/compute-2/search").expect(200).get("hypervisors"), "/hypervisor_hostname"))
        .containsExactly("kiln-compute-2");
    fault(admin.get(NOVA + "/os-hypervisors/nothing/search"), 404, "itemNotFound", "No hypervisor matching 'nothing' could be found.");
    fault(v253.get(NOVA + "/os-hypervisors/compute-2/search"), 404, "itemNotFound", null);
    JsonNode pattern = v253.get(NOVA + "/os-hypervisors?hypervisor_hostname_pattern=compute-3").expect(200).get("hypervisors");
    assertThat(values(pattern, "/hypervisor_hostname")).containsExactly("kiln-compute-3");
    fault(v253.get(NOVA + "/os-hypervisors?hypervisor_hostname_pattern=x&limit=1"), 400, "badRequest", null);
    fault(v253.get(NOVA + "/os-hypervisors?colour=red"), 400, "badRequest", null);
    assertThat(at(admin, "2.75").get(NOVA + "/os-hypervisors?with_servers=true").expect(200).at("/hypervisors/0/servers").isArray())
        .isTrue();

    JsonNode page = at(admin, "2.33").get(NOVA + "/os-hypervisors?limit=2").expect(200);
    assertThat(page.get("hypervisors")).hasSize(2);
    assertThat(page.at("/hypervisors_links/0/href").asText()).contains("marker=" + page.at("/hypervisors/1/id").asText());
    assertThat(admin.get(NOVA + "/os-hypervisors?limit=2").expect(200).get("hypervisors")).hasSize(3);

    JsonNode stats = admin.get(NOVA + "/os-hypervisors/statistics").expect(200).get("hypervisor_statistics");
    assertThat(stats.get("count").asInt()).isEqualTo(3);
    assertThat(stats.get("vcpus").asInt()).isEqualTo(48);
    assertThat(stats.get("memory_mb").asInt()).isEqualTo(3 * 32768);
    assertThat(admin.get(NOVA + "/os-hypervisors/" + id + "/uptime").expect(200).at("/hypervisor/uptime").asText())
        .matches("\\s*\\S+ up .+,\\s+0 users,\\s+load average: .+");

    fault(member.get(NOVA + "/os-hypervisors"), 403, "forbidden", null);
  }

  @Test
  void servicesAreListedAndComputeServicesDisabled() {
    JsonNode services = admin.get(NOVA + "/os-services").expect(200).get("services");
    assertThat(values(services, "/binary"))
        .containsExactly("nova-scheduler", "nova-conductor", "nova-compute", "nova-compute", "nova-compute");
    assertThat(services.at("/0/zone").asText()).isEqualTo("internal");
    assertThat(services.at("/2/zone").asText()).isEqualTo("nova");
    assertThat(services.at("/2/state").asText()).isEqualTo("up");
    assertThat(services.at("/2/id").isInt()).isTrue();
    assertThat(services.at("/2").has("forced_down")).isFalse();
    assertThat(admin.get(NOVA + "/os-services?binary=nova-compute&host=kiln-compute-2").expect(200).get("services")).hasSize(1);

    Api v253 = at(admin, "2.53");
    JsonNode compute3 = v253.get(NOVA + "/os-services?host=kiln-compute-3").expect(200).at("/services/0");
    String uuid = compute3.get("id").asText();
    assertThat(compute3.get("forced_down").asBoolean()).isFalse();
    try {
      JsonNode disabled =
          v253.put(NOVA + "/os-services/" + uuid, "{\"status\": \"disabled\", \"disabled_reason\": \"maintenance\"}").expect(200)
              .get("service");
      assertThat(disabled.get("status").asText()).isEqualTo("disabled");
      assertThat(disabled.get("disabled_reason").asText()).isEqualTo("maintenance");
      assertThat(disabled.get("host").asText()).isEqualTo("kiln-compute-3");
      JsonNode hypervisor = v253.get(NOVA + "/os-hypervisors/detail?hypervisor_hostname_pattern=kiln-compute-3").expect(200).at("/hypervisors/0");
      assertThat(hypervisor.get("status").asText()).isEqualTo("disabled");
      assertThat(hypervisor.at("/service/disabled_reason").asText()).isEqualTo("maintenance");

      fault(v253.put(NOVA + "/os-services/" + uuid, "{\"status\": \"enabled\", \"disabled_reason\": \"x\"}"), 400, "badRequest",
          "Specifying 'disabled_reason' with status 'enabled' is invalid.");
      fault(v253.put(NOVA + "/os-services/" + uuid, "{}"), 400, "badRequest",
          "No updates were requested. Fields 'status' or 'forced_down' should be specified.");
      fault(v253.put(NOVA + "/os-services/42", "{\"status\": \"enabled\"}"), 400, "badRequest", "Invalid uuid 42");
      fault(v253.put(NOVA + "/os-services/" + UUID.randomUUID(), "{\"status\": \"enabled\"}"), 404, "itemNotFound", null);
      String scheduler = v253.get(NOVA + "/os-services?binary=nova-scheduler").expect(200).at("/services/0/id").asText();
      fault(v253.put(NOVA + "/os-services/" + scheduler, "{\"status\": \"disabled\"}"), 400, "badRequest",
          "Updating a nova-scheduler service is not supported. Only nova-compute services can be updated.");
      fault(member.get(NOVA + "/os-services"), 403, "forbidden", null);
    } finally {
      JsonNode enabled = v253.put(NOVA + "/os-services/" + uuid, "{\"status\": \"enabled\"}").expect(200).get("service");
      assertThat(enabled.get("disabled_reason").isNull()).isTrue();
    }

    // Before 2.53: actions naming host and binary.
    JsonNode legacy =
        admin.put(NOVA + "/os-services/disable-log-reason",
            "{\"host\": \"kiln-compute-2\", \"binary\": \"nova-compute\", \"disabled_reason\": \"test\"}").expect(200);
    assertThat(legacy.toString())
        .isEqualTo("{\"service\":{\"host\":\"kiln-compute-2\",\"binary\":\"nova-compute\",\"status\":\"disabled\",\"disabled_reason\":\"test\"}}");
    admin.put(NOVA + "/os-services/enable", "{\"host\": \"kiln-compute-2\", \"binary\": \"nova-compute\"}").expect(200);
    fault(admin.put(NOVA + "/os-services/disable", "{\"host\": \"nowhere\", \"binary\": \"nova-compute\"}"), 404, "itemNotFound",
        "Could not find binary nova-compute on host nowhere.");
    fault(admin.put(NOVA + "/os-services/force-down", "{\"host\": \"kiln-compute-2\", \"binary\": \"nova-compute\"}"), 404, "itemNotFound", null);
    JsonNode down = at(admin, "2.11").put(NOVA + "/os-services/force-down",
        "{\"host\": \"kiln-compute-2\", \"binary\": \"nova-compute\", \"forced_down\": true}").expect(200);
    assertThat(down.at("/service/forced_down").asBoolean()).isTrue();
    assertThat(at(admin, "2.11").get(NOVA + "/os-services?host=kiln-compute-2").expect(200).at("/services/0/state").asText()).isEqualTo("down");
    at(admin, "2.11").put(NOVA + "/os-services/force-down",
        "{\"host\": \"kiln-compute-2\", \"binary\": \"nova-compute\", \"forced_down\": false}").expect(200);
  }

  @Test
  void availabilityZones() {
    JsonNode zones = member.get(NOVA + "/os-availability-zone").expect(200).get("availabilityZoneInfo");
    assertThat(zones.toString()).isEqualTo("[{\"zoneName\":\"nova\",\"zoneState\":{\"available\":true},\"hosts\":null}]");
    JsonNode detail = admin.get(NOVA + "/os-availability-zone/detail").expect(200).get("availabilityZoneInfo");
    assertThat(values(detail, "/zoneName")).containsExactly("internal", "nova");
    assertThat(detail.at("/0/hosts/kiln/nova-scheduler/available").asBoolean()).isTrue();
    assertThat(detail.at("/1/hosts/kiln-compute-1/nova-compute/active").asBoolean()).isTrue();
    fault(member.get(NOVA + "/os-availability-zone/detail"), 403, "forbidden", null);
  }

  // Kiln's fault injection API

  @Test
  void faultInjectionSettingsThroughTheAdminApi() {
    JsonNode all = admin.get(NOVA + "/os-kiln-faults").expect(200).get("kiln_faults");
    assertThat(values(all, "/operation")).hasSize(DriverOperation.values().length).contains("spawn", "live_migrate");
    assertThat(all.at("/0/fail_next").asInt()).isZero();

    JsonNode set =
        admin.put(NOVA + "/os-kiln-faults/reboot",
            "{\"kiln_fault\": {\"fail_next\": 2, \"probability\": 0.5, \"host\": \"kiln-compute-1\", \"message\": \"boom\", \"latency_ms\": 5}}").expect(200)
            .get("kiln_fault");
    assertThat(set.toString())
        .isEqualTo("{\"operation\":\"reboot\",\"latency_ms\":5,\"fail_next\":2,\"probability\":0.5,\"host\":\"kiln-compute-1\",\"message\":\"boom\"}");
    // Fields not given keep their values.
    JsonNode merged = admin.put(NOVA + "/os-kiln-faults/reboot", "{\"kiln_fault\": {\"fail_next\": 1, \"host\": null}}").expect(200).get("kiln_fault");
    assertThat(merged.get("fail_next").asInt()).isEqualTo(1);
    assertThat(merged.get("probability").asDouble()).isEqualTo(0.5);
    assertThat(merged.get("host").isNull()).isTrue();
    assertThat(admin.get(NOVA + "/os-kiln-faults/reboot").expect(200).at("/kiln_fault/message").asText()).isEqualTo("boom");

    fault(admin.put(NOVA + "/os-kiln-faults/reboot", "{\"kiln_fault\": {\"probability\": 2}}"), 400, "badRequest", null);
    fault(admin.put(NOVA + "/os-kiln-faults/reboot", "{\"kiln_fault\": {\"fail_next\": -1}}"), 400, "badRequest", null);
    fault(admin.put(NOVA + "/os-kiln-faults/reboot", "{\"kiln_fault\": {\"host\": \"elsewhere\"}}"), 400, "badRequest", null);
    fault(admin.put(NOVA + "/os-kiln-faults/reboot", "{\"kiln_fault\": {\"colour\": 1}}"), 400, "badRequest", null);
    fault(admin.get(NOVA + "/os-kiln-faults/explode"), 404, "itemNotFound", null);
    fault(member.get(NOVA + "/os-kiln-faults"), 403, "forbidden", null);

    assertThat(admin.delete(NOVA + "/os-kiln-faults/reboot").status()).isEqualTo(204);
    assertThat(admin.get(NOVA + "/os-kiln-faults/reboot").expect(200).get("kiln_fault").toString())
        .isEqualTo("{\"operation\":\"reboot\",\"latency_ms\":0,\"fail_next\":0,\"probability\":0.0,\"host\":null,\"message\":null}");
    admin.put(NOVA + "/os-kiln-faults/destroy", "{\"kiln_fault\": {\"fail_next\": 3}}").expect(200);
    assertThat(admin.delete(NOVA + "/os-kiln-faults").status()).isEqualTo(204);
    assertThat(admin.get(NOVA + "/os-kiln-faults/destroy").expect(200).at("/kiln_fault/fail_next").asInt()).isZero();
  }

  @Test
  void theImageProxyListsGlancesImagesUntilMicroversion236() {
    Api.Response list = member.get(NOVA + "/images/detail");
    assertThat(list.status()).as(list.toString()).isEqualTo(200);
    JsonNode cirros = null;
    for (JsonNode image : list.json().get("images")) {
      if (image.get("name").asText().equals("cirros")) {
        cirros = image;
      }
    }
    assertThat(cirros).isNotNull();
    assertThat(cirros.get("status").asText()).isEqualTo("ACTIVE");
    assertThat(cirros.get("minDisk").asInt()).isGreaterThanOrEqualTo(0);
    assertThat(cirros.get("OS-EXT-IMG-SIZE:size").asLong()).isPositive();
    String id = cirros.get("id").asText();
    assertThat(member.get(NOVA + "/images/" + id).json().at("/image/name").asText()).isEqualTo("cirros");
    assertThat(member.get(NOVA + "/images/00000000-0000-0000-0000-000000000000").status()).isEqualTo(404);
    Api.Response gone = member.withHeader("X-OpenStack-Nova-API-Version", "2.36").get(NOVA + "/images");
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.json().at("/itemNotFound/code").asInt()).isEqualTo(404);
  }
}
