package dev.kiln.compute.servers;

import static dev.kiln.testing.Cloud.NOVA;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.Await;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Tenant;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The server list over HTTP with many servers: pages followed by their {@code servers_links}
 * see every server once, newest first, with the same addresses a show gives; a name regex pages
 * the same way; and from 2.75 unknown query parameters are refused as Nova refuses them.
 */
class ServerListApiTest {
  private static final int SERVERS = 24;

  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api member;
  /** The booted servers' ids, oldest first. */
  private static final List<String> booted = new ArrayList<>();

  @BeforeAll
  static void start() {
    Api admin = kiln.admin();
    Tenant tenant = Tenant.create(kiln, admin, "lister", "lister");
    member = tenant.api();
    // More servers than Nova's default instances quota.
    Cloud.unlimitedServers(admin, tenant.projectId());
    String imageId = Cloud.cirros(member);
    String networkId = Cloud.network(member, "lan", "10.9.0.0/24");
    for (int i = 0; i < SERVERS; i++) {
      String name = (i % 3 == 0 ? "web-" : "db-") + i;
      booted.add(Cloud.boot(member, imageId, "[{\"uuid\": \"" + networkId + "\"}]", name));
    }
    Await.until(
        () -> member.get(NOVA + "/servers?status=BUILD").expect(200).get("servers").isEmpty(), Duration.ofSeconds(30), "servers to build");
  }

  private static Api at(String version) {
    return member.withHeader("OpenStack-API-Version", "compute " + version);
  }

  /** Follows the next links from {@code first}; answers every server shown, page by page. */
  private static List<JsonNode> walk(String first, List<Integer> pageSizes) {
    List<JsonNode> servers = new ArrayList<>();
    String next = first;
    while (next != null) {
      JsonNode page = member.get(next).expect(200);
      pageSizes.add(page.get("servers").size());
      page.get("servers").forEach(servers::add);
      JsonNode link = page.at("/servers_links/0");
      if (link.isMissingNode()) {
        next = null;
      } else {
        assertThat(link.get("rel").asText()).isEqualTo("next");
        next = link.get("href").asText().substring(link.get("href").asText().indexOf(NOVA));
      }
    }
    return servers;
  }

  @Test
  void detailPagesFollowedByTheirLinksShowEveryServerOnceNewestFirstWithItsAddresses() {
    List<Integer> sizes = new ArrayList<>();
    List<JsonNode> servers = walk(NOVA + "/servers/detail?limit=5", sizes);

    assertThat(servers).extracting(s -> s.get("id").asText()).containsExactlyElementsOf(booted.reversed());
    assertThat(sizes).containsExactly(5, 5, 5, 5, 4);
    for (JsonNode s : servers) {
      assertThat(s.get("status").asText()).isEqualTo("ACTIVE");
      assertThat(s.at("/addresses/lan/0/addr").asText()).startsWith("10.9.0.");
    }
    JsonNode shown = member.get(NOVA + "/servers/" + booted.getFirst()).expect(200).get("server");
    assertThat(servers.getLast().get("addresses")).isEqualTo(shown.get("addresses"));
  }

  @Test
  void aNameRegexPagesThroughOnlyTheServersItMatches() {
    List<Integer> sizes = new ArrayList<>();
    String name = URLEncoder.encode("^web-\\d+$", StandardCharsets.UTF_8);
    List<JsonNode> servers = walk(NOVA + "/servers?limit=3&name=" + name, sizes);

    List<String> expected = new ArrayList<>();
    for (int i = SERVERS - 1; i >= 0; i--) {
      if (i % 3 == 0) {
        expected.add(booted.get(i));
      }
    }
    assertThat(servers).extracting(s -> s.get("id").asText()).containsExactlyElementsOf(expected);
    assertThat(servers).allSatisfy(s -> assertThat(s.get("name").asText()).startsWith("web-"));
    assertThat(sizes).containsExactly(3, 3, 2); // 8 web servers; no link after the last page
  }

  @Test
  void aMarkerStartsAfterThatServerAndAnUnknownOneIsABadRequest() {
    String marker = booted.get(10);
    JsonNode page = member.get(NOVA + "/servers?limit=2&marker=" + marker).expect(200);
    assertThat(page.get("servers")).extracting(s -> s.get("id").asText()).containsExactly(booted.get(9), booted.get(8));

    JsonNode fault = member.get(NOVA + "/servers/detail?marker=nope").expect(400);
    assertThat(fault.at("/badRequest/message").asText()).isEqualTo("marker [nope] not found");
  }

  @Test
  void from275UnknownQueryParametersAreRefusedAndNovasOwnAreAccepted() {
    JsonNode fault = at("2.75").get(NOVA + "/servers?colour=red").expect(400);
    assertThat(fault.at("/badRequest/code").asInt()).isEqualTo(400);
    assertThat(fault.at("/badRequest/message").asText())
        .contains("Additional properties are not allowed ('colour' was unexpected)");
    at("2.75").get(NOVA + "/servers/detail?sort_key=display_name&sort_dir=asc&deleted=false&all_tenants=0"
        + "&changes-before=2030-01-01T00:00:00Z&locked=false&ip=10.9&limit=1").expect(200);
    assertThat(at("2.75").get(NOVA + "/servers?sort_key=vcpus").expect(400).at("/badRequest/message").asText())
        .contains("sort_key");
    // Before 2.75 Nova ignores what it does not know.
    assertThat(at("2.74").get(NOVA + "/servers?colour=red&sort_key=vcpus").expect(200).get("servers")).hasSize(SERVERS);
  }
}
