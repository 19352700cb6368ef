package dev.kiln.volume;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Cinder group type (3.11): what a group of volumes is made with, and group specs (key/value
 * strings) that say what such a group can do.
 *
 * @param description free text, or null
 * @param groupSpecs the group specs, in key order
 */
public record GroupType(String id, String name, String description, boolean isPublic, Map<String, String> groupSpecs) {
  public GroupType {
    requireNonNull(id, "id is null");
    requireNonNull(name, "name is null");
    groupSpecs = Collections.unmodifiableMap(new LinkedHashMap<>(groupSpecs));
  }
}
