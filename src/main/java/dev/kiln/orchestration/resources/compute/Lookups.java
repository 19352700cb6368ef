package dev.kiln.orchestration.resources.compute;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.catalog.Flavor;
import dev.kiln.compute.catalog.Flavors;
import dev.kiln.compute.servers.Server;
import dev.kiln.image.Image;
import dev.kiln.image.ImageQuery;
import dev.kiln.network.Network;
import dev.kiln.network.SecurityGroup;
import dev.kiln.network.Subnet;
import dev.kiln.orchestration.resources.Cloud;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Finds what a template names by name or id, as Heat's client plugins do ({@code
 * find_flavor_by_name_or_id}, {@code find_resourceid_by_name_or_id}, …), as the stack owner sees
 * the cloud. Misses are 404 {@code EntityNotFound} with Heat's words; a name that several things
 * carry is 409 {@code PhysicalResourceNameAmbiguity}.
 */
final class Lookups {
  private final Cloud cloud;

  Lookups(Cloud cloud) {
    this.cloud = requireNonNull(cloud, "cloud is null");
  }

  Flavor flavor(Actor actor, String ref) {
    return cloud.compute().flavors().find(actor, ref)
        .orElseGet(
            () -> byName(
                "Flavor", ref,
                () -> cloud.compute().flavors().list(actor, Flavors.ListQuery.all()).flavors(), Flavor::name));
  }

  Image image(Actor actor, String ref) {
    try {
      return cloud.image().images().visible(actor, ref);
    } catch (ServiceException e) {
      if (e.kind() != ServiceException.Kind.NOT_FOUND) {
        throw e;
      }
    }
    ImageQuery byName =
        new ImageQuery(
            ImageQuery.VisibilityFilter.DEFAULT,
            List.of(new ImageQuery.Condition("name", ImageQuery.Operator.EQ, List.of(ref))),
            List.of(), false, List.of(), null, ImageQuery.MAX_LIMIT);
    return byName("Image", ref, () -> cloud.image().images().list(actor, byName).images(), Image::name);
  }

  Network network(Actor actor, String ref) {
    try {
      return cloud.network().networks().visible(actor, ref);
    } catch (ServiceException e) {
      if (e.kind() != ServiceException.Kind.NOT_FOUND) {
        throw e;
      }
    }
    return neutronByName("network", ref, () -> cloud.network().networks().list(actor), Network::name);
  }

  Subnet subnet(Actor actor, String ref) {
    try {
      return cloud.network().subnets().visible(actor, ref);
    } catch (ServiceException e) {
      if (e.kind() != ServiceException.Kind.NOT_FOUND) {
        throw e;
      }
    }
    return neutronByName("subnet", ref, () -> cloud.network().subnets().list(actor), Subnet::name);
  }

  /** A port by id or name. */
  dev.kiln.network.Port port(Actor actor, String ref) {
    try {
      return cloud.network().ports().visible(actor, ref);
    } catch (ServiceException e) {
      if (e.kind() != ServiceException.Kind.NOT_FOUND) {
        throw e;
      }
    }
    return neutronByName("port", ref, () -> cloud.network().ports().list(actor), dev.kiln.network.Port::name);
  }

  /** Security groups by name or id, as ids (Heat's {@code get_secgroup_uuids}). */
  List<String> securityGroupIds(Actor actor, List<String> refs) {
    if (refs.isEmpty()) {
      return List.of();
    }
    List<SecurityGroup> visible = cloud.network().securityGroups().list(actor, actor.projectId());
    List<String> ids = new ArrayList<>();
    for (String ref : refs) {
      List<SecurityGroup> matches = visible.stream().filter(g -> g.id().equals(ref)).toList();
      if (matches.isEmpty()) {
        matches = visible.stream().filter(g -> g.name().equals(ref)).toList();
      }
      if (matches.isEmpty()) {
        throw ServiceException.notFound(
            "EntityNotFound", "The Resource (" + ref + ") could not be found.");
      }
      if (matches.size() > 1) {
        throw ambiguous(ref);
      }
      ids.add(matches.getFirst().id());
    }
    return ids;
  }

  /** A server by id or name, in the actor's project. */
  Server server(Actor actor, String ref) {
    try {
      return cloud.servers().servers().visible(actor, ref);
    } catch (ServiceException e) {
      if (e.kind() != ServiceException.Kind.NOT_FOUND) {
        throw e;
      }
    }
    var query = new dev.kiln.compute.servers.Servers.Query(false, "^" + java.util.regex.Pattern.quote(ref) + "$", null, null, null);
    return byName("Server", ref, () -> cloud.servers().servers().list(actor, query, null, null).servers(), Server::name);
  }

  private static <T> T byName(String entity, String ref, Supplier<List<T>> all, Function<T, String> name) {
    List<T> matches = all.get().stream().filter(t -> ref.equals(name.apply(t))).toList();
    if (matches.isEmpty()) {
      throw ServiceException.notFound("EntityNotFound", "The " + entity + " (" + ref + ") could not be found.");
    }
    if (matches.size() > 1) {
      throw ambiguous(ref);
    }
    return matches.getFirst();
  }

  /** Neutron's client words for a miss: what Heat reports for networks, subnets and ports. */
  private static <T> T neutronByName(String kind, String ref, Supplier<List<T>> all, Function<T, String> name) {
    List<T> matches = all.get().stream().filter(t -> ref.equals(name.apply(t))).toList();
    if (matches.isEmpty()) {
      throw ServiceException.notFound("NotFound", "Unable to find " + kind + " with name or id '" + ref + "'");
    }
    if (matches.size() > 1) {
      throw ServiceException.conflict(
          "NeutronClientNoUniqueMatch",
          "Multiple " + kind + " matches found for name '" + ref + "', use an ID to be more specific.");
    }
    return matches.getFirst();
  }

  private static ServiceException ambiguous(String ref) {
    return ServiceException.conflict(
        "PhysicalResourceNameAmbiguity", "Multiple physical resources were found with name (" + ref + ").");
  }
}
