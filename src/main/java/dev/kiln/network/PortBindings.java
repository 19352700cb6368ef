package dev.kiln.network;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.ServiceException;
import dev.kiln.network.PortBinding.Status;
import dev.kiln.network.store.NetworkStore;
import java.util.List;

/**
 * The port-bindings extension live migration uses: a port bound on its source host gets an
 * INACTIVE binding on the destination, which is activated once the instance has moved (the
 * source binding becoming INACTIVE), after which the source binding is deleted. Every change
 * runs under the port's row lock, so a port never has two ACTIVE bindings.
 */
public final class PortBindings {
  private final Ports ports;

  public PortBindings(Ports ports) {
    this.ports = requireNonNull(ports, "ports is null");
  }

  public List<PortBinding> list(String portId) {
    return ports.withLockedPort(portId, (store, port) -> store.bindingsOf(portId));
  }

  public PortBinding show(String portId, String host) {
    return ports.withLockedPort(portId, (store, port) -> find(store, portId, host));
  }

  /**
   * Binds the port on another host. The binding is ACTIVE when the port has none active yet,
   * else INACTIVE until {@link #activate}. Nothing is created when the host is unknown.
   */
  public PortBinding create(String portId, String host, String vnicType, String profile) {
    ports.checkHost(host);
    return ports.withLockedPort(
        portId,
        (store, port) -> {
          if (!port.isComputePort()) {
            throw ServiceException.invalid(
                "PortBindingError",
                "Port " + portId + " is not a compute port (device_owner compute:*), so it cannot get bindings.");
          }
          List<PortBinding> existing = store.bindingsOf(portId);
          if (existing.stream().anyMatch(b -> b.host().equals(host))) {
            throw ServiceException.conflict(
                "PortBindingAlreadyExists", "Binding for port " + portId + " on host " + host + " already exists.");
          }
          boolean hasActive = existing.stream().anyMatch(b -> b.status() == Status.ACTIVE);
          PortBinding binding =
              new PortBinding(
                  portId, host, hasActive ? Status.INACTIVE : Status.ACTIVE, PortBinding.VIF_TYPE,
                  vnicType == null ? port.vnicType() : PortFields.vnicType(vnicType), profile == null ? "{}" : profile,
                  PortBinding.VIF_DETAILS);
          store.insertBinding(binding);
          if (!hasActive) {
            refreshPort(store, port, true);
          }
          return binding;
        });
  }

  /** Makes an INACTIVE binding the active one; the binding that was active becomes INACTIVE. */
  public PortBinding activate(String portId, String host) {
    return ports.withLockedPort(
        portId,
        (store, port) -> {
          PortBinding target = find(store, portId, host);
          if (target.status() == Status.ACTIVE) {
            throw ServiceException.conflict(
                "PortBindingAlreadyActive", "Binding for port " + portId + " on host " + host + " is already active.");
          }
          for (PortBinding b : store.bindingsOf(portId)) {
            if (b.status() == Status.ACTIVE) {
              store.setBindingStatus(portId, b.host(), Status.INACTIVE);
            }
          }
          store.setBindingStatus(portId, host, Status.ACTIVE);
          refreshPort(store, port, true);
          return find(store, portId, host);
        });
  }

  public void delete(String portId, String host) {
    ports.withLockedPort(
        portId,
        (store, port) -> {
          PortBinding binding = find(store, portId, host);
          store.deleteBinding(portId, host);
          if (binding.status() == Status.ACTIVE) {
            refreshPort(store, port, false);
          }
          return null;
        });
  }

  /** Bumps the port's revision and status after its active binding changed. */
  private static void refreshPort(NetworkStore store, Port port, boolean bound) {
    Port updated =
        new Port(
            port.id(), port.projectId(), port.networkId(), port.name(), port.description(), port.macAddress(),
            port.adminStateUp(), Ports.status(port.adminStateUp(), port.deviceId(), bound), port.deviceId(),
            port.deviceOwner(), port.portSecurityEnabled(), port.vnicType(), port.profile(), port.fixedIps(),
            port.securityGroups(), null, port.revision() + 1, port.createdAt(), port.updatedAt());
    Ports.writePort(store, updated, port.revision());
  }

  private static PortBinding find(NetworkStore store, String portId, String host) {
    return store.bindingsOf(portId).stream()
        .filter(b -> b.host().equals(host))
        .findFirst()
        .orElseThrow(
            () ->
                ServiceException.notFound(
                    "PortBindingNotFound", "Binding for port " + portId + " for host " + host + " could not be found."));
  }
}
