package dev.kiln.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.Await;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Tenant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The tenant-isolation matrix: project A owns one of every kind of thing; a member of project B
 * tries every call that names one of them (show, update, delete, actions, sub-resources) and gets
 * the service's 404 (or 403 where the service answers so), never a 2xx; B's lists never show A's
 * things; and afterwards every one of A's things reads back exactly as before. A second matrix
 * checks that admin-only calls and fields refuse a member with the service's 403.
 */
class TenantIsolationMatrixTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();

  private static final String NOVA = Cloud.NOVA;
  private static final String NET = Cloud.NET;
  private static final String GLANCE = "/image/v2";
  private static final Set<Integer> REFUSED = Set.of(403, 404);

  private static Tenant owner;
  private static Tenant other;
  private static Api admin;
  /** What A owns, by kind; and the path A reads each back from. */
  private static final Map<String, String> ids = new LinkedHashMap<>();
  private static final Map<String, String> readBack = new LinkedHashMap<>();
  private static final Map<String, JsonNode> before = new LinkedHashMap<>();

  @BeforeAll
  static void ownerMakesOneOfEverything() {
    admin = kiln.admin();
    owner = Tenant.create(kiln, admin, "iso-owner", "iso-owner-user");
    other = Tenant.create(kiln, admin, "iso-other", "iso-other-user");
    Api a = owner.api();

    String network = Cloud.network(a, "iso-net", "10.77.0.0/24");
    String subnet = a.get(NET + "/subnets?network_id=" + network).expect(200).at("/subnets/0/id").asText();
    String port = a.post(NET + "/ports", "{\"port\": {\"network_id\": \"" + network + "\"}}").expect(201).at("/port/id").asText();
    String group = a.post(NET + "/security-groups", "{\"security_group\": {\"name\": \"iso-sg\"}}")
        .expect(201).at("/security_group/id").asText();
    String rule = a.post(NET + "/security-group-rules",
            "{\"security_group_rule\": {\"security_group_id\": \"" + group + "\", \"direction\": \"ingress\","
                + " \"protocol\": \"tcp\", \"port_range_min\": 22, \"port_range_max\": 22}}")
        .expect(201).at("/security_group_rule/id").asText();
    String router = a.post(NET + "/routers", "{\"router\": {\"name\": \"iso-router\"}}").expect(201).at("/router/id").asText();
    a.put(NET + "/routers/" + router + "/add_router_interface", "{\"subnet_id\": \"" + subnet + "\"}").expect(200);

    String server = Cloud.bootActive(a, Cloud.cirros(a), network, "iso-server");
    String keypair = "iso-key";
    a.post(NOVA + "/os-keypairs", "{\"keypair\": {\"name\": \"" + keypair + "\"}}").expect(200);
    String serverGroup = a.post(NOVA + "/os-server-groups", "{\"server_group\": {\"name\": \"iso-group\", \"policies\": [\"affinity\"]}}")
        .expect(200).at("/server_group/id").asText();

    String cinder = owner.cinder();
    String volume = Cloud.availableVolume(a, cinder, "iso-volume");
    String snapshot = a.post(cinder + "/snapshots", "{\"snapshot\": {\"volume_id\": \"" + volume + "\", \"name\": \"iso-snap\"}}")
        .expect(202).at("/snapshot/id").asText();
    Await.until(
        () -> "available".equals(a.get(cinder + "/snapshots/" + snapshot).expect(200).at("/snapshot/status").asText()),
        Duration.ofSeconds(30), "snapshot available");
    String reserved = Cloud.availableVolume(a, cinder, "iso-reserved");
    String attachment = a.withHeader("OpenStack-API-Version", "volume 3.27")
        .post(cinder + "/attachments", "{\"attachment\": {\"volume_uuid\": \"" + reserved + "\", \"instance_uuid\": \"" + server + "\"}}")
        .expect(200).at("/attachment/id").asText();

    String image = a.post(GLANCE + "/images", "{\"name\": \"iso-image\", \"disk_format\": \"raw\", \"container_format\": \"bare\"}")
        .expect(201).at("/id").asText();

    String heat = "/heat-api/v1/" + owner.projectId();
    a.post(heat + "/stacks",
            "{\"stack_name\": \"iso-stack\", \"template\": {\"heat_template_version\": \"2018-08-31\","
                + " \"resources\": {\"secret\": {\"type\": \"OS::Heat::RandomString\"}}}}")
        .expect(201);
    Await.until(
        () -> "CREATE_COMPLETE".equals(a.get(heat + "/stacks?name=iso-stack").json().at("/stacks/0/stack_status").asText()),
        Duration.ofSeconds(30), "stack created");
    String stack = a.get(heat + "/stacks?name=iso-stack").json().at("/stacks/0/id").asText();

    remember("network", network, NET + "/networks/" + network);
    remember("subnet", subnet, NET + "/subnets/" + subnet);
    remember("port", port, NET + "/ports/" + port);
    remember("security group", group, NET + "/security-groups/" + group);
    remember("security group rule", rule, NET + "/security-group-rules/" + rule);
    remember("router", router, NET + "/routers/" + router);
    remember("server", server, NOVA + "/servers/" + server);
    remember("keypair", keypair, NOVA + "/os-keypairs/" + keypair);
    remember("server group", serverGroup, NOVA + "/os-server-groups/" + serverGroup);
    remember("volume", volume, cinder + "/volumes/" + volume);
    remember("reserved volume", reserved, cinder + "/volumes/" + reserved);
    remember("snapshot", snapshot, cinder + "/snapshots/" + snapshot);
    remember("attachment", attachment, cinder + "/attachments/" + attachment);
    remember("image", image, GLANCE + "/images/" + image);
    remember("stack", stack, heat + "/stacks/iso-stack/" + stack);
    readBack.forEach((kind, path) -> before.put(kind, stable(read(path))));
  }

  @Test
  void anotherProjectsMemberReachesNothingOfTheOwners() {
    String server = ids.get("server");
    String volume = ids.get("volume");
    String cinderOfB = other.cinder();
    String cinderOfA = owner.cinder();
    String stack = ids.get("stack");
    List<Call> calls = new ArrayList<>();
    // Networking
    for (String kind : List.of("network", "subnet", "port", "security-group", "security-group-rule", "router")) {
      String id = ids.get(kind.replace('-', ' '));
      String collection = NET + "/" + (kind.equals("security-group") ? "security-groups"
          : kind.equals("security-group-rule") ? "security-group-rules" : kind + "s");
      String body = "{\"" + kind.replace('-', '_') + "\": {\"description\": \"taken\"}}";
      calls.add(new Call("GET", collection + "/" + id, null));
      if (!kind.equals("security-group-rule")) {
        calls.add(new Call("PUT", collection + "/" + id, body));
      }
      calls.add(new Call("DELETE", collection + "/" + id, null));
    }
    calls.add(new Call("PUT", NET + "/routers/" + ids.get("router") + "/remove_router_interface", "{\"subnet_id\": \"" + ids.get("subnet") + "\"}"));
    calls.add(new Call("PUT", NET + "/routers/" + ids.get("router") + "/add_router_interface", "{\"subnet_id\": \"" + ids.get("subnet") + "\"}"));
    calls.add(new Call("POST", NET + "/ports", "{\"port\": {\"network_id\": \"" + ids.get("network") + "\"}}"));
    calls.add(new Call("POST", NET + "/subnets",
        "{\"subnet\": {\"network_id\": \"" + ids.get("network") + "\", \"ip_version\": 4, \"cidr\": \"10.78.0.0/24\"}}"));
    calls.add(new Call("PUT", NET + "/networks/" + ids.get("network") + "/tags/stolen", null));
    // Compute
    String servers = NOVA + "/servers/" + server;
    calls.add(new Call("GET", servers, null));
    calls.add(new Call("PUT", servers, "{\"server\": {\"name\": \"taken\"}}"));
    calls.add(new Call("DELETE", servers, null));
    for (String action : List.of(
        "{\"os-stop\": null}", "{\"reboot\": {\"type\": \"HARD\"}}", "{\"pause\": null}", "{\"suspend\": null}",
        "{\"lock\": null}", "{\"rebuild\": {\"imageRef\": \"" + Cloud.cirros(other.api()) + "\"}}",
        "{\"resize\": {\"flavorRef\": \"2\"}}", "{\"createImage\": {\"name\": \"taken\"}}",
        "{\"os-getConsoleOutput\": {\"length\": 5}}", "{\"os-start\": null}", "{\"createBackup\": {\"name\": \"b\","
            + " \"backup_type\": \"daily\", \"rotation\": 1}}")) {
      calls.add(new Call("POST", servers + "/action", action));
    }
    for (String sub : List.of("/ips", "/metadata", "/os-interface", "/os-volume_attachments", "/os-instance-actions", "/tags", "/diagnostics")) {
      calls.add(new Call("GET", servers + sub, null));
    }
    calls.add(new Call("PUT", servers + "/metadata/stolen", "{\"meta\": {\"stolen\": \"yes\"}}"));
    calls.add(new Call("POST", servers + "/os-interface", "{\"interfaceAttachment\": {\"net_id\": \"" + ids.get("network") + "\"}}"));
    calls.add(new Call("POST", servers + "/os-volume_attachments", "{\"volumeAttachment\": {\"volumeId\": \"" + volume + "\"}}"));
    calls.add(new Call("DELETE", servers + "/os-interface/" + ids.get("port"), null));
    calls.add(new Call("GET", NOVA + "/os-keypairs/" + ids.get("keypair"), null));
    calls.add(new Call("DELETE", NOVA + "/os-keypairs/" + ids.get("keypair"), null));
    calls.add(new Call("GET", NOVA + "/os-server-groups/" + ids.get("server group"), null));
    calls.add(new Call("DELETE", NOVA + "/os-server-groups/" + ids.get("server group"), null));
    // Block Storage: A's things through B's own project, and B's token on A's project.
    for (String base : List.of(cinderOfB, cinderOfA)) {
      calls.add(new Call("GET", base + "/volumes/" + volume, null));
      calls.add(new Call("PUT", base + "/volumes/" + volume, "{\"volume\": {\"name\": \"taken\"}}"));
      calls.add(new Call("DELETE", base + "/volumes/" + volume, null));
      calls.add(new Call("POST", base + "/volumes/" + volume + "/action", "{\"os-extend\": {\"new_size\": 2}}"));
      calls.add(new Call("POST", base + "/volumes/" + volume + "/action", "{\"os-reserve\": null}"));
      calls.add(new Call("POST", base + "/volumes/" + volume + "/metadata", "{\"metadata\": {\"stolen\": \"yes\"}}"));
      calls.add(new Call("GET", base + "/snapshots/" + ids.get("snapshot"), null));
      calls.add(new Call("DELETE", base + "/snapshots/" + ids.get("snapshot"), null));
      calls.add(new Call("POST", base + "/volumes", "{\"volume\": {\"size\": 1, \"source_volid\": \"" + volume + "\"}}"));
      calls.add(new Call("POST", base + "/volumes", "{\"volume\": {\"size\": 1, \"snapshot_id\": \"" + ids.get("snapshot") + "\"}}"));
      calls.add(new Call("GET", base + "/attachments/" + ids.get("attachment"), null));
      calls.add(new Call("PUT", base + "/attachments/" + ids.get("attachment"), "{\"attachment\": {\"connector\": {\"host\": \"x\"}}}"));
      calls.add(new Call("DELETE", base + "/attachments/" + ids.get("attachment"), null));
      calls.add(new Call("POST", base + "/attachments",
          "{\"attachment\": {\"volume_uuid\": \"" + volume + "\", \"instance_uuid\": \"" + server + "\"}}"));
    }
    calls.add(new Call("GET", cinderOfA + "/volumes", null));
    // Image
    String image = GLANCE + "/images/" + ids.get("image");
    calls.add(new Call("GET", image, null));
    calls.add(new Call("PATCH", image, "[{\"op\": \"replace\", \"path\": \"/name\", \"value\": \"taken\"}]",
        "application/openstack-images-v2.1-json-patch"));
    calls.add(new Call("DELETE", image, null));
    calls.add(new Call("PUT", image + "/file", "data", "application/octet-stream"));
    calls.add(new Call("GET", image + "/file", null));
    calls.add(new Call("PUT", image + "/tags/stolen", null));
    // Orchestration: by B's project and by A's.
    for (String base : List.of("/heat-api/v1/" + other.projectId(), "/heat-api/v1/" + owner.projectId())) {
      calls.add(new Call("GET", base + "/stacks/iso-stack/" + stack, null));
      calls.add(new Call("GET", base + "/stacks/" + stack, null));
      calls.add(new Call("GET", base + "/stacks/iso-stack/" + stack + "/resources", null));
      calls.add(new Call("GET", base + "/stacks/iso-stack/" + stack + "/template", null));
      calls.add(new Call("PATCH", base + "/stacks/iso-stack/" + stack, "{\"parameters\": {}}"));
      calls.add(new Call("POST", base + "/stacks/iso-stack/" + stack + "/actions", "{\"suspend\": null}"));
      calls.add(new Call("POST", base + "/stacks/iso-stack/" + stack + "/resources/secret/signal", "{}"));
      calls.add(new Call("DELETE", base + "/stacks/iso-stack/" + stack, null));
    }
    calls.add(new Call("GET", "/heat-api/v1/" + owner.projectId() + "/stacks", null));
    // Identity: another project's details and its role assignments.
    calls.add(new Call("GET", "/identity/v3/projects/" + owner.projectId(), null));
    calls.add(new Call("PATCH", "/identity/v3/projects/" + owner.projectId(), "{\"project\": {\"description\": \"taken\"}}"));
    calls.add(new Call("GET", "/identity/v3/users/" + owner.userId(), null));

    List<String> leaks = new ArrayList<>();
    Api b = other.api().withHeader("OpenStack-API-Version", "volume 3.27");
    for (Call call : calls) {
      Api.Response answer = call.sendAs(b);
      if (!REFUSED.contains(answer.status())) {
        leaks.add(call + " -> " + answer);
      }
    }
    assertThat(leaks).as("calls by another project's member that were not refused").isEmpty();

    readBack.forEach((kind, path) ->
        assertThat(stable(read(path))).as("%s after another project's attempts", kind).isEqualTo(before.get(kind)));
  }

  @Test
  void anotherProjectsListsShowNoneOfTheOwners() {
    Api b = other.api().withHeader("OpenStack-API-Version", "volume 3.27");
    List<String> lists = List.of(
        NET + "/networks", NET + "/subnets", NET + "/ports", NET + "/security-groups", NET + "/security-group-rules",
        NET + "/routers", NOVA + "/servers/detail", NOVA + "/os-keypairs", NOVA + "/os-server-groups",
        other.cinder() + "/volumes/detail", other.cinder() + "/snapshots/detail", other.cinder() + "/attachments/detail",
        GLANCE + "/images", "/heat-api/v1/" + other.projectId() + "/stacks",
        NOVA + "/servers/detail?all_tenants=1", other.cinder() + "/volumes/detail?all_tenants=1",
        NET + "/ports?device_id=" + ids.get("server"), NET + "/ports?network_id=" + ids.get("network"));
    List<String> seen = new ArrayList<>();
    for (String list : lists) {
      Api.Response answer = b.get(list);
      if (answer.status() == 200) {
        for (Map.Entry<String, String> owned : ids.entrySet()) {
          if (answer.body().contains(owned.getValue())) {
            seen.add(list + " shows the owner's " + owned.getKey());
          }
        }
      } else if (!REFUSED.contains(answer.status())) {
        seen.add(list + " -> " + answer);
      }
    }
    assertThat(seen).isEmpty();
  }

  @Test
  void adminOnlyCallsAndFieldsRefuseAMember() {
    Api member = owner.api();
    String network = ids.get("network");
    List<Call> calls = List.of(
        new Call("GET", NOVA + "/os-hypervisors", null),
        new Call("GET", NOVA + "/os-services", null),
        new Call("GET", NOVA + "/os-migrations", null),
        new Call("POST", NOVA + "/flavors", "{\"flavor\": {\"name\": \"mine\", \"ram\": 64, \"vcpus\": 1, \"disk\": 1}}"),
        new Call("PUT", NOVA + "/os-quota-sets/" + owner.projectId(), "{\"quota_set\": {\"instances\": 1000}}"),
        new Call("POST", NOVA + "/servers/" + ids.get("server") + "/action", "{\"os-resetState\": {\"state\": \"error\"}}"),
        new Call("POST", NOVA + "/servers/" + ids.get("server") + "/action", "{\"os-migrateLive\": {\"host\": null, \"block_migration\": false}}"),
        new Call("POST", NET + "/networks", "{\"network\": {\"name\": \"e\", \"router:external\": true}}"),
        new Call("POST", NET + "/ports", "{\"port\": {\"network_id\": \"" + network + "\", \"binding:host_id\": \"compute-1\"}}"),
        new Call("PUT", NET + "/ports/" + ids.get("port"), "{\"port\": {\"binding:host_id\": \"compute-1\"}}"),
        new Call("POST", owner.cinder() + "/types", "{\"volume_type\": {\"name\": \"mine\"}}"),
        new Call("POST", owner.cinder() + "/volumes/" + ids.get("volume") + "/action", "{\"os-reset_status\": {\"status\": \"error\"}}"),
        new Call("POST", owner.cinder() + "/volumes/" + ids.get("volume") + "/action", "{\"os-force_delete\": null}"),
        new Call("PUT", owner.cinder() + "/os-quota-sets/" + owner.projectId(), "{\"quota_set\": {\"volumes\": 1000}}"),
        new Call("POST", GLANCE + "/images", "{\"name\": \"pub\", \"visibility\": \"public\"}"),
        new Call("POST", "/identity/v3/projects", "{\"project\": {\"name\": \"mine\"}}"),
        new Call("POST", "/identity/v3/users", "{\"user\": {\"name\": \"mine\"}}"),
        new Call("PUT", "/identity/v3/projects/" + owner.projectId() + "/users/" + owner.userId() + "/roles/"
            + admin.get("/identity/v3/roles?name=admin").expect(200).at("/roles/0/id").asText(), null));
    List<String> allowed = new ArrayList<>();
    for (Call call : calls) {
      Api.Response answer = call.sendAs(member);
      if (answer.status() != 403) {
        allowed.add(call + " -> " + answer);
      }
    }
    assertThat(allowed).as("admin-only calls a member was not refused with 403").isEmpty();
    readBack.forEach((kind, path) ->
        assertThat(stable(read(path))).as("%s after the member's admin-only attempts", kind).isEqualTo(before.get(kind)));
  }

  private record Call(String method, String path, String body, String contentType) {
    Call(String method, String path, String body) {
      this(method, path, body, null);
    }

    Api.Response sendAs(Api api) {
      return (contentType == null ? api : api.withHeader("Content-Type", contentType)).send(method, path, body);
    }

    @Override
    public String toString() {
      return method + " " + path + (body == null ? "" : " " + body);
    }
  }

  private static void remember(String kind, String id, String path) {
    ids.put(kind, id);
    readBack.put(kind, path);
  }

  private static JsonNode read(String path) {
    return owner.api().withHeader("OpenStack-API-Version", "volume 3.27").get(path).expect(200);
  }

  /** The body without what changes by itself over time. */
  private static JsonNode stable(JsonNode body) {
    JsonNode copy = body.deepCopy();
    strip(copy);
    return copy;
  }

  private static void strip(JsonNode node) {
    if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
      object.remove(List.of("updated_at", "updated", "links", "stack_status_reason", "progress"));
      object.forEach(TenantIsolationMatrixTest::strip);
    } else if (node.isArray()) {
      node.forEach(TenantIsolationMatrixTest::strip);
    }
  }
}
