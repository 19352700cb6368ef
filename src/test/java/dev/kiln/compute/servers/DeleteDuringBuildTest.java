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
 * left naming, or bound to, a server that is gone, and no host keeps a claim.
 */
class DeleteDuringBuildTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();

  @Test
  void aServerDeletedAsItBuildsLeavesNoPortBoundToIt() {
    Api admin = kiln.admin();
    String adminProject = admin.get("/identity/v3/projects?name=admin").expect(200).at("/projects/0/id").asText();
    Cloud.unlimitedServers(admin, adminProject);
    String image = Cloud.cirros(admin);
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
}
