package dev.kiln.objectstore.api;

import dev.kiln.objectstore.ListingQuery;
import dev.kiln.objectstore.Refusal;
import dev.kiln.objectstore.SwiftLimits;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * One Swift request: its method, parsed path and query, whether it came with a temp URL rather
 * than a token (such answers hide object metadata and name a download), and whether only a
 * container ACL lets it in (not the account's owner: such answers hide the ACLs), and whether a
 * reseller admin (Keystone's ResellerAdmin role, which may set account quotas) makes it.
 */
record SwiftRequest(
    ServerRequest raw, String method, SwiftPath path, boolean viaTempUrl, boolean viaAcl, boolean reseller) {
  /** Keystone's role for Swift's reseller admins, who own every account and set quotas. */
  static final String RESELLER_ROLE = "ResellerAdmin";

  private static final Set<String> TRUE = Set.of("true", "1", "yes", "on", "t", "y");

  Optional<String> header(String name) {
    return raw.headers().first(HeaderNames.create(name));
  }

  Optional<String> query(String name) {
    return raw.query().contains(name) ? raw.query().first(name).asOptional() : Optional.empty();
  }

  boolean isHead() {
    return method.equals("HEAD");
  }

  static boolean isTrue(String value) {
    return value != null && TRUE.contains(value.strip().toLowerCase(Locale.ROOT));
  }

  /** The body; an empty stream when there is none. */
  InputStream body() {
    return raw.content().hasEntity() ? raw.content().inputStream() : InputStream.nullInputStream();
  }

  /**
   * The listing parameters; a limit that is not a whole number from 0 to 10,000 is a 412, as in
   * Swift.
   */
  ListingQuery listing() {
    int limit = SwiftLimits.LISTING_LIMIT;
    Optional<String> given = query("limit");
    if (given.isPresent() && !given.get().isEmpty()) {
      try {
        limit = Integer.parseInt(given.get().strip());
      } catch (NumberFormatException e) {
        throw Refusal.preconditionFailed("The limit must be a whole number; got '" + given.get() + "'.");
      }
      if (limit < 0) {
        throw Refusal.preconditionFailed("The limit must not be negative.");
      }
      if (limit > SwiftLimits.LISTING_LIMIT) {
        throw Refusal.preconditionFailed("The largest limit is " + SwiftLimits.LISTING_LIMIT + ".");
      }
    }
    String prefix = query("prefix").orElse("");
    String delimiter = query("delimiter").orElse(null);
    String marker = query("marker").orElse(null);
    String endMarker = query("end_marker").orElse(null);
    for (String s : new String[] {prefix, delimiter, marker, endMarker}) {
      if (s != null && (s.indexOf('\0') >= 0 || s.chars().anyMatch(c -> c == 0xFFFD))) {
        throw Refusal.preconditionFailed("Listing parameters must be valid UTF-8 without NUL characters.");
      }
    }
    return new ListingQuery(prefix, delimiter, marker, endMarker, limit, isTrue(query("reverse").orElse(null)));
  }
}
