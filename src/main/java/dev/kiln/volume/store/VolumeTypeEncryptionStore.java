package dev.kiln.volume.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.store.Sql;
import dev.kiln.volume.VolumeTypeEncryption;
import java.time.Instant;
import java.util.Optional;

/** The {@code volume_type_encryption} table: one statement a call, the caller's transaction. */
public final class VolumeTypeEncryptionStore {
  private static final String COLUMNS =
      "volume_type_id, encryption_id, provider, cipher, key_size, control_location, created_at, updated_at";

  private final Sql sql;

  public VolumeTypeEncryptionStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  /** Inserts the type's encryption; a type that has one already is a duplicate key. */
  public void insert(VolumeTypeEncryption e) {
    sql.update(
        "INSERT INTO volume_type_encryption (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",
        e.volumeTypeId(), e.encryptionId(), e.provider(), e.cipher(), e.keySize(), e.controlLocation(),
        e.createdAt());
  }

  public Optional<VolumeTypeEncryption> find(String typeId) {
    return sql.queryOne(
        "SELECT " + COLUMNS + " FROM volume_type_encryption WHERE volume_type_id = ?",
        r -> new VolumeTypeEncryption(
            r.getString("volume_type_id"), r.getString("encryption_id"), r.getString("provider"),
            r.getString("cipher"), r.getNullableInt("key_size"), r.getString("control_location"),
            r.getInstant("created_at"), r.getInstant("updated_at")),
        typeId);
  }

  /** Writes every field of {@code e}; answers whether the type still had an encryption to change. */
  public boolean update(VolumeTypeEncryption e, Instant updatedAt) {
    return sql.update(
            "UPDATE volume_type_encryption SET provider = ?, cipher = ?, key_size = ?, control_location = ?,"
                + " updated_at = ? WHERE volume_type_id = ?",
            e.provider(), e.cipher(), e.keySize(), e.controlLocation(), updatedAt, e.volumeTypeId())
        == 1;
  }

  public boolean delete(String typeId) {
    return sql.update("DELETE FROM volume_type_encryption WHERE volume_type_id = ?", typeId) == 1;
  }
}
