package dev.kiln.orchestration.resources.identity;

import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.orchestration.resources.ResourceContext;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * What the OS::Keystone::* types share: Identity's policy (its Java directory trusts its callers,
 * so the types ask the question Keystone's API would ask of the owner's token: admin, or a 403 with
 * Keystone's words naming the rule) and the ids they give what they make.
 */
final class KeystoneAccess {
  private KeystoneAccess() {}

  /** Refuses an owner who is not an admin, as Keystone refuses {@code identity:<rule>}. */
  static void requireAdmin(Actor owner, String rule) {
    if (!owner.admin()) {
      throw ServiceException.forbidden(
          "Forbidden", "You are not authorized to perform the requested action: identity:" + rule + ".");
    }
  }

  /**
   * A Keystone-shaped id (32 hex digits) drawn from the row's seeded randomness: every attempt of
   * one resource's create draws the same, so a create repeated after a crash finds what the first
   * attempt made; a replacement, a new row, draws a new one.
   */
  static String stableId(ResourceContext context) {
    RandomGenerator random = context.random();
    return new UUID((random.nextLong() & ~0xF000L) | 0x4000L, (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L)
        .toString()
        .replace("-", "");
  }
}
