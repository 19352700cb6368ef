package dev.kiln.orchestration.resources.network;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.network.NetworkService;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.ResourceState;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What the Networking resource types share: the service, name lookups, and the mark by which a
 * create finds what an earlier attempt of the same resource made.
 *
 * <p>The mark is a Neutron tag, {@code heat-resource:<resource uuid>}, on everything these types
 * make that takes tags. Networks, subnets and ports get it in the transaction that creates them
 * (Networking's bulk create takes tags), so a create repeated after a crash always finds them.
 * Routers, floating IPs, security groups and subnet pools are tagged just after they are made; a
 * crash in between leaves one untagged, which the repeated create adopts when it looks like its own
 * (see {@link #madeSince}). The mark shows in {@code openstack ... show} among the tags.
 */
final class Neutron {
  static final String MARK_PREFIX = "heat-resource:";

  final NetworkService net;
  final Lookup lookup;

  Neutron(NetworkService net) {
    this.net = requireNonNull(net, "net is null");
    this.lookup = new Lookup(net);
  }

  static String mark(String resourceId) {
    return MARK_PREFIX + resourceId;
  }

  /** The user's tags (none for null) and the resource's mark. */
  static List<String> tagsWithMark(List<String> userTags, String resourceId) {
    List<String> all = new ArrayList<>();
    if (userTags != null) {
      userTags.stream().filter(t -> !t.equals(mark(resourceId))).forEach(all::add);
    }
    all.add(mark(resourceId));
    return all;
  }

  /** The resource of this collection ({@code networks}, {@code ports}, …) that carries the mark. */
  Optional<String> marked(String kind, String resourceId) {
    String mark = mark(resourceId);
    for (Map.Entry<String, List<String>> e : net.tags().ofKind(kind).entrySet()) {
      if (e.getValue().contains(mark)) {
        return Optional.of(e.getKey());
      }
    }
    return Optional.empty();
  }

  /** Whether a thing made at {@code created} may be this attempt's: made since the action began. */
  static boolean madeSince(Instant created, ResourceContext context) {
    Instant began = context.startedAt().truncatedTo(ChronoUnit.SECONDS);
    return created != null && !created.isBefore(began);
  }

  /**
   * What an interrupted attempt of this resource made but did not mark yet: one of {@code all}
   * that {@code same} recognises, made since the action began, and carrying no mark.
   */
  <T> String unmarked(
      ResourceContext context, List<T> all, Predicate<T> same, Function<T, String> id, Function<T, Instant> created) {
    for (T candidate : all) {
      if (same.test(candidate) && madeSince(created.apply(candidate), context)
          && net.tags().of(id.apply(candidate)).stream().noneMatch(t -> t.startsWith(MARK_PREFIX))) {
        return id.apply(candidate);
      }
    }
    return null;
  }

  /** The physical id, else the one an earlier attempt made and marked (null for none). */
  String existing(ResourceContext context, String kind) {
    if (context.physicalId() != null) {
      return context.physicalId();
    }
    return kind == null ? null : marked(kind, context.id()).orElse(null);
  }

  // Attributes are read without a step, so the owner a resource acts as is recorded with it.

  static void rememberOwner(ResourceContext context) {
    Actor owner = context.owner();
    ObjectNode o = context.data().putObject("owner");
    o.put("project", owner.projectId());
    o.put("user", owner.userId());
    o.put("admin", owner.admin());
  }

  static Actor owner(ResourceState resource) {
    JsonNode o = resource.data() == null ? null : resource.data().get("owner");
    if (o == null) {
      throw new IllegalStateException("resource " + resource.name() + " has no recorded owner");
    }
    return new Actor(o.path("project").asText(null), o.path("user").asText(null), o.path("admin").asBoolean());
  }
}
