package dev.kiln.identity;

import dev.kiln.identity.store.IdentityStore;
import dev.kiln.identity.store.ImpliedRoleStore;
import dev.kiln.identity.store.ImpliedRoleStore.Rule;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a token carries from the roles a user holds: those roles and every role they imply,
 * following Keystone's inference rules ({@code /v3/roles/{prior}/implies/{implied}}) to any depth,
 * without the domain-specific ones, which Keystone never puts in a token.
 */
final class ImpliedRoles {
  private ImpliedRoles() {}

  /** The held roles and all they imply, domain-specific roles left out; in the order found. */
  static List<Role> expand(IdentityStore roles, ImpliedRoleStore rules, List<Role> held) {
    Map<String, List<String>> implies = byPrior(rules.all());
    Map<String, Role> found = new LinkedHashMap<>();
    Deque<Role> todo = new ArrayDeque<>(held);
    while (!todo.isEmpty()) {
      Role role = todo.removeFirst();
      if (found.putIfAbsent(role.id(), role) != null) {
        continue;
      }
      for (String next : implies.getOrDefault(role.id(), List.of())) {
        if (!found.containsKey(next)) {
          roles.findRole(next).ifPresent(todo::addLast);
        }
      }
    }
    return found.values().stream().filter(r -> !r.domainSpecific()).toList();
  }

  /** The ids of the roles implied by {@code prior}, directly or not. */
  static List<String> closure(List<Rule> rules, String prior) {
    Map<String, List<String>> implies = byPrior(rules);
    List<String> out = new ArrayList<>();
    Deque<String> todo = new ArrayDeque<>(implies.getOrDefault(prior, List.of()));
    while (!todo.isEmpty()) {
      String id = todo.removeFirst();
      if (!out.contains(id)) {
        out.add(id);
        todo.addAll(implies.getOrDefault(id, List.of()));
      }
    }
    return out;
  }

  static Map<String, List<String>> byPrior(List<Rule> rules) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Rule r : rules) {
      out.computeIfAbsent(r.priorRoleId(), k -> new ArrayList<>()).add(r.impliedRoleId());
    }
    return out;
  }
}
