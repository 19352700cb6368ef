package dev.kiln.reliability;

import static dev.kiln.reliability.CrashLedger.NOVA;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Waiting until nothing is under way after a crash harness's last restart, and what is still in
 * between states after that: a server building or with a task, a volume creating, attaching,
 * detaching or deleting, a volume a server lists that Block Storage still shows available (an
 * attach cut before its reservation, until its guard takes it back), a stack in progress.
 */
final class Quiescence {
  private static final Set<String> TRANSIENT_VOLUME = Set.of("creating", "attaching", "detaching", "reserved", "deleting");

  /**
   * How long the harnesses wait for quiet: longer than an attach's guard (30 s), which takes back
   * an attach cut before its reservation.
   */
  static final Duration PATIENCE = Duration.ofSeconds(45);

  private Quiescence() {}

  static List<String> await(Api admin, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> busy;
    do {
      busy = busy(admin);
      if (busy.isEmpty()) {
        return busy;
      }
      Thread.sleep(250);
    } while (System.nanoTime() < deadline);
    return busy;
  }

  /**
   * Confirms every move that waits in VERIFY_RESIZE (as an operator would before an audit: until
   * then both hosts hold the server's claim), then waits again; answers what is still busy.
   */
  static List<String> confirmMovesAndAwait(Api admin, Duration timeout) throws InterruptedException {
    List<String> busy = await(admin, timeout);
    Api nova = admin.withHeader("X-OpenStack-Nova-API-Version", "2.79");
    for (JsonNode s : nova.get(NOVA + "/servers/detail?all_tenants=1&limit=1000").expect(200).get("servers")) {
      if (!s.path("status").asText().equals("VERIFY_RESIZE")) {
        continue;
      }
      nova.post(NOVA + "/servers/" + s.path("id").asText() + "/action", "{\"confirmResize\": null}").expect(204);
    }
    return busy.isEmpty() ? await(admin, timeout) : busy;
  }

  private static List<String> busy(Api admin) {
    List<String> out = new ArrayList<>();
    String project = CrashWorkload.projectOf(admin);
    Map<String, String> volumeStatus = new HashMap<>();
    for (JsonNode v : admin.get("/volume/v3/" + project + "/volumes/detail?all_tenants=1").expect(200).get("volumes")) {
      volumeStatus.put(v.path("id").asText(), v.path("status").asText());
      if (TRANSIENT_VOLUME.contains(v.path("status").asText())) {
        out.add("volume " + v.path("id").asText() + " " + v.path("status").asText());
      }
    }
    Api nova = admin.withHeader("X-OpenStack-Nova-API-Version", "2.79");
    for (JsonNode s : nova.get(NOVA + "/servers/detail?all_tenants=1&limit=1000").expect(200).get("servers")) {
      String task = s.path("OS-EXT-STS:task_state").asText("null");
      String status = s.path("status").asText();
      if (!task.equals("null") || status.equals("BUILD") || status.equals("MIGRATING") || status.equals("RESIZE")) {
        out.add("server " + s.path("id").asText() + " " + status + " task " + task);
      }
      // An attach whose request was killed after its first commit (the server's mapping and the
      // guard task) and before its reservation: the server lists the volume, Block Storage still
      // shows it available, until the guard takes the mapping back (30 s after the request).
      for (JsonNode attached : s.path("os-extended-volumes:volumes_attached")) {
        String volume = attached.path("id").asText();
        if ("available".equals(volumeStatus.get(volume))) {
          out.add("server " + s.path("id").asText() + " lists volume " + volume + ", which is still available");
        }
      }
    }
    for (JsonNode st : admin.get("/heat-api/v1/" + project + "/stacks").expect(200).get("stacks")) {
      if (st.path("stack_status").asText().endsWith("_IN_PROGRESS")) {
        out.add("stack " + st.path("stack_name").asText() + " " + st.path("stack_status").asText());
      }
    }
    return out;
  }
}
