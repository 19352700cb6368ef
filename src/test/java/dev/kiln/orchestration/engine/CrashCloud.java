package dev.kiln.orchestration.engine;

import dev.kiln.common.IdGenerator;
import dev.kiln.compute.ComputeService;
import dev.kiln.compute.ServerServices;
import dev.kiln.compute.fleet.FleetConfig;
import dev.kiln.identity.Directory;
import dev.kiln.identity.PasswordHasher;
import dev.kiln.image.ImageService;
import dev.kiln.network.NetworkService;
import dev.kiln.orchestration.OrchestrationService;
import dev.kiln.orchestration.Stack;
import dev.kiln.orchestration.resources.Cloud;
import dev.kiln.store.Database;
import dev.kiln.tasks.TaskRunner;
import dev.kiln.volume.SimulatedVolumeBackend;
import dev.kiln.volume.VolumeService;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The cloud {@link CrashChild} runs stacks against: Compute (one simulated host, with a little
 * latency so that a kill can land while a server is being built), Networking, Block Storage (a
 * little latency too) and Image, wired as {@code KilnServer} wires them, on the child's database.
 */
final class CrashCloud {
  /** A stack of every cloud type the crash test checks, each depending on the one before. */
  static final String TEMPLATE =
      """
      heat_template_version: 2018-08-31
      resources:
        net:
          type: OS::Neutron::Net
        subnet:
          type: OS::Neutron::Subnet
          properties: {network: {get_resource: net}, cidr: 10.9.0.0/24}
        port:
          type: OS::Neutron::Port
          properties:
            network: {get_resource: net}
            fixed_ips: [{subnet: {get_resource: subnet}}]
        volume:
          type: OS::Cinder::Volume
          properties: {size: 1}
        server:
          type: OS::Nova::Server
          properties:
            image: cirros
            flavor: m1.tiny
            networks: [{port: {get_resource: port}}]
        attachment:
          type: OS::Cinder::VolumeAttachment
          properties:
            instance_uuid: {get_resource: server}
            volume_id: {get_resource: volume}
      """;

  /** How the names of cloud stacks end, so the child can count them. */
  static final String SUFFIX = "-cloud";

  /** At most this many cloud stacks are not deleted at once: well inside the default quotas. */
  static final int MAX_LIVE = 3;

  private CrashCloud() {}

  static Cloud start(Database db, Path dataDir, TaskRunner tasks) {
    return start(db, dataDir, tasks, Duration.ofMillis(50));
  }

  /** @param volumeLatency how long the simulated backend takes to make or remove a volume */
  static Cloud start(Database db, Path dataDir, TaskRunner tasks, Duration volumeLatency) {
    return start(db, dataDir, tasks, "100ms", volumeLatency);
  }

  /** @param computeLatency the simulated fleet's latency profile ({@code zero}, {@code 100ms}, …) */
  static Cloud start(Database db, Path dataDir, TaskRunner tasks, String computeLatency, Duration volumeLatency) {
    Clock clock = Clock.systemUTC();
    IdGenerator ids = IdGenerator.random();
    SecureRandom random = new SecureRandom();
    ComputeService compute =
        ComputeService.start(
            db, clock, ids, random,
            FleetConfig.of(List.of("crash-compute-1"), FleetConfig.DEFAULT_CAPACITY, Map.of(), computeLatency, Map.of()));
    NetworkService network = NetworkService.create(db, clock, ids, random, compute.fleet());
    ImageService image = ImageService.create(db, clock, ids, dataDir);
    image.images().seedDefaultImage(CrashChild.OWNER.projectId());
    VolumeService volume =
        VolumeService.create(
            db, clock, ids, new SimulatedVolumeBackend(volumeLatency), tasks,
            dev.kiln.volume.ImageCatalog.NONE);
    ServerServices servers = ServerServices.create(db, clock, ids, random, compute, network, image, volume, tasks);
    return new Cloud(compute, servers, network, volume, image, new Directory(db, clock, ids, new PasswordHasher(1000, random)));
  }

  /**
   * Null while fewer than {@link #MAX_LIVE} cloud stacks hold resources (counting those being
   * deleted); at the limit, the ones a delete may take (not being deleted already).
   */
  static List<String> victimsAtLimit(OrchestrationService heat) {
    List<Stack> cloud =
        heat.list(CrashChild.OWNER, CrashChild.query()).stream()
            .filter(s -> s.name().endsWith(SUFFIX) && !s.stackStatus().equals("DELETE_COMPLETE"))
            .toList();
    if (cloud.size() < MAX_LIVE) {
      return null;
    }
    return cloud.stream().filter(s -> !s.stackStatus().startsWith("DELETE")).map(Stack::id).toList();
  }
}
