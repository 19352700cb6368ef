package dev.kiln.objectstore;

/** One line of a listing: an item (a container or an object), or a rolled-up {@code subdir}. */
public sealed interface ListingEntry<T> permits ListingEntry.Item, ListingEntry.Subdir {
  String name();

  record Item<T>(String name, T value) implements ListingEntry<T> {}

  record Subdir<T>(String name) implements ListingEntry<T> {}
}
