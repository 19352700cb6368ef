package dev.kiln.identity;

import java.util.List;
import java.util.Map;

/**
 * Keystone's default role inference: admin implies member, member implies reader. A token lists
 * the roles a user holds and those they imply, so policies can ask for the weakest role.
 */
final class ImpliedRoles {
  private static final Map<String, String> IMPLIES = Map.of("admin", "member", "member", "reader");

  private ImpliedRoles() {}

  /** The names implied, directly or not, by the given role names, excluding those given. */
  static List<String> impliedBy(List<String> names) {
    java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
    for (String name : names) {
      String next = IMPLIES.get(name);
      while (next != null) {
        out.add(next);
        next = IMPLIES.get(next);
      }
    }
    out.removeAll(names);
    return List.copyOf(out);
  }
}
