package dev.kiln.compute;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.IdGenerator;
import dev.kiln.compute.actions.ServerActions;
import dev.kiln.compute.actions.ServerDiagnostics;
import dev.kiln.compute.actions.ServerRescues;
import dev.kiln.compute.actions.ServerRebuilds;
import dev.kiln.compute.actions.ServerSnapshots;
import dev.kiln.compute.attach.ServerFloatingIps;
import dev.kiln.compute.attach.ServerInterfaces;
import dev.kiln.compute.attach.ServerSecurityGroups;
import dev.kiln.compute.attach.ServerVolumeAttachments;
import dev.kiln.compute.metadata.InstanceMetadata;
import dev.kiln.compute.moves.ServerLiveMigrations;
import dev.kiln.compute.moves.ServerMoves;
import dev.kiln.compute.moves.ServerShelves;
import dev.kiln.compute.proxy.ComputeProxies;
import dev.kiln.compute.servers.ServerUsage;
import dev.kiln.compute.servers.Servers;
import dev.kiln.image.ImageService;
import dev.kiln.network.NetworkService;
import dev.kiln.store.Database;
import dev.kiln.tasks.TaskRunner;
import dev.kiln.volume.VolumeService;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * Everything Compute does with servers, wired once: what the compute API serves and the task
 * handlers it registers (building, actions, moves, interfaces, volumes), and Nova's proxies to
 * Networking and Block Storage.
 */
public record ServerServices(
    Servers servers,
    ServerActions actions,
    ServerMoves moves,
    ServerRebuilds rebuilds,
    ServerSnapshots snapshots,
    ServerLiveMigrations liveMigrations,
    ServerInterfaces interfaces,
    ServerVolumeAttachments volumeAttachments,
    InstanceMetadata metadata,
    ServerSecurityGroups securityGroups,
    ServerDiagnostics diagnostics,
    ServerRescues rescues,
    ServerShelves shelves,
    ServerFloatingIps floatingIps,
    ComputeProxies proxies,
    ServerUsage usage) {

  public ServerServices {
    requireNonNull(servers, "servers is null");
    requireNonNull(actions, "actions is null");
    requireNonNull(moves, "moves is null");
    requireNonNull(rebuilds, "rebuilds is null");
    requireNonNull(snapshots, "snapshots is null");
    requireNonNull(liveMigrations, "liveMigrations is null");
    requireNonNull(interfaces, "interfaces is null");
    requireNonNull(volumeAttachments, "volumeAttachments is null");
    requireNonNull(metadata, "metadata is null");
    requireNonNull(securityGroups, "securityGroups is null");
    requireNonNull(diagnostics, "diagnostics is null");
    requireNonNull(rescues, "rescues is null");
    requireNonNull(shelves, "shelves is null");
    requireNonNull(floatingIps, "floatingIps is null");
    requireNonNull(proxies, "proxies is null");
    requireNonNull(usage, "usage is null");
  }

  public static ServerServices create(
      Database db,
      Clock clock,
      IdGenerator ids,
      SecureRandom random,
      ComputeService compute,
      NetworkService network,
      ImageService image,
      VolumeService volume,
      TaskRunner tasks) {
    Servers servers = new Servers(
            db, clock, ids, compute.fleet(), compute.driver(), compute.flavors(), compute.keypairs(), compute.quotas(),
            network, image, volume, tasks);
    ServerActions actions = new ServerActions(db, clock, ids, compute.driver(), servers, tasks);
    return new ServerServices(
        servers,
        actions,
        new ServerMoves(
            db, clock, ids, compute.fleet(), compute.driver(), compute.flavors(), compute.quotas(), servers, network, tasks),
        new ServerRebuilds(db, clock, ids, compute.driver(), compute.keypairs(), servers, image, tasks),
        new ServerSnapshots(db, clock, ids, compute.driver(), servers, compute.quotas(), image, tasks),
        new ServerLiveMigrations(db, clock, ids, compute.fleet(), compute.driver(), network, servers, tasks),
        new ServerInterfaces(db, clock, ids, compute.driver(), network, servers, tasks),
        new ServerVolumeAttachments(db, clock, ids, compute.driver(), servers, tasks),
        new InstanceMetadata(clock, servers, compute.keypairs(), network, random),
        new ServerSecurityGroups(servers, network),
        new ServerDiagnostics(clock, servers, network),
        new ServerRescues(actions, servers, image),
        new ServerShelves(db, clock, ids, compute.fleet(), compute.driver(), servers, network, image, tasks),
        new ServerFloatingIps(servers, network),
        ComputeProxies.create(network, volume),
        new ServerUsage(db, clock));
  }
}
