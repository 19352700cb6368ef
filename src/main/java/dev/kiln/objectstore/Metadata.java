package dev.kiln.objectstore;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The user metadata of an account, container or object: names (kept lower-case, since HTTP header
 * names are case-insensitive) to values.
 */
public record Metadata(Map<String, String> entries) {
  public static final Metadata EMPTY = new Metadata(Map.of());

  public Metadata {
    entries = Collections.unmodifiableMap(new TreeMap<>(entries));
  }

  public String get(String name) {
    return entries.get(name.toLowerCase(Locale.ROOT));
  }

  /** These entries with {@code update} applied: set values added or replaced, removals dropped. */
  public Metadata merge(Update update) {
    TreeMap<String, String> merged = new TreeMap<>(entries);
    update.remove().forEach(merged::remove);
    update.set().forEach(merged::put);
    return checked(new Metadata(merged));
  }

  /** Only the entries {@code update} sets (an object POST replaces all of an object's metadata). */
  public static Metadata replacedBy(Update update) {
    return checked(new Metadata(update.set()));
  }

  private static Metadata checked(Metadata metadata) {
    if (metadata.entries.size() > SwiftLimits.MAX_META_COUNT) {
      throw Refusal.badRequest(
          "Too many metadata items: " + metadata.entries.size() + "; the most is "
              + SwiftLimits.MAX_META_COUNT + ".");
    }
    int total = 0;
    for (Map.Entry<String, String> e : metadata.entries.entrySet()) {
      total += SwiftLimits.utf8Length(e.getKey()) + SwiftLimits.utf8Length(e.getValue());
    }
    if (total > SwiftLimits.MAX_META_OVERALL_SIZE) {
      throw Refusal.badRequest(
          "Metadata is " + total + " bytes in all; the most is " + SwiftLimits.MAX_META_OVERALL_SIZE
              + ".");
    }
    return metadata;
  }

  /**
   * A change to metadata, read from a request's {@code X-<Kind>-Meta-*} headers ({@code set}; an
   * empty value removes the name, as in Swift) and {@code X-Remove-<Kind>-Meta-*} ({@code remove}).
   */
  public record Update(Map<String, String> set, Set<String> remove) {
    public static final Update NONE = new Update(Map.of(), Set.of());

    public Update {
      set = Map.copyOf(set);
      remove = Set.copyOf(remove);
      for (Map.Entry<String, String> e : set.entrySet()) {
        checkName(e.getKey());
        int valueLength = SwiftLimits.utf8Length(e.getValue());
        if (valueLength > SwiftLimits.MAX_META_VALUE_LENGTH) {
          throw Refusal.badRequest(
              "Metadata value of '" + e.getKey() + "' is " + valueLength + " bytes long; the most is "
                  + SwiftLimits.MAX_META_VALUE_LENGTH + ".");
        }
      }
      remove.forEach(Update::checkName);
    }

    private static void checkName(String name) {
      if (name.isEmpty()) {
        throw Refusal.badRequest("A metadata name may not be empty.");
      }
      int length = SwiftLimits.utf8Length(name);
      if (length > SwiftLimits.MAX_META_NAME_LENGTH) {
        throw Refusal.badRequest(
            "Metadata name '" + name + "' is " + length + " bytes long; the most is "
                + SwiftLimits.MAX_META_NAME_LENGTH + ".");
      }
    }

    public boolean isEmpty() {
      return set.isEmpty() && remove.isEmpty();
    }
  }
}
