package dev.kiln.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.Api;
import dev.kiln.testing.ChildKiln;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 2xx answer means the change is on disk: Kiln killed with SIGKILL the moment it has answered
 * (no shutdown hook, nothing flushed) and started again on the same data directory still has it.
 * Before the embedded store committed to the file on each commit, the network created right before
 * the kill was gone after the restart in most rounds.
 */
class AcknowledgedWritesSurviveKillTest {
  private static final String NEUTRON = "/networking/v2.0";
  private static final int ROUNDS = 4;

  @TempDir Path tmp;

  @Test
  void createsAndDeletesAnsweredJustBeforeAKillAreThereAfterTheRestart() {
    Path dataDir = tmp.resolve("data");
    List<String> created = new ArrayList<>();
    List<String> deleted = new ArrayList<>();
    ChildKiln kiln = ChildKiln.start(dataDir);
    try {
      for (int round = 0; round < ROUNDS; round++) {
        Api admin = kiln.admin();
        if (!created.isEmpty()) {
          // A delete acknowledged with 204 stays deleted.
          String victim = created.removeLast();
          admin.delete(NEUTRON + "/networks/" + victim).expect(204);
          deleted.add(victim);
        }
        // Two creates, so that the last thing before the kill is a 201.
        for (int i = 0; i < 2; i++) {
          created.add(
              admin
                  .post(NEUTRON + "/networks", "{\"network\": {\"name\": \"acked-" + round + "-" + i + "\"}}")
                  .expect(201)
                  .at("/network/id")
                  .asText());
        }
        kiln.kill();
        kiln = ChildKiln.start(dataDir);
        Api after = kiln.admin();
        for (String id : created) {
          assertThat(after.get(NEUTRON + "/networks/" + id).status())
              .as("network %s answered 201 before kill %d", id, round + 1)
              .isEqualTo(200);
        }
        for (String id : deleted) {
          assertThat(after.get(NEUTRON + "/networks/" + id).status())
              .as("network %s answered 204 to its delete before a kill", id)
              .isEqualTo(404);
        }
      }
    } finally {
      kiln.close();
    }
  }
}
