package dev.kiln.orchestration.resources.network;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.network.NetworkService;
import dev.kiln.orchestration.resources.ResourceError;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Finds a Networking resource by id or by name, as the stack owner sees them, the way Heat's
 * neutron client plugin does ({@code find_resourceid_by_name_or_id}): an id the owner can see
 * first, then the one resource of that name, with neutronclient's messages when there is none or
 * more than one.
 */
final class Lookup {
  /** The kinds that can be named, with the name neutronclient uses in its messages. */
  enum Kind {
    NETWORK("network"),
    SUBNET("subnet"),
    PORT("port"),
    ROUTER("router"),
    SECURITY_GROUP("security_group"),
    SUBNETPOOL("subnetpool"),
    ADDRESS_SCOPE("address_scope");

    final String noun;

    Kind(String noun) {
      this.noun = noun;
    }
  }

  private final NetworkService net;

  Lookup(NetworkService net) {
    this.net = requireNonNull(net, "net is null");
  }

  /** The id of the {@code kind} named or identified by {@code nameOrId}. */
  String id(Actor actor, Kind kind, String nameOrId) throws ResourceError {
    try {
      return find(actor, kind, nameOrId);
    } catch (NotFound e) {
      throw new ResourceError(e.ambiguous ? "NeutronClientNoUniqueMatch" : "NotFound", e.getMessage());
    }
  }

  /** What is wrong with {@code nameOrId} as a {@code kind}, or null when it names exactly one. */
  String problem(Actor actor, Kind kind, String nameOrId) {
    try {
      find(actor, kind, nameOrId);
      return null;
    } catch (NotFound e) {
      return e.getMessage();
    }
  }

  private String find(Actor actor, Kind kind, String value) {
    return switch (kind) {
      case NETWORK -> find(kind, value, () -> net.networks().visible(actor, value).id(),
          () -> net.networks().list(actor), n -> n.name(), n -> n.id());
      case SUBNET -> find(kind, value, () -> net.subnets().visible(actor, value).id(),
          () -> net.subnets().list(actor), s -> s.name(), s -> s.id());
      case PORT -> find(kind, value, () -> net.ports().visible(actor, value).id(),
          () -> net.ports().list(actor), p -> p.name(), p -> p.id());
      case ROUTER -> find(kind, value, () -> net.routers().visible(actor, value).id(),
          () -> net.routers().list(actor), r -> r.name(), r -> r.id());
      case SECURITY_GROUP -> find(kind, value, () -> net.securityGroups().get(actor, value).id(),
          () -> net.securityGroups().list(actor, null), g -> g.name(), g -> g.id());
      case SUBNETPOOL -> find(kind, value, () -> net.subnetPools().visible(actor, value).id(),
          () -> net.subnetPools().list(actor), p -> p.name(), p -> p.id());
      case ADDRESS_SCOPE -> find(kind, value, () -> net.addressScopes().visible(actor, value).id(),
          () -> net.addressScopes().list(actor), a -> a.name(), a -> a.id());
    };
  }

  private static <T> String find(
      Kind kind, String value, Supplier<String> byId, Supplier<List<T>> all, Function<T, String> name,
      Function<T, String> id) {
    try {
      return byId.get();
    } catch (ServiceException e) {
      if (!NeutronErrors.notFound(e)) {
        throw e;
      }
    }
    List<String> named = all.get().stream().filter(t -> value.equals(name.apply(t))).map(id).toList();
    if (named.size() == 1) {
      return named.getFirst();
    }
    if (named.size() > 1) {
      throw new NotFound(
          "Multiple " + kind.noun + " matches found for name '" + value + "', use an ID to be more specific.", true);
    }
    throw new NotFound("Unable to find " + kind.noun + " with name or id '" + value + "'", false);
  }

  private static final class NotFound extends RuntimeException {
    final boolean ambiguous;

    NotFound(String message, boolean ambiguous) {
      super(message, null, false, false);
      this.ambiguous = ambiguous;
    }
  }
}
