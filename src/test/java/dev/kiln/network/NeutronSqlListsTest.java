package dev.kiln.network;

import static dev.kiln.testing.Cloud.NET;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Tenant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Neutron lists answered by the database (filters, sort, marker, limit, page_reverse in SQL) in a
 * project with hundreds of ports: the same pages, in the same order, with the same links as the
 * list filtered over rendered resources. A {@code changed_since} at the epoch keeps every
 * resource but sends a request down the rendered path, so each query is asked both ways.
 */
class NeutronSqlListsTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static final String EPOCH = "&changed_since=1970-01-01T00:00:00Z";
  private static final int PORTS = 320;
  private static Api admin;
  private static Api member;
  private static Api other;
  private static String network;
  private static String subnet;
  private static final List<String> portIds = new ArrayList<>();

  @BeforeAll
  static void bigProject() {
    admin = kiln.admin();
    Tenant tenant = Tenant.create(kiln, admin, "sql-lists", "sql-lister");
    member = tenant.api();
    other = Tenant.create(kiln, admin, "sql-lists-other", "sql-other").api();
    admin.put(NET + "/quotas/" + tenant.projectId(), "{\"quota\": {\"port\": -1}}").expect(200);
    network = member.post(NET + "/networks", "{\"network\": {\"name\": \"big\"}}").expect(201).at("/network/id").asText();
    subnet =
        member.post(NET + "/subnets", "{\"subnet\": {\"network_id\": \"" + network + "\", \"ip_version\": 4,"
            + " \"cidr\": \"10.40.0.0/22\"}}").expect(201).at("/subnet/id").asText();
    for (int batch = 0; batch < PORTS / 80; batch++) {
      StringBuilder body = new StringBuilder("{\"ports\": [");
      for (int i = 0; i < 80; i++) {
        int n = batch * 80 + i;
        body.append(i == 0 ? "" : ",")
            .append("{\"network_id\": \"").append(network).append("\", \"name\": \"p-").append(n % 7)
            .append("\", \"device_owner\": \"").append(n % 3 == 0 ? "compute:nova" : "")
            .append("\", \"device_id\": \"").append(n % 3 == 0 ? "server-" + (n % 11) : "")
            .append("\", \"admin_state_up\": ").append(n % 5 != 0)
            .append(n % 4 == 0 ? ", \"tags\": [\"red\"" + (n % 8 == 0 ? ", \"blue\"" : "") + "]" : "")
            .append("}");
      }
      JsonNode made = member.post(NET + "/ports", body.append("]}").toString()).expect(201);
      made.get("ports").forEach(p -> portIds.add(p.get("id").asText()));
    }
  }

  @Test
  void filteredSortedPagesMatchTheRenderedList() {
    List<String> queries =
        List.of(
            "limit=100",
            "limit=37&sort_key=name&sort_dir=desc",
            "sort_key=name&sort_key=admin_state_up&sort_dir=asc&sort_dir=desc&limit=50",
            "name=p-3",
            "name=p-3&name=p-4&sort_key=device_id&limit=10",
            "device_owner=compute:nova&limit=25",
            "device_owner=",
            "device_id=server-4&device_id=server-5",
            "admin_state_up=False&sort_key=name",
            "admin_state_up=yes",
            "network_id=" + network + "&status=DOWN&limit=60",
            "tags=red,blue&limit=20",
            "tags-any=blue&not-tags=red,blue",
            "not-tags-any=red&limit=90&page_reverse=true",
            "fixed_ips=ip_address=10.40.0.5",
            "fixed_ips=ip_address_substr=10.40.1.&sort_key=mac_address&limit=30",
            "fixed_ips=subnet_id=" + subnet + "&limit=3",
            "sort_key=revision_number&sort_dir=desc&limit=5&page_reverse=True",
            "limit=0&name=p-1");
    for (String query : queries) {
      assertSameBothWays(member, "ports", query);
    }
  }

  @Test
  void markersPageForwardAndBackThroughEveryPort() {
    for (String sort : List.of("", "&sort_key=name&sort_dir=desc", "&sort_key=device_owner&sort_key=name")) {
      List<String> seen = new ArrayList<>();
      String next = NET + "/ports?limit=100" + sort;
      JsonNode page = null;
      while (next != null) {
        page = member.get(next).expect(200);
        page.get("ports").forEach(p -> seen.add(p.get("id").asText()));
        assertSameBothWays(member, "ports", next.substring(next.indexOf('?') + 1));
        next = link(page, "ports", "next");
      }
      assertThat(seen).as(sort).hasSize(PORTS).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(portIds);
      // And back: the previous links of the last page lead to the first.
      List<String> back = new ArrayList<>(page.get("ports").findValuesAsText("id"));
      String previous = link(page, "ports", "previous");
      while (previous != null) {
        JsonNode before = member.get(previous).expect(200);
        List<String> ids = new ArrayList<>();
        before.get("ports").forEach(p -> ids.add(p.get("id").asText()));
        back.addAll(0, ids);
        previous = link(before, "ports", "previous");
      }
      assertThat(back).as(sort).isEqualTo(seen);
    }
  }

  @Test
  void aMarkerNobodyCanSeeIsMarkerNotFound() {
    Api.Response unknown = member.get(NET + "/ports?limit=5&marker=no-such-port");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.json().at("/NeutronError/type").asText()).isEqualTo("MarkerNotFound");
    Api.Response othersPort = other.get(NET + "/ports?limit=5&marker=" + portIds.getFirst());
    assertThat(othersPort.status()).as("another project's port is no marker").isEqualTo(400);
    assertThat(other.get(NET + "/ports?limit=5&sort_key=name").expect(200).get("ports")).isEmpty();
  }

  @Test
  void aNetworksOwnerSeesThePortsOthersMadeOnIt() {
    String adminsPort =
        admin.post(NET + "/ports", "{\"port\": {\"network_id\": \"" + network + "\", \"name\": \"by-admin\"}}")
            .expect(201).at("/port/id").asText();
    JsonNode found = member.get(NET + "/ports?name=by-admin&limit=10").expect(200);
    assertThat(found.get("ports").findValuesAsText("id")).containsExactly(adminsPort);
    assertThat(other.get(NET + "/ports?name=by-admin").expect(200).get("ports")).isEmpty();
    admin.delete(NET + "/ports/" + adminsPort).expect(204);
  }

  @Test
  void badSortDirectionsAndLimitsAreRefusedOnTheSqlPathToo() {
    assertThat(member.get(NET + "/ports?sort_key=name&sort_dir=up").status()).isEqualTo(400);
    assertThat(member.get(NET + "/ports?limit=x").status()).isEqualTo(400);
    assertThat(member.get(NET + "/ports?page_reverse=maybe").status()).isEqualTo(400);
  }

  /** Asks the query down both paths: the same ids in the same order, the same link markers. */
  static void assertSameBothWays(Api api, String collection, String query) {
    String path = NET + "/" + collection + "?" + query;
    String key = collection.replace('-', '_');
    JsonNode sql = api.get(path).expect(200);
    JsonNode rendered = api.get(path + EPOCH).expect(200);
    assertThat(sql.get(key).findValuesAsText("id")).as(query).isEqualTo(rendered.get(key).findValuesAsText("id"));
    for (String rel : List.of("next", "previous")) {
      assertThat(markerOf(link(sql, key, rel))).as(query + " " + rel).isEqualTo(markerOf(link(rendered, key, rel)));
      assertThat(link(sql, key, rel) == null).as(query + " " + rel).isEqualTo(link(rendered, key, rel) == null);
    }
    assertThat(sql.get(key).toString()).as(query + ": every attribute").isEqualTo(rendered.get(key).toString());
  }

  static String link(JsonNode body, String collection, String rel) {
    for (JsonNode l : body.path(collection + "_links")) {
      if (l.get("rel").asText().equals(rel)) {
        String href = l.get("href").asText();
        return href.substring(href.indexOf(NET));
      }
    }
    return null;
  }

  private static String markerOf(String href) {
    if (href == null) {
      return null;
    }
    Set<String> markers = new HashSet<>();
    for (String part : href.substring(href.indexOf('?') + 1).split("&")) {
      if (part.startsWith("marker=")) {
        markers.add(part);
      }
    }
    return String.join(",", markers);
  }
}
