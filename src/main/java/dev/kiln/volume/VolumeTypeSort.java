package dev.kiln.volume;

import static java.util.Objects.requireNonNull;

/** One sort criterion of a volume type list ({@code sort_key}/{@code sort_dir}, or {@code sort}). */
public record VolumeTypeSort(Key key, boolean ascending) {
  public VolumeTypeSort {
    requireNonNull(key, "key is null");
  }

  /** The attributes a list sorts by. */
  public enum Key {
    ID,
    NAME,
    DESCRIPTION,
    IS_PUBLIC,
    CREATED_AT,
    UPDATED_AT
  }
}
