package dev.kiln.compute.proxy;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.common.ServiceException.Kind;
import dev.kiln.compute.proxy.NovaSecurityGroupRule.Peer;
import dev.kiln.network.NetworkService;
import dev.kiln.network.SecurityGroup;
import dev.kiln.network.SecurityGroupRule;
import dev.kiln.network.SecurityGroups;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Nova's security group proxy over Networking ({@code os-security-groups}, {@code
 * os-security-group-rules}): the groups of the caller's project with their ingress rules, and
 * Nova's own checks on a rule before Networking sees it (Nova's rules are ingress only, with a
 * protocol of tcp, udp or icmp and both ports, or a remote group). Networking's refusals come back
 * as Nova turns Neutron's into its own: a group in use or the default group cannot be deleted
 * (400, where Networking says 409), and a rule Networking refuses as a conflict is a 403.
 */
public final class SecurityGroupProxy {
  private final NetworkService network;

  public SecurityGroupProxy(NetworkService network) {
    this.network = requireNonNull(network, "network is null");
  }

  /** A rule create as Nova's API takes it; the ports are the request's text, checked here. */
  public record RuleRequest(
      String parentGroupId, String groupId, String protocol, String fromPort, String toPort, String cidr) {}

  /** The project's groups, or with {@code allProjects} every project's for an admin. */
  public List<NovaSecurityGroup> list(Actor actor, boolean allProjects) {
    List<SecurityGroup> groups =
        network.securityGroups().list(actor, actor.projectId()).stream()
            .filter(g -> (allProjects && actor.admin()) || g.projectId().equals(actor.projectId()))
            .toList();
    return shown(actor, groups);
  }

  /** Groups as Nova shows them, rules naming a group the actor cannot see left out (as Nova). */
  public List<NovaSecurityGroup> shown(Actor actor, List<SecurityGroup> groups) {
    Map<String, Optional<Peer>> peers = new HashMap<>();
    groups.forEach(g -> peers.put(g.id(), Optional.of(new Peer(g.name(), g.projectId()))));
    return groups.stream().map(g -> nova(actor, g, peers)).toList();
  }

  public NovaSecurityGroup get(Actor actor, String id) {
    return shown(actor, List.of(find(actor, id))).getFirst();
  }

  public NovaSecurityGroup create(Actor actor, String name, String description) {
    SecurityGroup made =
        refusalsAsNova(
            Kind.FORBIDDEN,
            () -> network.securityGroups().create(actor, new SecurityGroups.GroupSpec(null, name, description, null)));
    return shown(actor, List.of(made)).getFirst();
  }

  /** Renames and redescribes a group; renaming the default group is refused (400). */
  public NovaSecurityGroup update(Actor actor, String id, String name, String description) {
    SecurityGroup group = find(actor, id);
    SecurityGroup updated =
        refusalsAsNova(
            Kind.INVALID,
            () -> network.securityGroups().update(actor, group.id(), new SecurityGroups.GroupSpec(null, name, description, null)));
    return shown(actor, List.of(updated)).getFirst();
  }

  /** Deletes a group; one a port uses, or the project's default group, is a 400 (Nova's Invalid). */
  public void delete(Actor actor, String id) {
    SecurityGroup group = find(actor, id);
    refusalsAsNova(Kind.INVALID, () -> {
      network.securityGroups().delete(actor, group.id());
      return null;
    });
  }

  /**
   * Adds an ingress rule after Nova's checks: a rule on a remote group takes any protocol (and, for
   * tcp, udp and icmp without ports, all of them); a rule on an address range needs a protocol and
   * both ports. A rule the group already has is a 400, as Nova finds it before asking Networking.
   */
  public NovaSecurityGroupRule createRule(Actor actor, RuleRequest request) {
    SecurityGroup parent = find(actor, request.parentGroupId());
    Peer peer = null;
    if (request.groupId() != null) {
      SecurityGroup source = find(actor, request.groupId());
      peer = new Peer(source.name(), source.projectId());
    }
    NewRule rule = NovaRuleInput.ingress(request);
    for (SecurityGroupRule existing : parent.rules()) {
      if (existing.direction() == SecurityGroupRule.Direction.INGRESS && rule.sameAs(existing)) {
        throw ServiceException.invalid(
            "SecurityGroupRuleExists", "This rule already exists in group " + parent.id());
      }
    }
    SecurityGroups.RuleSpec spec =
        new SecurityGroups.RuleSpec(
            null, parent.id(), "ingress", rule.ethertype(), rule.protocol(),
            rule.fromPort() == null || rule.fromPort() == -1 ? null : rule.fromPort(),
            rule.toPort() == null || rule.toPort() == -1 ? null : rule.toPort(),
            rule.cidr(), rule.groupId(), null, null);
    SecurityGroupRule made = refusalsAsNova(Kind.FORBIDDEN, () -> network.securityGroups().createRule(actor, spec));
    return nova(made, peer);
  }

  /** Deletes an ingress rule by id; an unknown rule, or one of a group the actor cannot see, is a 404. */
  public void deleteRule(Actor actor, String id) {
    validateId(id);
    SecurityGroupRule rule;
    try {
      rule = network.securityGroups().rule(actor, id);
    } catch (ServiceException e) {
      if (e.kind() == Kind.NOT_FOUND) {
        throw ServiceException.notFound("SecurityGroupNotFound", "Security group rule " + id + " could not be found.");
      }
      throw e;
    }
    find(actor, rule.securityGroupId());
    refusalsAsNova(Kind.INVALID, () -> {
      network.securityGroups().deleteRule(actor, id);
      return null;
    });
  }

  /** Nova checks a group id's form before asking Neutron: not a UUID is a 400. */
  private static void validateId(String id) {
    if (id == null || !NovaRuleInput.isUuidLike(id)) {
      throw ServiceException.invalid("Invalid", "Security group id should be uuid");
    }
  }

  private SecurityGroup find(Actor actor, String id) {
    validateId(id);
    try {
      return network.securityGroups().get(actor, id);
    } catch (ServiceException e) {
      if (e.kind() != Kind.NOT_FOUND) {
        throw e;
      }
      throw ServiceException.notFound("SecurityGroupNotFound", "Security group " + id + " not found.");
    }
  }

  /**
   * Runs a Networking change, turning its conflicts into {@code conflictAs} (Nova maps Neutron's
   * 409 to Invalid or to SecurityGroupLimitExceeded, depending on the call), its bad requests
   * into 400s and its not-founds into 404s.
   */
  private static <T> T refusalsAsNova(Kind conflictAs, Supplier<T> change) {
    try {
      return change.get();
    } catch (ServiceException e) {
      if (e.kind() == Kind.CONFLICT || e.kind() == Kind.OVER_LIMIT) {
        throw new ServiceException(conflictAs, e.type(), e.getMessage());
      }
      throw e;
    }
  }

  private NovaSecurityGroup nova(Actor actor, SecurityGroup g, Map<String, Optional<Peer>> peers) {
    List<NovaSecurityGroupRule> rules = new ArrayList<>();
    for (SecurityGroupRule r : g.rules()) {
      if (r.direction() != SecurityGroupRule.Direction.INGRESS) {
        continue;
      }
      Peer peer = null;
      if (r.remoteGroupId() != null) {
        Optional<Peer> found = peers.computeIfAbsent(r.remoteGroupId(), id -> peer(actor, id));
        if (found.isEmpty()) {
          continue; // Nova leaves out a rule whose remote group it cannot find
        }
        peer = found.get();
      }
      rules.add(nova(r, peer));
    }
    return new NovaSecurityGroup(g.id(), g.name(), g.description() == null ? "" : g.description(), g.projectId(), rules);
  }

  private Optional<Peer> peer(Actor actor, String groupId) {
    try {
      SecurityGroup g = network.securityGroups().get(actor, groupId);
      return Optional.of(new Peer(g.name(), g.projectId()));
    } catch (ServiceException e) {
      if (e.kind() != Kind.NOT_FOUND) {
        throw e;
      }
      return Optional.empty();
    }
  }

  private static NovaSecurityGroupRule nova(SecurityGroupRule r, Peer peer) {
    NewRule shown = NovaRuleInput.shown(r);
    return new NovaSecurityGroupRule(
        r.id(), r.securityGroupId(), r.protocol(), shown.fromPort(), shown.toPort(), peer,
        r.remoteGroupId() != null ? null : shown.cidr());
  }

  /**
   * A rule in the terms Nova compares rules in: the remote group or the address range (0.0.0.0/0
   * for none), the protocol as given, and the ports as integers, -1 meaning "none" for ICMP.
   */
  record NewRule(String groupId, String cidr, String protocol, Integer fromPort, Integer toPort) {
    /** Nova's duplicate check: the same remote, range, ports and protocol (compared as text). */
    boolean sameAs(SecurityGroupRule existing) {
      NewRule other = NovaRuleInput.shown(existing);
      return java.util.Objects.equals(groupId, other.groupId)
          && java.util.Objects.equals(cidr, other.cidr)
          && java.util.Objects.equals(fromPort, other.fromPort)
          && java.util.Objects.equals(toPort, other.toPort)
          && java.util.Objects.equals(protocol, other.protocol);
    }

    /** Nova sends IPv4 for a rule on a group, else the range's version. */
    String ethertype() {
      return cidr != null && cidr.contains(":") ? "IPv6" : "IPv4";
    }
  }
}
