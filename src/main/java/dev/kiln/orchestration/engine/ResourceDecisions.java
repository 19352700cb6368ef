package dev.kiln.orchestration.engine;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.kiln.common.ServiceException;
import dev.kiln.orchestration.StackAction;
import dev.kiln.orchestration.StackStatus;
import dev.kiln.orchestration.engine.UpdatePlan.Change;
import dev.kiln.orchestration.engine.UpdatePlan.Decision;
import dev.kiln.orchestration.resources.ResourceType;
import dev.kiln.orchestration.store.ResourceRow;
import dev.kiln.orchestration.template.ResourceDefinition;
import dev.kiln.orchestration.template.Resolver;
import dev.kiln.orchestration.template.schema.PropertySchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an update does with one resource of the new template, Heat's way ({@code resource.py}'s
 * {@code _needs_update} and {@code update_template_diff_properties}): added, unchanged, updated in
 * place, replaced (and whether the old one must go first), or restored from an earlier generation;
 * or refused (an immutable property, a restricted action). {@link UpdatePlanner} asks it for every
 * resource when it plans, and the update asks again for those whose dependencies changed.
 */
final class ResourceDecisions {
  private final StackRunner runner;
  private final LiveStack live;
  private final List<ResourceRow> leftovers;
  private final Map<String, Set<String>> restricted;

  ResourceDecisions(StackRunner runner, LiveStack live, List<ResourceRow> leftovers, Map<String, Set<String>> restricted) {
    this.runner = requireNonNull(runner, "runner is null");
    this.live = requireNonNull(live, "live is null");
    this.leftovers = List.copyOf(leftovers);
    this.restricted = Map.copyOf(restricted);
  }

  /** A resource's new properties, metadata and update policy, resolved now; null members did not resolve. */
  record Resolved(JsonNode properties, JsonNode metadata, JsonNode updatePolicy) {
    boolean complete() {
      return properties != null && metadata != null && updatePolicy != null;
    }
  }

  static Set<String> claims(ResourceType type, JsonNode properties) {
    if (properties == null || properties.isNull()) {
      return Set.of();
    }
    try {
      return new TreeSet<>(type.claims(properties));
    } catch (RuntimeException unresolvable) {
      return Set.of();
    }
  }

  private ResourceType typeOf(ResourceRow row) {
    return typeOf(runner.engine().types(), row);
  }

  static ResourceType typeOf(ResourceTypes types, ResourceRow row) {
    return types.forImplementation(row.data().path(ResourceTypes.IMPL_KEY).asText(row.type()));
  }

  /** The definition's properties (checked, defaults filled in), metadata and update policy now. */
  Resolved resolve(ResourceDefinition definition, Resolver resolver) {
    JsonNode properties = null;
    JsonNode metadata = null;
    JsonNode updatePolicy = null;
    try {
      ResourceType type = runner.engine().types().forImplementation(
          ResourceTypes.implementationName(definition.implementation()));
      JsonNode raw = definition.properties().resolve(resolver);
      properties =
          type.checksProperties()
              ? runner.engine().templates().checkProperties(
                  definition.name(), type.schema(), raw,
                  runner.engine().checkers().forOwner(Engine.owner(live.stack())))
              : raw;
      metadata = definition.metadata().resolve(resolver);
      updatePolicy = definition.updatePolicy().resolve(resolver);
    } catch (ServiceException | IllegalArgumentException | IllegalStateException unresolved) {
      // Not resolvable from what exists now (a dependency not made yet): decided when its turn comes.
    }
    return new Resolved(properties, metadata, updatePolicy);
  }

  /**
   * What to do with one resource of the new template, given what it resolves to now.
   *
   * @throws ServiceException INVALID for a change Heat refuses (an immutable property, a
   *     restricted action)
   */
  Decision decide(ResourceDefinition definition, Resolved resolved) {
    String name = definition.name();
    ResourceRow row = live.has(name) ? live.slot(name).row() : null;
    if (row == null
        || row.action() == StackAction.INIT
        || (row.action() == StackAction.CREATE && row.status() == StackStatus.IN_PROGRESS)) {
      return decision(name, Change.ADDED, resolved, false, null);
    }
    String externalBefore = row.data().path(ResourceSteps.EXTERNAL_ID_KEY).asText(null);
    if (!java.util.Objects.equals(externalBefore, definition.externalId())) {
      // Heat refuses to change external_id: the resource fails its update.
      return Decision.refused(
          name,
          ServiceException.invalid(
              "NotSupported",
              "Update to property external_id of " + name + " (" + definition.type() + ") is not supported."));
    }
    if (externalBefore != null) {
      return decision(name, Change.UNCHANGED, resolved, false, null); // Heat leaves an adopted resource be
    }
    ResourceType newType = runner.engine().types().forImplementation(
        ResourceTypes.implementationName(definition.implementation()));
    String oldImplementation = row.data().path(ResourceTypes.IMPL_KEY).asText(row.type());
    boolean sameImplementation = oldImplementation.equals(ResourceTypes.implementationName(definition.implementation()));
    // Heat's StackResource: its child decides per resource, so it is always updated, even after a
    // failure; only a failed check (or no child at all) replaces it.
    boolean nested = sameImplementation && newType.nestedStack() && row.physicalId() != null
        && row.action() != StackAction.CHECK && row.action() != StackAction.DELETE;
    boolean replace =
        !sameImplementation
            || (row.status() == StackStatus.FAILED && !nested)
            || row.action() == StackAction.DELETE;
    boolean changed = true;
    if (!replace && resolved.complete()) {
      JsonNode before = row.properties() == null ? NullNode.instance : row.properties();
      Set<String> changedKeys = PlanValues.changedKeys(before, resolved.properties());
      boolean definitionChanged =
          !changedKeys.isEmpty()
              || !PlanValues.same(PlanValues.nullToEmpty(row.metadata()), PlanValues.nullToEmpty(resolved.metadata()))
              || !PlanValues.same(PlanValues.nullToEmpty(row.data().get(UpdatePlanner.UPDATE_POLICY_KEY)), PlanValues.nullToEmpty(resolved.updatePolicy()))
              || !row.deletionPolicy().equals(definition.deletionPolicy().name());
      changed = definitionChanged || row.status() == StackStatus.IN_PROGRESS || nested;
      if (!changedKeys.isEmpty()) {
        Map<String, PropertySchema> schema = newType.schema().properties();
        List<String> immutable = new ArrayList<>();
        for (String key : changedKeys) {
          PropertySchema p = schema.get(key);
          if (p != null && p.immutable()) {
            immutable.add(key);
          }
        }
        if (!immutable.isEmpty() && newType.checksProperties()) {
          throw ServiceException.invalid(
              "NotSupported",
              "Update to properties " + String.join(", ", immutable.stream().sorted().toList()) + " of " + name
                  + " (" + definition.type() + ") is not supported.");
        }
        replace =
            newType.needsReplacement(before, resolved.properties())
                || !updatesInPlace(newType)
                || changedKeys.stream().anyMatch(k -> schema.get(k) == null
                    ? newType.checksProperties() || !newType.nestedStack() // a provider template's are all updatable
                    : !schema.get(k).updateAllowed());
      }
    }
    if (!replace && resolved.complete() && newType.replacesAlways(resolved.properties())) {
      replace = true; // Heat's REPLACE_ALWAYS: replaced on every update, changed or not
      changed = true;
    }
    Set<String> restrictions = restricted.getOrDefault(name, Set.of());
    ResourceRow earlier = changed || replace ? restorable(row, definition, resolved) : null;
    if (earlier != null) {
      // An earlier generation already is what the template asks for (Heat's convergence prefers
      // it too, as a rollback undoing a replacement): it becomes the resource again.
      return decision(name, Change.REPLACED, resolved, false, earlier);
    }
    if (replace) {
      if (restrictions.contains("replace")) {
        throw ServiceException.invalid("ResourceActionRestricted", "replace is restricted for resource.");
      }
      return decision(name, Change.REPLACED, resolved, deleteFirst(row, newType, resolved), null);
    }
    if (!changed) {
      return decision(name, Change.UNCHANGED, resolved, false, null);
    }
    if (restrictions.contains("update")) {
      throw ServiceException.invalid("ResourceActionRestricted", "update is restricted for resource.");
    }
    return decision(name, Change.UPDATED, resolved, false, null);
  }

  private static Decision decision(String name, Change change, Resolved r, boolean deleteFirst, ResourceRow restore) {
    return new Decision(name, change, false, r.properties(), r.metadata(), r.updatePolicy(), deleteFirst, restore, null);
  }

  /**
   * Whether the old and new resource cannot exist at once: the new one would claim what the old
   * one holds (a server replaced with the same port), so the old one goes first.
   */
  private boolean deleteFirst(ResourceRow row, ResourceType newType, Resolved resolved) {
    if (resolved.properties() == null || row.properties() == null) {
      return false;
    }
    Set<String> held = claims(typeOf(row), row.properties());
    for (String key : claims(newType, resolved.properties())) {
      if (held.contains(key)) {
        return true;
      }
    }
    return false;
  }

  /** A leftover generation of this resource that already is what the template asks for. */
  private ResourceRow restorable(ResourceRow current, ResourceDefinition definition, Resolved resolved) {
    if (!resolved.complete()) {
      return null;
    }
    String implementation = ResourceTypes.implementationName(definition.implementation());
    for (ResourceRow row : leftovers) {
      if (row.name().equals(current.name())
          && row.status() != StackStatus.FAILED
          && row.action() != StackAction.INIT
          && row.action() != StackAction.DELETE
          && !(row.action() == StackAction.CREATE && row.status() == StackStatus.IN_PROGRESS)
          && row.data().path(ResourceTypes.IMPL_KEY).asText(row.type()).equals(implementation)
          && PlanValues.changedKeys(row.properties() == null ? NullNode.instance : row.properties(), resolved.properties()).isEmpty()
          && PlanValues.same(PlanValues.nullToEmpty(row.metadata()), PlanValues.nullToEmpty(resolved.metadata()))) {
        return row;
      }
    }
    return null;
  }

  private static final Map<Class<?>, Boolean> UPDATES_IN_PLACE = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Whether the type implements {@link ResourceType#update}; one that does not is replaced on any
   * change of its properties (Heat's base {@code handle_update} refuses too). Asked of the class,
   * once, rather than adding a second method that implementations could forget to keep in step.
   */
  static boolean updatesInPlace(ResourceType type) {
    return UPDATES_IN_PLACE.computeIfAbsent(type.getClass(), c -> {
      try {
        return c.getMethod("update", dev.kiln.orchestration.resources.ResourceContext.class, JsonNode.class)
                .getDeclaringClass() != ResourceType.class;
      } catch (NoSuchMethodException e) {
        return false;
      }
    });
  }
}
