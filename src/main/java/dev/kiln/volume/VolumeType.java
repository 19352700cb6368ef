package dev.kiln.volume;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A Cinder volume type: a name volumes are created with, and extra specs (key/value strings) that
 * say what a volume of this type can do.
 *
 * @param description free text, or null when none was given
 * @param extraSpecs the extra specs, in key order
 * @param qosSpecsId the QoS specs associated with the type, or null
 */
public record VolumeType(
    String id, String name, String description, boolean isPublic, Map<String, String> extraSpecs,
    String qosSpecsId) {

  /** The name of the type Cinder creates itself and uses when a volume names none. */
  public static final String DEFAULT_NAME = "__DEFAULT__";

  /** The extra spec that makes volumes of a type attachable to several servers at once. */
  public static final String MULTIATTACH = "multiattach";

  /** The extra specs Cinder shows to callers who are not admins; the rest are the operator's. */
  public static final Set<String> USER_VISIBLE_EXTRA_SPECS =
      Set.of("RESKEY:availability_zones", MULTIATTACH, "replication_enabled");

  public VolumeType {
    requireNonNull(id, "id is null");
    requireNonNull(name, "name is null");
    extraSpecs = Collections.unmodifiableMap(new LinkedHashMap<>(extraSpecs));
  }

  /** A type without QoS specs. */
  public VolumeType(String id, String name, String description, boolean isPublic, Map<String, String> extraSpecs) {
    this(id, name, description, isPublic, extraSpecs, null);
  }

  /**
   * Whether volumes of this type may be attached to several servers: the {@code multiattach}
   * extra spec is Cinder's {@code "<is> True"}, or plainly {@code True}.
   */
  public boolean multiattach() {
    return isTrue(extraSpecs.get(MULTIATTACH));
  }

  /** The same type with only the extra specs a caller who is not an admin may see. */
  public VolumeType userVisible() {
    Map<String, String> visible = new LinkedHashMap<>();
    extraSpecs.forEach(
        (key, value) -> {
          if (USER_VISIBLE_EXTRA_SPECS.contains(key)) {
            visible.put(key, value);
          }
        });
    return new VolumeType(id, name, description, isPublic, visible, qosSpecsId);
  }

  /** Cinder's boolean capability syntax: {@code "<is> True"}; a bare {@code True} also counts. */
  static boolean isTrue(String spec) {
    if (spec == null) {
      return false;
    }
    String value = spec.strip();
    if (value.startsWith("<is>")) {
      value = value.substring("<is>".length()).strip();
    }
    return value.equalsIgnoreCase("true");
  }
}
