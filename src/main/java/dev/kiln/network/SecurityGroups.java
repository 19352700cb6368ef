package dev.kiln.network;

import static dev.kiln.network.SecurityGroupFields.*;
import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.common.ServiceException.Kind;
import dev.kiln.network.IpAddresses.Ip;
import dev.kiln.network.SecurityGroupRule.Direction;
import dev.kiln.network.SecurityGroupRule.Ethertype;
import dev.kiln.network.store.ListStore;
import dev.kiln.network.store.NetworkStore;
import dev.kiln.network.store.SecurityGroupStore;
import dev.kiln.store.CommittedCache;
import dev.kiln.store.Database;
import dev.kiln.store.StoreException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Neutron security groups and their rules: each project's {@code default} group, made on first use
 * and never twice; who may see and change which group; and the rule checks and normalizations
 * Neutron makes, with its error types and messages.
 *
 * <p>Why over 400 lines: groups and their rules are changed under the same locks and the same
 * default-group bootstrap; the field checks live in {@link SecurityGroupFields}. Rules are the
 * next to move into a class of their own.
 */
public final class SecurityGroups implements SecurityGroupDirectory {
  static final int NAME_MAX = 255;
  static final int DESCRIPTION_MAX = 255;
  static final String DEFAULT_DESCRIPTION = "Default security group";

  private static final int ATTEMPTS = 5;

  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  private final Predicate<String> inUse;
  /** Projects' default group ids while no commit changed the groups (on the embedded file). */
  private final CommittedCache<String, String> defaults;
  private static final int CACHED_DEFAULTS = 4096;

  /**
   * @param inUse whether any port uses the group with this id; a group in use cannot be deleted,
   *     nor its statefulness changed
   */
  public SecurityGroups(Database db, Clock clock, IdGenerator ids, Predicate<String> inUse) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.inUse = requireNonNull(inUse, "inUse is null");
    this.defaults =
        db.cacheOf(Set.of("network_security_group_default", "network_security_group"), CACHED_DEFAULTS);
  }

  /**
   * The service as Kiln runs it: a group is in use while a port names it (the ports' table, {@code
   * network_port_security_group}).
   */
  public static SecurityGroups create(Database db, Clock clock, IdGenerator ids) {
    return new SecurityGroups(
        db, clock, ids, groupId -> new NetworkStore(db.sql()).isSecurityGroupInUse(groupId));
  }

  /** What a group create or update asks for; null means "the default" or "unchanged". */
  public record GroupSpec(String projectId, String name, String description, Boolean stateful) {}

  /**
   * What a rule create asks for, as the request gave it; null means "the default".
   *
   * @param protocol a name, {@code any}, or a number 0-255 as text
   */
  public record RuleSpec(
      String projectId,
      String securityGroupId,
      String direction,
      String ethertype,
      String protocol,
      Integer portRangeMin,
      Integer portRangeMax,
      String remoteIpPrefix,
      String remoteGroupId,
      String remoteAddressGroupId,
      String description) {}

  // For ports (SecurityGroupDirectory)

  /**
   * The id of the project's {@code default} group, which is created (with Neutron's four default
   * rules) when the project has none. Callers racing to create it all get the same group.
   */
  @Override
  public String defaultGroupId(String projectId) {
    requireNonNull(projectId, "projectId is null");
    for (int attempt = 1; ; attempt++) {
      Optional<String> existing = defaults.get(projectId, project -> store().findDefaultGroupId(project));
      if (existing.isPresent()) {
        return existing.get();
      }
      try {
        return createDefault(projectId);
      } catch (StoreException e) {
        // Another request made the project's default group first (DUPLICATE), or H2 gave up
        // waiting for its uncommitted one (CONFLICT): read the winner's.
        if (e.kind() == StoreException.Kind.OTHER || attempt >= ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /**
   * Checks that every group exists and that a port of {@code projectId} may use it: a group of
   * that project, or any group when the caller is an admin.
   */
  @Override
  public void checkUsable(String projectId, boolean admin, List<String> groupIds) {
    Set<String> wanted = new LinkedHashSet<>(groupIds);
    Map<String, SecurityGroup> found =
        store().findGroups(wanted).stream()
            .collect(Collectors.toMap(SecurityGroup::id, g -> g));
    List<String> missing = new ArrayList<>();
    for (String id : wanted) {
      SecurityGroup group = found.get(id);
      if (group == null || (!admin && !group.projectId().equals(projectId))) {
        missing.add(id);
      }
    }
    if (!missing.isEmpty()) {
      throw groupNotFound(String.join(", ", missing));
    }
  }

  // Groups

  /**
   * The groups the actor may see: its project's, or every project's for an admin. As in Neutron,
   * listing first makes sure {@code forProject} (the project the list asks about, else the actor's)
   * has its default group.
   */
  public List<SecurityGroup> list(Actor actor, String forProject) {
    ensureDefaultFor(actor, forProject);
    SecurityGroupStore store = store();
    String scope = actor.admin() ? null : actor.projectId();
    if (scope == null && !actor.admin()) {
      return List.of();
    }
    Map<String, List<SecurityGroupRule>> rules = new HashMap<>();
    for (SecurityGroupRule rule : store.rulesOfGroupsIn(scope)) {
      rules.computeIfAbsent(rule.securityGroupId(), k -> new ArrayList<>()).add(rule);
    }
    return store.listGroups(scope).stream()
        .map(g -> g.withRules(rules.getOrDefault(g.id(), List.of())))
        .toList();
  }

  /**
   * One page of the security groups the actor may see, filtered, sorted and paged by the database (see
   * {@link Listing}); refused with MarkerNotFound for a marker the actor cannot see.
   */
  public List<SecurityGroup> page(Actor actor, String forProject, Listing listing) {
    ensureDefaultFor(actor, forProject);
    if (!actor.admin() && actor.projectId() == null) {
      return Listing.nothingVisible(listing);
    }
    SecurityGroupStore store = store();
    List<String> ids =
        new ListStore(db.sql()).securityGroups(actor.admin() ? null : actor.projectId(), listing)
            .orElseThrow(listing::markerNotFound);
    if (ids.isEmpty()) {
      return List.of();
    }
    Map<String, List<SecurityGroupRule>> rules = new HashMap<>();
    for (SecurityGroupRule rule : store.rulesOfGroups(ids)) {
      rules.computeIfAbsent(rule.securityGroupId(), k -> new ArrayList<>()).add(rule);
    }
    return Listing.inOrder(ids, store.findGroups(ids), SecurityGroup::id).stream()
        .map(g -> g.withRules(rules.getOrDefault(g.id(), List.of())))
        .toList();
  }

  /** Whether {@link #page} can filter and sort on these attributes. */
  public static boolean listableBy(java.util.Collection<String> attributes) {
    return ListStore.securityGroupsCover(attributes);
  }

  /** A group the actor may see, with its rules; others are not found, as in Neutron. */
  public SecurityGroup get(Actor actor, String id) {
    SecurityGroupStore store = store();
    SecurityGroup group = store.findGroup(id).filter(g -> actor.owns(g.projectId()))
        .orElseThrow(() -> groupNotFound(id));
    return group.withRules(store.rulesOfGroup(id));
  }

  /**
   * Creates a group with Neutron's two default egress rules (any protocol, IPv4 and IPv6). The
   * project's default group is made first if it has none.
   */
  public SecurityGroup create(Actor actor, GroupSpec spec) {
    String project = Ownership.ownerProject(actor, spec.projectId());
    String name = spec.name() == null ? "" : checkName(spec.name());
    String description = spec.description() == null ? "" : checkDescription(spec.description());
    defaultGroupId(project);
    Instant now = now();
    String id = ids.uuid();
    SecurityGroup group =
        new SecurityGroup(
            id, project, name, description, spec.stateful() == null || spec.stateful(), 1, now, now,
            List.of());
    db.inTransaction(
        sql -> {
          SecurityGroupStore store = new SecurityGroupStore(sql);
          NetworkQuotas.reserve(sql, project, "security_group", 1);
          store.insertGroup(group);
          for (Ethertype ethertype : Ethertype.values()) {
            insertRule(store, baseRule(group, project, Direction.EGRESS, ethertype, null, false, now));
          }
          return null;
        });
    return load(id);
  }

  /** Renames, redescribes or changes the statefulness of a group the actor owns. */
  public SecurityGroup update(Actor actor, String id, GroupSpec changes) {
    String name = changes.name() == null ? null : checkName(changes.name());
    String description =
        changes.description() == null ? null : checkDescription(changes.description());
    SecurityGroup old = get(actor, id);
    if (changes.stateful() != null && changes.stateful() != old.stateful() && inUse.test(id)) {
      throw groupInUse(id);
    }
    if (old.isDefault() && name != null) {
      throw ServiceException.conflict(
          "SecurityGroupCannotUpdateDefault", "Updating default security group not allowed.");
    }
    int changed =
        store()
            .updateGroup(
                id,
                name == null ? old.name() : name,
                description == null ? old.description() : description,
                changes.stateful() == null ? old.stateful() : changes.stateful(),
                now());
    if (changed == 0) {
      throw groupNotFound(id);
    }
    return get(actor, id);
  }

  /**
   * Deletes a group with its rules. Refused while a port uses it, and for a project's own default
   * group unless the actor is an admin (Neutron's rule).
   */
  public void delete(Actor actor, String id) {
    SecurityGroup group = get(actor, id);
    if (inUse.test(id)) {
      throw groupInUse(id);
    }
    if (group.isDefault() && !actor.admin()) {
      throw ServiceException.conflict(
          "SecurityGroupCannotRemoveDefault",
          "Insufficient rights for removing default security group.");
    }
    try {
      if (store().deleteGroup(id) == 0) {
        throw groupNotFound(id);
      }
      new dev.kiln.network.store.TagStore(db.sql()).removeAll(id);
    } catch (StoreException e) {
      // A port took the group between the check above and the delete.
      if (e.kind() == StoreException.Kind.REFERENCED) {
        throw groupInUse(id);
      }
      throw e;
    }
  }

  // Rules

  /** The rules the actor may see: those of its groups, and those it owns; all for an admin. */
  public List<SecurityGroupRule> rules(Actor actor, String forProject) {
    ensureDefaultFor(actor, forProject);
    if (!actor.admin() && actor.projectId() == null) {
      return List.of();
    }
    return store().rulesVisibleTo(actor.admin() ? null : actor.projectId());
  }

  public SecurityGroupRule rule(Actor actor, String id) {
    SecurityGroupStore store = store();
    SecurityGroupRule rule = store.findRule(id).orElseThrow(() -> ruleNotFound(id));
    if (actor.owns(rule.projectId())) {
      return rule;
    }
    boolean groupVisible =
        store.findGroup(rule.securityGroupId()).map(g -> actor.owns(g.projectId())).orElse(false);
    if (!groupVisible) {
      throw ruleNotFound(id);
    }
    return rule;
  }

  /**
   * Adds a rule to a group after Neutron's checks and normalizations: protocol names and numbers,
   * ICMP type and code in the port fields, the full port range meaning "any port", the remote
   * prefix's mask made explicit and its family matching the ethertype, one remote at most.
   */
  public SecurityGroupRule createRule(Actor actor, RuleSpec spec) {
    if (spec.securityGroupId() == null) {
      throw requiredAttribute("security_group_id");
    }
    if (spec.direction() == null) {
      throw requiredAttribute("direction");
    }
    Direction direction = direction(spec.direction());
    Ethertype ethertype = spec.ethertype() == null ? Ethertype.IPV4 : ethertype(spec.ethertype());
    String protocol = protocol(spec.protocol());
    Integer min = port(spec.portRangeMin());
    Integer max = port(spec.portRangeMax());
    String prefix = spec.remoteIpPrefix() == null ? null : cidr(spec.remoteIpPrefix());
    String description = spec.description() == null ? "" : checkDescription(spec.description());
    String project = Ownership.ownerProject(actor, spec.projectId());

    // Neutron's canonical forms: ICMP on IPv6 is ipv6-icmp, and every port is no port range.
    if (ethertype == Ethertype.IPV6) {
      if ("icmp".equals(protocol) || "icmpv6".equals(protocol)) {
        protocol = "ipv6-icmp";
      } else if ("1".equals(protocol)) {
        protocol = "58";
      }
    }
    if (min != null && max != null && min == 1 && max == 65535) {
      min = null;
      max = null;
    }
    checkPortRange(protocol, min, max);
    if (prefix != null && IpNetwork.parse(prefix).version() != ethertype.version()) {
      throw ServiceException.invalid(
          "SecurityGroupRuleParameterConflict",
          "Conflicting value ethertype " + ethertype.value() + " for CIDR " + spec.remoteIpPrefix());
    }
    if (ethertype == Ethertype.IPV4 && protocol != null && IPV6_ONLY_PROTOCOLS.contains(protocol)) {
      throw ServiceException.invalid(
          "SecurityGroupEthertypeConflictWithProtocol",
          "Invalid ethertype " + ethertype.value() + " for protocol " + protocol + ".");
    }
    int remotes =
        (prefix != null ? 1 : 0)
            + (spec.remoteGroupId() != null ? 1 : 0)
            + (spec.remoteAddressGroupId() != null ? 1 : 0);
    if (remotes > 1) {
      throw ServiceException.invalid(
          "SecurityGroupMultipleRemoteEntites",
          "Only one of remote_ip_prefix or remote_group_id or remote_address_group_id may be"
              + " provided.");
    }
    SecurityGroupStore store = store();
    if (spec.remoteGroupId() != null) {
      // The remote group must be one the rule's project could use.
      store.findGroup(spec.remoteGroupId())
          .filter(g -> actor.admin() || g.projectId().equals(project))
          .orElseThrow(() -> groupNotFound(spec.remoteGroupId()));
    }
    if (spec.remoteAddressGroupId() != null) {
      throw ServiceException.notFound(
          "AddressGroupNotFound",
          "Address group " + spec.remoteAddressGroupId() + " could not be found.");
    }
    SecurityGroup group =
        store.findGroup(spec.securityGroupId())
            .filter(g -> actor.owns(g.projectId()))
            .orElseThrow(() -> groupNotFound(spec.securityGroupId()));

    Instant now = now();
    SecurityGroupRule rule =
        new SecurityGroupRule(
            ids.uuid(), group.id(), project, direction, ethertype, protocol, min, max, prefix,
            spec.remoteGroupId(), null, description, false, 1, now, now);
    String key = ruleKey(rule);
    for (int attempt = 1; ; attempt++) {
      try {
        db.inTransaction(
            sql -> {
              SecurityGroupStore tx = new SecurityGroupStore(sql);
              // Locks the group: rule changes of one group run one at a time.
              if (tx.touchGroup(group.id(), now) == 0) {
                throw groupNotFound(group.id());
              }
              tx.findRuleByKey(group.id(), key).ifPresent(existing -> {
                throw ruleExists(existing.id());
              });
              NetworkQuotas.reserve(sql, project, "security_group_rule", 1);
              tx.insertRule(rule, key);
              return null;
            });
        break;
      } catch (StoreException e) {
        switch (e.kind()) {
          case DUPLICATE -> {
            // The same rule was added at the same moment by another request, which won.
            Optional<SecurityGroupRule> existing = store().findRuleByKey(group.id(), key);
            if (existing.isPresent()) {
              throw ruleExists(existing.get().id());
            }
          }
          case REFERENCED ->
              // The group or the remote group was deleted meanwhile.
              throw groupNotFound(
                  store().findGroup(group.id()).isEmpty() ? group.id() : spec.remoteGroupId());
          case CONFLICT -> {
            // A lock wait gave up; try again.
          }
          case OTHER -> throw e;
        }
        if (attempt >= ATTEMPTS) {
          throw e;
        }
      }
    }
    return store().findRule(rule.id()).orElseThrow(() -> ruleNotFound(rule.id()));
  }

  public void deleteRule(Actor actor, String id) {
    SecurityGroupRule rule = rule(actor, id);
    Instant now = now();
    int deleted =
        db.inTransaction(
            sql -> {
              SecurityGroupStore tx = new SecurityGroupStore(sql);
              tx.touchGroup(rule.securityGroupId(), now);
              return tx.deleteRule(id);
            });
    if (deleted == 0) {
      throw ruleNotFound(id);
    }
  }

  // Default groups

  /**
   * Makes sure the project a list is about has its default group, as Neutron does on every list;
   * never for a project the actor does not belong to, unless it is an admin.
   */
  private void ensureDefaultFor(Actor actor, String forProject) {
    String project = forProject != null ? forProject : actor.projectId();
    if (project != null && actor.owns(project)) {
      defaultGroupId(project);
    }
  }

  private String createDefault(String projectId) {
    Instant now = now();
    String id = ids.uuid();
    SecurityGroup group =
        new SecurityGroup(
            id, projectId, SecurityGroup.DEFAULT_NAME, DEFAULT_DESCRIPTION, true, 1, now, now,
            List.of());
    return db.inTransaction(
        sql -> {
          SecurityGroupStore store = new SecurityGroupStore(sql);
          store.insertGroup(group);
          // The project's key: the second of two concurrent first uses fails here and rolls back.
          store.insertDefault(projectId, id);
          for (Direction direction : List.of(Direction.EGRESS, Direction.INGRESS)) {
            for (Ethertype ethertype : Ethertype.values()) {
              insertRule(
                  store,
                  baseRule(
                      group, projectId, direction, ethertype,
                      direction == Direction.INGRESS ? id : null, true, now));
            }
          }
          return id;
        });
  }

  private SecurityGroupRule baseRule(
      SecurityGroup group,
      String projectId,
      Direction direction,
      Ethertype ethertype,
      String remoteGroupId,
      boolean inDefault,
      Instant now) {
    return new SecurityGroupRule(
        ids.uuid(), group.id(), projectId, direction, ethertype, null, null, null, null,
        remoteGroupId, null, "", inDefault, 1, now, now);
  }

  private static void insertRule(SecurityGroupStore store, SecurityGroupRule rule) {
    store.insertRule(rule, ruleKey(rule));
  }

  // Checks and normal forms

  /**
   * A rule's defining columns in one normalized text, as Neutron compares rules for duplicates:
   * the protocol by number, the "any address" prefixes as no prefix, '+' for what is absent.
   */
  static String ruleKey(SecurityGroupRule r) {
    String prefix = r.remoteIpPrefix();
    if ("0.0.0.0/0".equals(prefix) || "::/0".equals(prefix)) {
      prefix = null;
    }
    return String.join(
        "_",
        r.direction().value(),
        r.ethertype().value(),
        orPlus(r.portRangeMax()),
        orPlus(r.portRangeMin()),
        orPlus(protocolNumber(r.protocol())),
        orPlus(r.remoteGroupId()),
        orPlus(r.remoteAddressGroupId()),
        orPlus(prefix));
  }

  private static String orPlus(Object value) {
    return value == null ? "+" : value.toString();
  }

  private SecurityGroup load(String id) {
    SecurityGroupStore store = store();
    return store.findGroup(id).orElseThrow(() -> groupNotFound(id)).withRules(store.rulesOfGroup(id));
  }

  private SecurityGroupStore store() {
    return new SecurityGroupStore(db.sql());
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }
}
