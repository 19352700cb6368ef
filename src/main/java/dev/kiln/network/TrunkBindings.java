package dev.kiln.network;

import dev.kiln.network.store.NetworkStore;
import dev.kiln.network.store.TrunkStore;
import dev.kiln.store.Sql;
import java.time.Instant;

/**
 * Keeps a trunk's subports bound where its parent port is, as Neutron's trunk driver does: the
 * VLANs of the subports reach the instance through the parent's device, so once the parent is
 * bound to a host (Compute boots a server on it, or an admin sets {@code binding:host_id}) each
 * subport is bound to that same host, and it is unbound again when the parent is.
 *
 * <p>Runs inside the transaction that changed the parent's binding, after that change, with the
 * parent's row already locked; so a subport's binding never disagrees with its parent's once
 * the change commits.
 */
final class TrunkBindings {
  private TrunkBindings() {}

  /** Binds every subport of the trunk whose parent is {@code parentPortId} (if any) to the parent's host. */
  static void followParent(Sql sql, String parentPortId, Instant now) {
    TrunkStore trunks = new TrunkStore(sql);
    trunks.ofParent(parentPortId).ifPresent(trunk -> {
      NetworkStore store = new NetworkStore(sql);
      Port parent = store.findPort(parentPortId).orElseThrow(() -> NetworkErrors.portNotFound(parentPortId));
      String host = parent.activeBinding() == null ? "" : parent.activeBinding().host();
      for (Trunk.SubPort s : trunk.subPorts()) {
        store.findPort(s.portId()).ifPresent(sub -> bind(store, sub, host, now));
      }
    });
  }

  /** Binds one subport to {@code host} ("" unbinds it); nothing changes when it is bound there already. */
  static void bind(NetworkStore store, Port sub, String host, Instant now) {
    String current = sub.activeBinding() == null ? "" : sub.activeBinding().host();
    if (current.equals(host)) {
      return;
    }
    store.deleteBindings(sub.id());
    boolean bound = !host.isEmpty();
    if (bound) {
      store.insertBinding(Ports.activeBinding(sub.id(), host, sub.vnicType(), sub.profile()));
    }
    Ports.writePort(
        store,
        new Port(
            sub.id(), sub.projectId(), sub.networkId(), sub.name(), sub.description(), sub.macAddress(),
            sub.adminStateUp(), Ports.status(sub.adminStateUp(), sub.deviceId(), bound), sub.deviceId(),
            sub.deviceOwner(), sub.portSecurityEnabled(), sub.vnicType(), sub.profile(), sub.fixedIps(),
            sub.securityGroups(), null, sub.revision() + 1, sub.createdAt(), now),
        sub.revision());
  }
}
