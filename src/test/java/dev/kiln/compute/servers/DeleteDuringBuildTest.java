package dev.kiln.compute.servers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.Api;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.Invariants;
import dev.kiln.testing.KilnExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A server deleted right after its create (zero simulated latency, so the delete task runs while
 * the build plugs its ports): the build and the delete meet on the server's row, so no port is
 * left naming, or bound to, a server that is gone, and no host keeps a claim; and a build that
 * meets the delete leaves the server to it rather than putting it in ERROR on the way.
 */
class DeleteDuringBuildTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();

  private static Api admin;
  private static String image;

  /** The admin project without a server quota, an image, and a network of its own for each test. */
  @org.junit.jupiter.api.BeforeAll
  static void setUp() {
    admin = kiln.admin();
    String adminProject = admin.get("/identity/v3/projects?name=admin").expect(200).at("/projects/0/id").asText();
    Cloud.unlimitedServers(admin, adminProject);
    image = Cloud.cirros(admin);
  }

  @Test
  void aServerDeletedAsItBuildsLeavesNoPortBoundToIt() {
    String networkId = Cloud.network(admin, "race-net", "10.94.0.0/22");
    List<String> servers = new ArrayList<>();
    List<String> userPorts = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String networks;
      if (i % 2 == 0) {
        networks = "[{\"uuid\": \"" + networkId + "\"}]";
      } else {
        String port =
            admin.post(Cloud.NET + "/ports", "{\"port\": {\"network_id\": \"" + networkId + "\"}}").expect(201).at("/port/id").asText();
        userPorts.add(port);
        networks = "[{\"port\": \"" + port + "\"}]";
      }
      String id = Cloud.boot(admin, image, networks, "race-" + i);
      admin.delete(Cloud.NOVA + "/servers/" + id).expect(204);
      servers.add(id);
    }
    servers.forEach(id -> Cloud.awaitGone(admin, id));
    for (String id : servers) {
      assertThat(admin.get(Cloud.NET + "/ports?device_id=" + id).expect(200).get("ports")).as("ports of " + id).isEmpty();
    }
    for (String port : userPorts) {
      assertThat(admin.get(Cloud.NET + "/ports/" + port).expect(200).at("/port/device_id").asText()).as(port).isEmpty();
    }
    // Only the user ports are left on the network: Compute's went with their servers.
    assertThat(admin.get(Cloud.NET + "/ports?network_id=" + networkId + "&device_owner=").expect(200).get("ports"))
        .hasSize(userPorts.size());
    new Invariants(kiln.running(), admin).assertConsistent();
  }

  /**
   * Tempest's delete-while-building test fails on an ERROR it sees before the server is gone. A
   * slow hypervisor destroy keeps each delete running long enough for a poll to see what the build
   * did meanwhile: it must leave the server to the delete, not put it in ERROR.
   */
  @Test
  void aBuildThatMeetsItsDeleteLeavesTheServerToIt() {
    String networkId = Cloud.network(admin, "race-net-2", "10.95.0.0/22");
    admin.put(Cloud.NOVA + "/os-kiln-faults/destroy", "{\"kiln_fault\": {\"latency_ms\": 300}}").expect(200);
    try {
      List<String> servers = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        String id = Cloud.boot(admin, image, "[{\"uuid\": \"" + networkId + "\"}]", "race-error-" + i);
        admin.delete(Cloud.NOVA + "/servers/" + id).expect(204);
        servers.add(id);
      }
      List<String> seenInError = new ArrayList<>();
      for (String id : servers) {
        dev.kiln.testing.Await.until(
            () -> {
              var answer = admin.get(Cloud.NOVA + "/servers/" + id);
              if (answer.status() == 200 && answer.json().at("/server/status").asText().equals("ERROR")) {
                seenInError.add(id + ": " + answer.json().at("/server/fault/message").asText());
              }
              return answer.status() == 404;
            },
            "server " + id + " to go");
      }
      assertThat(seenInError).as("servers seen in ERROR while their delete ran").isEmpty();
    } finally {
      admin.delete(Cloud.NOVA + "/os-kiln-faults/destroy").expect(204);
    }
    new Invariants(kiln.running(), admin).assertConsistent();
  }
}
