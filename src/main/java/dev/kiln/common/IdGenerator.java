package dev.kiln.common;

import java.util.UUID;
import java.util.function.Supplier;

/**
 * Where new resource ids come from. Injected, so that tests can make ids predictable; the default
 * makes random UUIDs.
 */
@FunctionalInterface
public interface IdGenerator {
  /** A new id in the dashed UUID form Nova, Neutron, Cinder, Glance and Heat use. */
  String uuid();

  /** A new id in the 32-hex-digit form Keystone uses. */
  default String hex() {
    return uuid().replace("-", "");
  }

  static IdGenerator random() {
    return () -> UUID.randomUUID().toString();
  }

  static IdGenerator from(Supplier<UUID> source) {
    return () -> source.get().toString();
  }
}
