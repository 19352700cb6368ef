package dev.kiln.image;

import static java.util.Objects.requireNonNull;

/**
 * One change of an image update (a JSON-patch operation on a top-level attribute).
 *
 * @param attribute a base attribute ({@code name}, {@code min_ram}, {@code tags}, …) or a custom
 *     property's name
 * @param value the new value as a plain Java value read from JSON (String, Boolean, a whole
 *     number, List, Map or null); ignored for {@link Op#REMOVE}
 */
public record ImageChange(Op op, String attribute, Object value) {
  public ImageChange {
    requireNonNull(op, "op is null");
    requireNonNull(attribute, "attribute is null");
  }

  public enum Op {
    /** Sets the attribute, creating a custom property that does not exist yet. */
    ADD,
    /** Sets the attribute, which must exist. */
    REPLACE,
    /** Removes a custom property, which must exist; base attributes cannot be removed. */
    REMOVE
  }
}
