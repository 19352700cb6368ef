package dev.kiln.compute.proxy;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.network.Network;
import dev.kiln.network.NetworkService;
import java.util.List;

/**
 * Nova's {@code os-networks} and {@code os-tenant-networks} proxies: the networks Networking shows
 * the caller (its own, shared and external ones; every network to an admin), as Nova lists them
 * from Neutron with the caller's token.
 */
public final class NetworkProxy {
  private final NetworkService network;

  public NetworkProxy(NetworkService network) {
    this.network = requireNonNull(network, "network is null");
  }

  public List<Network> list(Actor actor) {
    return network.networks().list(actor);
  }

  /** A network the caller may see; any other id is Nova's 404 "Network not found". */
  public Network get(Actor actor, String id) {
    try {
      return network.networks().visible(actor, id);
    } catch (ServiceException e) {
      if (e.kind() != ServiceException.Kind.NOT_FOUND) {
        throw e;
      }
      throw ServiceException.notFound("NetworkNotFound", "Network not found");
    }
  }
}
