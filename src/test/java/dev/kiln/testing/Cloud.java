package dev.kiln.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * The resources most API tests need before they can start, made over HTTP through one client: an
 * image, a network with a subnet, a server that has finished building, a volume that is available.
 */
public final class Cloud {
  public static final String NOVA = "/compute/v2.1";
  public static final String NET = "/networking/v2.0";

  private Cloud() {}

  /** The id of the cirros image every Kiln starts with. */
  public static String cirros(Api api) {
    return api.get("/image/v2/images?name=cirros").expect(200).at("/images/0/id").asText();
  }

  /** A network {@code name} with one IPv4 subnet {@code cidr}; answers the network's id. */
  public static String network(Api api, String name, String cidr) {
    String networkId = api.post(NET + "/networks", "{\"network\": {\"name\": \"" + name + "\"}}").expect(201).at("/network/id").asText();
    api.post(
        NET + "/subnets",
        "{\"subnet\": {\"network_id\": \"" + networkId + "\", \"ip_version\": 4, \"cidr\": \"" + cidr + "\"}}").expect(201);
    return networkId;
  }

  /** Lifts a project's instances, cores and ram quotas, for tests that boot more than the defaults allow. */
  public static void unlimitedServers(Api admin, String projectId) {
    admin.put(NOVA + "/os-quota-sets/" + projectId, "{\"quota_set\": {\"instances\": -1, \"cores\": -1, \"ram\": -1}}").expect(200);
  }

  /** Lifts a project's Block Storage volumes and gigabytes quotas, for tests that make many volumes. */
  public static void unlimitedVolumes(Api admin, String projectId) {
    String adminProject = admin.get("/identity/v3/projects?name=admin").expect(200).at("/projects/0/id").asText();
    admin.put("/volume/v3/" + adminProject + "/os-quota-sets/" + projectId,
        "{\"quota_set\": {\"volumes\": -1, \"gigabytes\": -1}}").expect(200);
  }

  /** Boots {@code name} (flavor 1, image, network) and waits until it is ACTIVE; answers its id. */
  public static String bootActive(Api api, String imageId, String networkId, String name) {
    return awaitActive(api, boot(api, imageId, "[{\"uuid\": \"" + networkId + "\"}]", name));
  }

  /**
   * Asks for server {@code name} (flavor 1) with {@code networks} as the JSON value of its networks
   * field ({@code "\"none\""} needs microversion 2.37); answers its id without waiting.
   */
  public static String boot(Api api, String imageId, String networks, String name) {
    return boot(api, imageId, "1", networks, name);
  }

  /** Like {@link #boot(Api, String, String, String)} with flavor {@code flavorRef}. */
  public static String boot(Api api, String imageId, String flavorRef, String networks, String name) {
    return api.post(
            NOVA + "/servers",
            "{\"server\": {\"name\": \"" + name + "\", \"flavorRef\": \"" + flavorRef + "\", \"imageRef\": \"" + imageId
                + "\", \"networks\": " + networks + "}}")
        .expect(202).at("/server/id").asText();
  }

  /** Waits until server {@code id} leaves BUILD and asserts it is then ACTIVE; answers the id. */
  public static String awaitActive(Api api, String id) {
    awaitBuilt(api, id, "ACTIVE");
    return id;
  }

  /**
   * Waits until server {@code id} leaves BUILD (for {@link Await#DEFAULT} at most) and asserts it
   * then shows {@code status}; answers the server as {@code api} sees it.
   */
  public static JsonNode awaitBuilt(Api api, String id, String status) {
    long deadline = Await.deadline(Await.DEFAULT);
    while (true) {
      JsonNode server = server(api, id);
      if (!server.get("status").asText().equals("BUILD") || System.nanoTime() > deadline) {
        assertThat(server.get("status").asText()).as(server.toString()).isEqualTo(status);
        return server;
      }
      Await.pause();
    }
  }

  /**
   * Waits until server {@code id} has no task and shows {@code status} (for {@link Await#DEFAULT}
   * at most), then asserts both; answers the server as {@code api} sees it.
   */
  public static JsonNode awaitSettled(Api api, String id, String status) {
    long deadline = Await.deadline(Await.DEFAULT);
    while (true) {
      JsonNode server = server(api, id);
      boolean settled = server.get("OS-EXT-STS:task_state").isNull() && !server.get("status").asText().equals("BUILD");
      if ((settled && server.get("status").asText().equals(status)) || System.nanoTime() > deadline) {
        assertThat(server.get("status").asText()).as(server.toString()).isEqualTo(status);
        assertThat(server.get("OS-EXT-STS:task_state").isNull()).as(server.toString()).isTrue();
        return server;
      }
      Await.pause();
    }
  }

  /** Server {@code id} as {@code api} sees it (the object inside "server"). */
  public static JsonNode server(Api api, String id) {
    return api.get(NOVA + "/servers/" + id).expect(200).get("server");
  }

  /** The status field of server {@code id}. */
  public static String serverStatus(Api api, String id) {
    return api.get(NOVA + "/servers/" + id).expect(200).at("/server/status").asText();
  }

  /** Deletes server {@code id} and waits until it answers 404. */
  public static void deleteServer(Api api, String id) {
    api.delete(NOVA + "/servers/" + id).expect(204);
    awaitGone(api, id);
  }

  /** Waits until server {@code id} answers 404. */
  public static void awaitGone(Api api, String id) {
    Await.until(() -> api.get(NOVA + "/servers/" + id).status() == 404, "server " + id + " to go");
  }

  /** The status field of volume {@code id} under a Block Storage root such as /volume/v3/{project}. */
  public static String volumeStatus(Api api, String cinder, String id) {
    return api.get(cinder + "/volumes/" + id).expect(200).at("/volume/status").asText();
  }

  /** Creates a 1 GiB volume {@code name} and waits until it is available; answers its id. */
  public static String availableVolume(Api api, String cinder, String name) {
    String id =
        api.post(cinder + "/volumes", "{\"volume\": {\"name\": \"" + name + "\", \"size\": 1}}").expect(202).at("/volume/id").asText();
    return awaitAvailable(api, cinder, id, Await.DEFAULT, name + " available");
  }

  /** Waits until volume {@code id} is available; answers the id. */
  public static String awaitAvailable(Api api, String cinder, String id, Duration timeout, String what) {
    Await.until(() -> volumeStatus(api, cinder, id).equals("available"), timeout, what);
    return id;
  }
}
