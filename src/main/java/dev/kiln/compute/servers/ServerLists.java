package dev.kiln.compute.servers;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.servers.Servers.NetworkDetails;
import dev.kiln.compute.servers.Servers.Page;
import dev.kiln.compute.servers.Servers.Query;
import dev.kiln.compute.servers.Servers.TagFilter;
import dev.kiln.compute.servers.store.ServerStore;
import dev.kiln.store.Database;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Server lists: Nova's filters and keyset pages in SQL, the name, address and tag filters matched
 * here over chunks until a page is full, and a page's Networking details in a few lookups.
 */
final class ServerLists {
  /** Rows read at a time while a name filter fills a page. */
  private static final int LIST_CHUNK = 500;

  private final Database db;
  private final ServerAddresses addresses;
  private final ServerTags tags;

  ServerLists(Database db, ServerAddresses addresses, ServerTags tags) {
    this.db = requireNonNull(db, "db is null");
    this.addresses = requireNonNull(addresses, "addresses is null");
    this.tags = requireNonNull(tags, "tags is null");
  }

  /**
   * The actor's project's servers (all for an admin asking), newest first, filtered, from after
   * {@code marker} (if given), at most {@code limit} (if given). SQL filters and pages (a keyset
   * from the marker's row); the name, a regular expression as in Nova, is matched here over
   * chunks read until the page is full.
   */
  Page list(Actor actor, Query query, Integer limit, String marker) {
    if (actor.projectId() == null && !(actor.admin() && query.allProjects())) {
      // A token with no project (domain-scoped, even an admin's) sees no project's servers unless
      // it asks for all of them: Nova filters on the token's project, which is none.
      return new Page(List.of(), null);
    }
    Pattern name = regex(query.name());
    Pattern ip = regex(query.ip());
    Pattern ip6 = regex(query.ip6());
    boolean byAddress = ip != null || ip6 != null;
    TagFilter tagFilter = query.tags();
    ServerStore store = new ServerStore(db.sql());
    String scope = actor.admin() && query.allProjects() ? null : actor.projectId();
    String asked = actor.admin() ? query.projectId() : null;
    ServerStore.Cursor after = null;
    if (marker != null) {
      after =
          store.cursorOf(marker, actor.admin() ? null : actor.projectId())
              .orElseThrow(() -> ServiceException.invalid("MarkerNotFound", "marker [" + marker + "] not found"));
    }
    if ((limit != null && limit == 0) || (scope != null && asked != null && !scope.equals(asked))) {
      return new Page(List.of(), null);
    }
    ServerStore.ListFilter filter =
        new ServerStore.ListFilter(
            scope != null ? scope : asked,
            query.status() == null ? null : query.status().toUpperCase(Locale.ROOT),
            query.host(), query.changesSince(), query.imageId(), query.flavorId(), query.reservationId());
    int wanted = limit == null ? Integer.MAX_VALUE : limit;
    // One row more than the page tells whether there is a next page; with a name or an address to
    // match, read in bigger chunks, as many rows may not match.
    int chunk =
        limit == null ? Integer.MAX_VALUE
            : name == null && !byAddress && tagFilter.isEmpty() ? limit + 1 : Math.max(limit + 1, LIST_CHUNK);
    List<Server> matched = new ArrayList<>();
    boolean more = false;
    while (!more) {
      List<Server> rows = store.page(filter, after, chunk);
      List<Server> candidates = rows;
      if (name != null) {
        Pattern n = name;
        candidates = candidates.stream().filter(s -> n.matcher(s.name()).find()).toList();
      }
      if (!tagFilter.isEmpty()) {
        Map<String, List<String>> chunkTags = tags.of(candidates.stream().map(Server::id).toList());
        candidates = candidates.stream().filter(s -> tagFilter.matches(chunkTags.getOrDefault(s.id(), List.of()))).toList();
      }
      if (byAddress) {
        // A chunk's addresses come from Networking in one lookup, as a page's do.
        candidates = addresses.matching(store.complete(candidates), ip, ip6);
      }
      for (Server s : candidates) {
        if (matched.size() == wanted) {
          more = true;
          break;
        }
        matched.add(s);
      }
      if (rows.size() < chunk) {
        break;
      }
      after = ServerStore.Cursor.of(rows.getLast());
    }
    List<Server> page = byAddress ? matched : store.complete(matched);
    String next = limit != null && more && !page.isEmpty() ? page.getLast().id() : null;
    return new Page(page, next);
  }

  /** A filter's regular expression; one that does not compile is matched as plain text. */
  private static Pattern regex(String filter) {
    if (filter == null) {
      return null;
    }
    try {
      return Pattern.compile(filter);
    } catch (PatternSyntaxException e) {
      return Pattern.compile(Pattern.quote(filter));
    }
  }

  /**
   * The Networking details of these servers (a page of a list): one lookup for all their ports,
   * one for their floating IPs, then one per network and security group for its name.
   */
  NetworkDetails networkDetails(List<Server> servers) {
    return addresses.of(servers);
  }
}
