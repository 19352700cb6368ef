package dev.kiln.compute.actions;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.servers.BlockDevice;
import dev.kiln.compute.servers.Server;
import dev.kiln.compute.servers.ServerChecks;
import dev.kiln.compute.servers.Servers;
import dev.kiln.network.NetworkService;
import dev.kiln.network.Port;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A server's diagnostics (Nova's {@code GET /servers/{id}/diagnostics}, admins only): what the
 * hypervisor knows of the guest. A simulated guest does no I/O and burns no CPU, so its counters
 * are zero; its shape (state, vCPUs, memory, one NIC per plugged port with the port's MAC, one
 * disk per root disk and attached volume) and uptime are the server's own.
 */
public final class ServerDiagnostics {
  /** Nova's {@code reject_instance_state} for diagnostics: nothing to report while these run. */
  private static final Set<String> REFUSED_TASKS = Set.of("deleting", "migrating");

  private final Clock clock;
  private final Servers servers;
  private final NetworkService network;

  public ServerDiagnostics(Clock clock, Servers servers, NetworkService network) {
    this.clock = requireNonNull(clock, "clock is null");
    this.servers = requireNonNull(servers, "servers is null");
    this.network = requireNonNull(network, "network is null");
  }

  /**
   * What the guest looks like now.
   *
   * @param state Nova's diagnostics state: running, paused, shutdown, suspended or pending
   * @param uptimeSeconds since the server was launched, null before
   * @param nicMacs the MAC of each NIC, in the order the ports were plugged
   * @param disks the device name of each disk (vda for an image's root disk, then volumes)
   */
  public record Diagnostics(
      String state, Long uptimeSeconds, int vcpus, int memoryMb, List<String> nicMacs, List<String> disks) {
    public Diagnostics {
      nicMacs = List.copyOf(nicMacs);
      disks = List.copyOf(disks);
    }
  }

  /**
   * The server's diagnostics.
   *
   * @throws ServiceException 403 for non-admins (Nova's policy), 404 for an unknown server, 409
   *     for a server on no host yet or being deleted or migrated
   */
  public Diagnostics of(Actor actor, String id) {
    if (!actor.admin()) {
      throw ServiceException.forbidden(
          "PolicyNotAuthorized", "Policy doesn't allow os_compute_api:os-server-diagnostics to be performed.");
    }
    Server server = servers.visible(actor, id);
    ServerChecks.requirePlaced(server);
    if (server.taskState() != null && REFUSED_TASKS.contains(server.taskState())) {
      throw ServerChecks.invalidState("get_diagnostics", id, "task_state", server.taskState());
    }
    List<String> macs = new ArrayList<>();
    List<String> portIds = server.ports().stream().map(Server.PluggedPort::portId).toList();
    java.util.Map<String, Port> ports = new java.util.HashMap<>();
    network.ports().byIds(portIds).forEach(p -> ports.put(p.id(), p));
    for (String portId : portIds) {
      Port p = ports.get(portId);
      if (p != null) {
        macs.add(p.macAddress());
      }
    }
    List<String> disks = new ArrayList<>();
    if (server.imageId() != null && !server.imageId().isEmpty()) {
      disks.add("vda");
    }
    for (BlockDevice d : servers.blockDevices(id)) {
      if (d.volumeId() != null && d.state() == BlockDevice.State.ATTACHED) {
        String name = d.deviceName().startsWith("/dev/") ? d.deviceName().substring(5) : d.deviceName();
        if (!disks.contains(name)) {
          disks.add(name);
        }
      }
    }
    Long uptime =
        server.launchedAt() == null || server.powerState() != Server.POWER_RUNNING
            ? null
            : Math.max(0, Duration.between(server.launchedAt(), clock.instant()).toSeconds());
    return new Diagnostics(
        state(server), uptime, server.flavor().vcpus(), server.flavor().ramMb(), macs, disks);
  }

  private static String state(Server server) {
    return switch (server.powerState()) {
      case Server.POWER_RUNNING -> "running";
      case Server.POWER_PAUSED -> "paused";
      case Server.POWER_SHUTDOWN -> Server.SUSPENDED.equals(server.status()) ? "suspended" : "shutdown";
      default -> "pending";
    };
  }
}
