package dev.kiln.identity;

import static dev.kiln.common.ServiceException.forbidden;
import static dev.kiln.common.ServiceException.notFound;
import static dev.kiln.common.ServiceException.unauthenticated;

import dev.kiln.identity.RoleAssignment.Target;
import dev.kiln.identity.RoleAssignment.TargetType;
import dev.kiln.identity.Scope.ProjectScope;
import dev.kiln.identity.store.IdentityStore;
import dev.kiln.identity.store.ImpliedRoleStore;
import dev.kiln.identity.store.TrustStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a trust-scoped token stands for, worked out when it is issued and again whenever identity
 * changed: the trustor (with impersonation) or the trustee as its user, the trust's project as its
 * scope, and the trust's roles (with those they imply) that the trustor still holds there, as
 * Keystone does. A trustor who lost every delegated role, or was disabled, makes the trust's
 * tokens worthless.
 */
final class TrustScopes {
  private TrustScopes() {}

  /** The trust, if it exists and still works at {@code now}; Keystone's 404 otherwise. */
  static Trust usable(TrustStore trusts, String trustId, Instant now) {
    return trusts
        .find(trustId)
        .filter(t -> !t.spentAt(now))
        .orElseThrow(() -> notFound("TrustNotFound", "Could not find trust: " + trustId + "."));
  }

  /**
   * The trust and each trust it was redelegated from, nearest first, every one of them still
   * working at {@code now}; Keystone's 404 for the first one that does not.
   */
  static List<Trust> pedigree(TrustStore trusts, String trustId, Instant now) {
    List<Trust> chain = new ArrayList<>();
    Trust trust = usable(trusts, trustId, now);
    chain.add(trust);
    while (trust.redelegatedTrustId() != null) {
      trust = usable(trusts, trust.redelegatedTrustId(), now);
      chain.add(trust);
    }
    return chain;
  }

  /**
   * Checks that {@code authenticated} may use the trust (it must be the trustee, and the trust
   * must have a project) before a token is issued for it.
   */
  static void checkTrustee(User authenticated, Trust trust) {
    if (!authenticated.id().equals(trust.trusteeUserId())) {
      throw forbidden(
          "ForbiddenAction",
          "You are not authorized to perform the requested action: user "
              + authenticated.id()
              + " is not the trustee of trust "
              + trust.id()
              + ".");
    }
    if (trust.projectId() == null) {
      throw forbidden(
          "ForbiddenAction",
          "Trust " + trust.id() + " has no project; Kiln issues trust-scoped tokens for a project only.");
    }
  }

  /** The token a trust gives, throwing a ServiceException when it gives none. */
  static TokenInfo describe(
      IdentityStore store,
      ImpliedRoleStore rules,
      TrustStore trusts,
      Trust trust,
      Instant now,
      List<String> methods,
      String auditId,
      Instant issuedAt,
      Instant expiresAt) {
    // A redelegated trust gives what the first trustor of its chain still holds, and only while
    // every trustee along the chain is enabled.
    List<Trust> chain = trust.redelegatedTrustId() == null ? List.of(trust) : pedigree(trusts, trust.id(), now);
    for (Trust above : chain.subList(1, chain.size())) {
      if (store.findUser(above.trusteeUserId()).filter(User::enabled).isEmpty()) {
        throw forbidden("Forbidden", "One of the trust agents is disabled or deleted.");
      }
    }
    String firstTrustorId = chain.getLast().trustorUserId();
    User trustor =
        store
            .findUser(trust.trustorUserId())
            .filter(User::enabled)
            .orElseThrow(() -> forbidden("Forbidden", "The trustor of trust " + trust.id() + " is disabled."));
    User trustee =
        store
            .findUser(trust.trusteeUserId())
            .filter(User::enabled)
            .orElseThrow(() -> forbidden("Forbidden", "The trustee of trust " + trust.id() + " is disabled."));
    User user = trust.impersonation() ? trustor : trustee;
    Domain userDomain =
        store
            .findDomain(user.domainId())
            .filter(Domain::enabled)
            .orElseThrow(() -> unauthenticated("The user's domain is disabled."));
    Project project =
        store
            .findProject(trust.projectId())
            .filter(Project::enabled)
            .orElseThrow(() -> unauthenticated("The project " + trust.projectId() + " is not usable."));
    Domain projectDomain =
        store
            .findDomain(project.domainId())
            .filter(Domain::enabled)
            .orElseThrow(() -> unauthenticated("The project's domain is disabled."));
    User firstTrustor =
        firstTrustorId.equals(trustor.id())
            ? trustor
            : store
                .findUser(firstTrustorId)
                .filter(User::enabled)
                .orElseThrow(() -> forbidden("Forbidden", "One of the trust agents is disabled or deleted."));
    List<Role> roles = delegatedRoles(store, rules, trust, firstTrustor, project);
    return new TokenInfo(
        user,
        userDomain,
        new ProjectScope(project.id()),
        project,
        projectDomain,
        roles,
        methods,
        auditId,
        issuedAt,
        expiresAt,
        null,
        trust,
        null);
  }

  /** The trust's roles and those they imply, kept only where the trustor holds them now. */
  private static List<Role> delegatedRoles(
      IdentityStore store, ImpliedRoleStore rules, Trust trust, User trustor, Project project) {
    List<Role> held =
        ImpliedRoles.expand(store, rules, store.effectiveRolesOn(trustor.id(), new Target(TargetType.PROJECT, project.id())));
    Set<String> heldNames = new java.util.HashSet<>(held.stream().map(Role::name).toList());
    Map<String, Role> delegated = new LinkedHashMap<>();
    ImpliedRoles.expand(store, rules, trust.roles()).forEach(r -> delegated.putIfAbsent(r.name(), r));
    List<Role> kept = new ArrayList<>();
    for (Role role : delegated.values()) {
      if (heldNames.contains(role.name())) {
        kept.add(role);
      }
    }
    if (kept.isEmpty()) {
      throw unauthenticated(
          "The trustor of trust "
              + trust.id()
              + " no longer holds any of its roles ("
              + trust.roles().stream().map(Role::name).collect(Collectors.joining(", "))
              + ") on project "
              + project.id()
              + ".");
    }
    return kept;
  }
}
