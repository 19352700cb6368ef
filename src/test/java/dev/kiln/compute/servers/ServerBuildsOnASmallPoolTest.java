package dev.kiln.compute.servers;

import static dev.kiln.testing.Cloud.NOVA;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.RunningKiln;
import dev.kiln.testing.Tenant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many servers building at once on a database pool of two connections (the build tasks run 64 at
 * a time): a build holds its server's row while Networking plugs the port and tells Compute, and
 * that work must not need connections of its own, or the builds hold every connection while
 * waiting for more, and every request in the meantime fails.
 */
class ServerBuildsOnASmallPoolTest {
  private static final int SERVERS = 16;
  private static RunningKiln kiln;
  private static Path dataDir;

  @BeforeAll
  static void start() throws Exception {
    dataDir = Files.createTempDirectory("kiln-small-pool");
    System.setProperty("kiln.db.pool-size", "2");
    System.setProperty("kiln.db.pool-wait-ms", "2000");
    try {
      kiln = RunningKiln.start(dataDir);
    } finally {
      System.clearProperty("kiln.db.pool-size");
      System.clearProperty("kiln.db.pool-wait-ms");
    }
  }

  @AfterAll
  static void stop() {
    if (kiln != null) {
      kiln.close();
    }
  }

  @Test
  void concurrentBuildsAllBecomeActiveWithoutAServerError() throws Exception {
    Api admin = kiln.admin();
    Tenant tenant = Tenant.create(kiln, admin, "pool", "pooluser");
    Api member = tenant.api();
    Cloud.unlimitedServers(admin, tenant.projectId());
    String image = Cloud.cirros(member);
    String network = Cloud.network(member, "pool-net", "10.7.0.0/24");

    Set<Integer> statuses = ConcurrentHashMap.newKeySet();
    List<Thread> boots = new ArrayList<>();
    List<String> ids = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < SERVERS; i++) {
      String name = "pool-" + i;
      boots.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    Api.Response r =
                        member.post(
                            NOVA + "/servers",
                            "{\"server\": {\"name\": \"" + name + "\", \"flavorRef\": \"1\", \"imageRef\": \"" + image
                                + "\", \"networks\": [{\"uuid\": \"" + network + "\"}]}}");
                    statuses.add(r.status());
                    if (r.status() == 202) {
                      ids.add(r.json().at("/server/id").asText());
                    }
                  }));
    }
    for (Thread t : boots) {
      t.join();
    }
    assertThat(statuses).containsOnly(202);

    // While they build, every look at them answers (no 500 or 503).
    long deadline = System.nanoTime() + 60_000_000_000L;
    Set<String> states = new TreeSet<>();
    while (System.nanoTime() < deadline) {
      Api.Response listed = member.get(NOVA + "/servers/detail");
      assertThat(listed.status()).as("GET /servers/detail: %s", listed.body()).isEqualTo(200);
      states.clear();
      for (JsonNode s : listed.json().get("servers")) {
        states.add(s.get("status").asText());
      }
      if (!states.contains("BUILD")) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(states).containsExactly("ACTIVE");
    assertThat(ids).hasSize(SERVERS);
  }
}
