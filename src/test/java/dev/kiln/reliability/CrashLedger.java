package dev.kiln.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last acknowledged fact about each resource a crash harness touched, by its URL path: it
 * exists or not, a port is plugged into a server or free, a volume is attached to a server or not,
 * a stack exists (created) or is gone (its delete was accepted). A request cut off by a kill has an
 * unknown outcome: its resource is taken out of the ledger ({@link #uncertain}).
 */
final class CrashLedger {
  static final String NOVA = "/compute/v2.1";
  static final String NEUTRON = "/networking/v2.0";

  /** path of a server, network, port or volume -> whether it must exist. */
  private final Map<String, Boolean> exists = new ConcurrentHashMap<>();
  /** port id -> the server it is plugged into, or "" for none. */
  private final Map<String, String> portDevice = new ConcurrentHashMap<>();
  /** volume id -> the server it is attached to, or "" for none. */
  private final Map<String, String> volumeServer = new ConcurrentHashMap<>();
  /** stack path (…/stacks/name/id) -> whether it must exist (false: its delete was accepted). */
  private final Map<String, Boolean> stacks = new ConcurrentHashMap<>();
  private final Set<String> uncertain = ConcurrentHashMap.newKeySet();
  private int checked;

  void exists(String path, boolean value) {
    exists.put(path, value);
  }

  void port(String portId, String serverId) {
    portDevice.put(portId, serverId);
  }

  void volume(String volumeId, String serverId) {
    volumeServer.put(volumeId, serverId);
  }

  void stack(String path, boolean mustExist) {
    stacks.put(path, mustExist);
  }

  /** A request about this resource got no answer: what it did is unknown. */
  void uncertain(String key) {
    uncertain.add(key);
  }

  /** A server's delete was acknowledged: what was plugged into it or attached to it is free. */
  void serverDeleted(String serverId) {
    exists(NOVA + "/servers/" + serverId, false);
    portDevice.replaceAll((port, server) -> server.equals(serverId) ? "" : server);
    volumeServer.replaceAll((volume, server) -> server.equals(serverId) ? "" : server);
  }

  int checked() {
    return checked;
  }

  /**
   * Whether the server's build failed (ERROR, never launched): a boot's 202 promises a build, not
   * its success, and a failed build gives the user's ports back, as Nova's does. A full fleet is
   * the usual cause here: the servers of requests cut off by a kill are never deleted.
   */
  private static boolean buildFailed(Api admin, String serverId) {
    Api.Response r = admin.get(NOVA + "/servers/" + serverId);
    if (r.status() != 200) {
      return false;
    }
    JsonNode server = r.json().get("server");
    return server.path("status").asText().equals("ERROR") && server.path("OS-SRV-USG:launched_at").isNull();
  }

  /** What the cloud answers differently from what it acknowledged. */
  List<String> check(Api admin) {
    List<String> lost = new ArrayList<>();
    exists.forEach(
        (path, must) -> {
          if (uncertain.contains(path)) {
            return;
          }
          checked++;
          int status = admin.get(path).status();
          if ((status == 200) != must) {
            lost.add(path + " should " + (must ? "exist" : "be gone") + " but answers " + status);
          }
        });
    portDevice.forEach(
        (port, server) -> {
          if (uncertain.contains(port) || uncertain.contains(NEUTRON + "/ports/" + port)) {
            return;
          }
          checked++;
          JsonNode body = admin.get(NEUTRON + "/ports/" + port).json();
          String device = body.at("/port/device_id").asText("");
          String expected = server.isEmpty() || !buildFailed(admin, server) ? server : "";
          if (!device.equals(expected)) {
            String where = device.isEmpty() ? "" : " (that server answers " + admin.get(NOVA + "/servers/" + device).status() + ")";
            lost.add("port " + port + " should be plugged into '" + expected + "' but is in '" + device + "'" + where);
          }
        });
    String cinder = "/volume/v3/" + CrashWorkload.projectOf(admin);
    volumeServer.forEach(
        (volume, server) -> {
          if (uncertain.contains(volume)) {
            return;
          }
          checked++;
          List<String> attachedTo = new ArrayList<>();
          admin.get(cinder + "/volumes/" + volume).json()
              .at("/volume/attachments").forEach(a -> attachedTo.add(a.path("server_id").asText()));
          List<String> expected = server.isEmpty() ? List.of() : List.of(server);
          if (!attachedTo.equals(expected)) {
            lost.add("volume " + volume + " should be attached to " + expected + " but is to " + attachedTo);
          }
        });
    stacks.forEach(
        (path, must) -> {
          if (uncertain.contains(path)) {
            return;
          }
          checked++;
          Api.Response r = admin.get(path);
          String status = r.status() == 200 ? r.json().at("/stack/stack_status").asText() : "";
          boolean gone = r.status() == 404 || status.equals("DELETE_COMPLETE");
          boolean present = r.status() == 200 && !status.startsWith("DELETE");
          if (must ? !present : !gone) {
            lost.add("stack " + path + " should " + (must ? "exist" : "be deleted") + " but answers "
                + r.status() + " " + status);
          }
        });
    return lost;
  }
}
