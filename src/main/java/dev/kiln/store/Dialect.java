package dev.kiln.store;

/** The databases Kiln runs on; SQL is written to their common subset wherever it can be. */
public enum Dialect {
  H2,
  POSTGRESQL
}
