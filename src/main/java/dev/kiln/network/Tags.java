package dev.kiln.network;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.network.store.TagStore;
import dev.kiln.store.Database;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tags on Networking's resources ({@code standard-attr-tag}). Resources are named by their
 * collection ({@code networks}, {@code security_groups}, ...). Reading tags needs the resource to be
 * visible, which the caller checks with the resource's own service; changing them needs its
 * project (or an admin). Each change counts as a change of the resource: one more revision and a
 * new {@code updated_at}, taken under the resource's row lock, so changes of one resource's tags run
 * one at a time.
 */
public final class Tags {
  /** Neutron's limit on a tag's length. */
  public static final int MAX_LENGTH = 255;

  private final Database db;
  private final Clock clock;

  public Tags(Database db, Clock clock) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /** Whether resources of this collection take tags. */
  public static boolean isTaggable(String kind) {
    return TagStore.isTaggable(kind);
  }

  public List<String> of(String id) {
    return new TagStore(db.sql()).tags(id);
  }

  /** The tags of these resources, by id (resources without tags are missing). */
  public Map<String, List<String>> of(Collection<String> ids) {
    return ids.isEmpty() ? Map.of() : new TagStore(db.sql()).tagsOf(ids);
  }

  /** The tags of every resource of a collection, by id: one read for a whole list. */
  public Map<String, List<String>> ofKind(String kind) {
    return new TagStore(db.sql()).tagsOfKind(kind);
  }

  /** Adds one tag (nothing changes when the resource has it). */
  public void add(Actor actor, String kind, String id, String tag) {
    check(List.of(tag));
    change(actor, kind, id, store -> {
      if (store.tags(id).contains(tag)) {
        return false;
      }
      return store.add(kind, id, tag);
    });
  }

  /** Adds tags the resource does not have yet; answers all of its tags. */
  public List<String> addAll(Actor actor, String kind, String id, List<String> tags) {
    check(tags);
    return change(actor, kind, id, store -> {
      boolean changed = false;
      for (String tag : tags) {
        changed |= store.add(kind, id, tag);
      }
      return changed;
    });
  }

  /** Replaces the resource's tags; answers them. */
  public List<String> replace(Actor actor, String kind, String id, List<String> tags) {
    check(tags);
    return change(actor, kind, id, store -> {
      store.removeAll(id);
      tags.forEach(tag -> store.add(kind, id, tag));
      return true;
    });
  }

  /** Removes one tag; a tag the resource does not have is Neutron's 404 TagNotFound. */
  public void remove(Actor actor, String kind, String id, String tag) {
    change(actor, kind, id, store -> {
      if (store.remove(id, tag) == 0) {
        throw ServiceException.notFound("TagNotFound", "Tag " + tag + " could not be found.");
      }
      return true;
    });
  }

  public void removeAll(Actor actor, String kind, String id) {
    change(actor, kind, id, store -> store.removeAll(id) > 0);
  }

  private interface Change {
    /** Changes the tags; answers whether anything changed. */
    boolean apply(TagStore store);
  }

  private List<String> change(Actor actor, String kind, String id, Change change) {
    requireNonNull(actor, "actor is null");
    try {
      return db.inTransaction(
        sql -> {
          TagStore store = new TagStore(sql);
          String owner =
              store.owner(kind, id)
                  .orElseThrow(() -> ServiceException.notFound(
                      "TagResourceNotFound", "Resource " + kind + " " + id + " could not be found."));
          if (!actor.owns(owner)) {
            throw NetworkErrors.policy("update_" + kind + "_tags");
          }
          Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
          // The row lock first, so that concurrent changes of this resource's tags queue up.
          store.touch(kind, id, now);
          if (!change.apply(store)) {
            // Nothing changed: roll the new revision back, and answer the tags as they are.
            throw new NoChange(store.tags(id));
          }
          return store.tags(id);
        });
    } catch (NoChange e) {
      return e.tags;
    }
  }

  /** Neutron's checks on a list of tags: strings of at most 255 characters, none twice. */
  public static void check(List<String> tags) {
    Set<String> seen = new LinkedHashSet<>();
    for (String tag : tags) {
      if (tag == null) {
        throw ServiceException.invalid("InvalidInput", "Invalid input for operation: 'None' is not a valid string.");
      }
      if (tag.length() > MAX_LENGTH) {
        throw ServiceException.invalid(
            "InvalidInput", "Invalid input for operation: '" + tag + "' exceeds maximum length of " + MAX_LENGTH + ".");
      }
      if (!seen.add(tag)) {
        throw ServiceException.invalid(
            "InvalidInput", "Invalid input for operation: Duplicate items in the list: '" + tag + "'.");
      }
    }
  }

  /** Rolls back a change that changed nothing, carrying the tags to answer. */
  private static final class NoChange extends RuntimeException {
    private final List<String> tags;

    NoChange(List<String> tags) {
      super(null, null, false, false);
      this.tags = tags;
    }
  }
}
