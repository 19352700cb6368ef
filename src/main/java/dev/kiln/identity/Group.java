package dev.kiln.identity;

import java.time.Instant;

/**
 * A Keystone group: users of any domain may be its members, and every role granted to it is held by
 * each member for as long as they are one.
 *
 * @param extra further attributes as one JSON object's text, kept and shown as given (see {@link
 *     User#extra()})
 */
public record Group(
    String id, String name, String domainId, String description, String extra, Instant createdAt) {
  public Group {
    extra = extra == null ? User.NO_EXTRA : extra;
  }
}
