package dev.kiln.compute;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.compute.fleet.FleetConfig;
import dev.kiln.compute.fleet.Resources;
import dev.kiln.compute.servers.Servers;
import dev.kiln.image.ImageService;
import dev.kiln.network.NetworkService;
import dev.kiln.network.Networks;
import dev.kiln.network.Subnets;
import dev.kiln.store.Database;
import dev.kiln.tasks.Task;
import dev.kiln.tasks.TaskRunner;
import dev.kiln.tasks.TaskStatus;
import dev.kiln.volume.VolumeService;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Compute wired in-process over one database, for tests that run its task handlers by hand: a
 * task runner that is never started, a fleet of the given hosts, Networking with a tenant network
 * and subnet, Image with cirros, and Block Storage without latency.
 */
public record InProcessCompute(
    Database db,
    Clock clock,
    IdGenerator ids,
    TaskRunner tasks,
    ComputeService compute,
    NetworkService network,
    ImageService image,
    VolumeService volume,
    Servers servers,
    String imageId,
    String networkId)
    implements AutoCloseable {
  /** The project the network belongs to. */
  public static final Actor TENANT = new Actor("p1", "u1", false);

  /** Wires Compute over {@code db}; images are kept under {@code dataDir}. */
  public static InProcessCompute open(Database db, Path dataDir, List<String> hosts, String cidr) {
    Clock clock = Clock.systemUTC();
    IdGenerator ids = IdGenerator.random();
    TaskRunner tasks = new TaskRunner(db, clock, ids, "test-node");
    ComputeService compute = ComputeService.start(db, clock, ids, new SecureRandom(), FleetConfig.defaults(hosts));
    NetworkService network = NetworkService.create(db, clock, ids, new SecureRandom(), compute.fleet());
    ImageService image = ImageService.create(db, clock, ids, dataDir);
    image.images().seedDefaultImage("admin-project");
    String imageId = db.sql().query("SELECT id FROM image_image WHERE name = 'cirros'", row -> row.getString("id")).getFirst();
    VolumeService volume = TestVolumes.create(db, clock, ids, tasks);
    Servers servers =
        new Servers(
            db, clock, ids, compute.fleet(), compute.driver(), compute.flavors(), compute.keypairs(), compute.quotas(),
            network, image, volume, tasks);
    String networkId = network.networks().create(TENANT, new Networks.Spec(null, "net", null, null, null, null, null, null)).id();
    network.subnets().create(
        TENANT, new Subnets.Spec(null, networkId, "sub", null, 4, cidr, false, null, null, null, null, null, null, null));
    return new InProcessCompute(db, clock, ids, tasks, compute, network, image, volume, servers, imageId, networkId);
  }

  /** The newest task of this kind that was submitted, as a runner would hand it over (attempt 1). */
  public Task newestTask(String kind) {
    String payload =
        db.sql()
            .query("SELECT payload FROM task WHERE kind = ? ORDER BY created_at DESC, id DESC", row -> row.getString("payload"), kind)
            .getFirst();
    return handedOver(UUID.randomUUID().toString(), kind, payload);
  }

  /** The tasks of this kind still queued, each as a runner would hand it over (attempt 1). */
  public List<Task> queuedTasks(String kind) {
    return db.sql().query(
        "SELECT id, payload FROM task WHERE kind = ? AND status = 'QUEUED'",
        row -> handedOver(row.getString("id"), kind, row.getString("payload")),
        kind);
  }

  private static Task handedOver(String id, String kind, String payload) {
    Instant now = Instant.now();
    return new Task(id, kind, payload, TaskStatus.RUNNING, 1, 3, now, "test-node", now, null, null, now, now);
  }

  /** No host of {@code hosts} holds a claim: every server's and every move's was given back. */
  public void assertNoHostHoldsAClaim(List<String> hosts) {
    for (String host : hosts) {
      assertThat(compute.fleet().hypervisor(host).orElseThrow().used()).as("claims left on " + host).isEqualTo(new Resources(0, 0, 0));
    }
  }

  /** The same task as the next attempt a runner would hand over (another node taking it over). */
  public static Task retried(Task task) {
    Instant now = Instant.now();
    return new Task(
        task.id(), task.kind(), task.payload(), TaskStatus.RUNNING, task.attempts() + 1, task.maxAttempts(), now,
        "other-node", now, null, null, task.createdAt(), now);
  }

  @Override
  public void close() {
    tasks.close();
    db.close();
  }
}
