package dev.kiln.volume;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Cinder QoS specs: a named set of key/value specs, applied by the front end (the hypervisor), the
 * back end (the storage) or both.
 *
 * @param specs the specs in key order; a value may be null, as Cinder's update allows
 */
public record QosSpec(String id, String name, String consumer, Map<String, String> specs) {
  public static final String FRONT_END = "front-end";
  public static final String BACK_END = "back-end";
  public static final String BOTH = "both";
  /** Cinder's consumers; {@link #BACK_END} is the default. */
  public static final Set<String> CONSUMERS = Set.of(BACK_END, FRONT_END, BOTH);

  public QosSpec {
    requireNonNull(id, "id is null");
    requireNonNull(name, "name is null");
    requireNonNull(consumer, "consumer is null");
    specs = Collections.unmodifiableMap(new LinkedHashMap<>(specs));
  }

  /** A volume type the QoS specs are associated with, as Cinder's associations list shows it. */
  public record Association(String typeId, String typeName) {}
}
