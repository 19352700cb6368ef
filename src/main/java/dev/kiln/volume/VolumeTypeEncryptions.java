package dev.kiln.volume;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.store.Database;
import dev.kiln.store.StoreException;
import dev.kiln.volume.store.VolumeTypeEncryptionStore;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Volume type encryption, Cinder's {@code volume_type_encryption} policy: admins only. A type has
 * at most one; it may not be made, changed or removed while a volume has the type (Cinder's
 * 400s), since a volume's encryption follows its type from the moment it is made.
 */
public final class VolumeTypeEncryptions {
  public static final Set<String> CONTROL_LOCATIONS = Set.of("front-end", "back-end");

  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  private final VolumeTypes types;
  private final Predicate<String> typeInUse;

  VolumeTypeEncryptions(Database db, Clock clock, IdGenerator ids, VolumeTypes types, Predicate<String> typeInUse) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.types = requireNonNull(types, "types is null");
    this.typeInUse = requireNonNull(typeInUse, "typeInUse is null");
  }

  /**
   * Fields of a create or an update; null leaves a field as it is on update ({@code
   * clearCipher}/{@code clearKeySize} set it to null, as an explicit JSON null does in Cinder).
   */
  public record Spec(
      String provider, String cipher, boolean clearCipher, Integer keySize, boolean clearKeySize,
      String controlLocation) {}

  /** The type's encryption, or empty when it has none (Cinder answers {@code {}}). */
  public Optional<VolumeTypeEncryption> show(Actor actor, String typeId) {
    authorize(actor, "get");
    existingType(typeId);
    return new VolumeTypeEncryptionStore(db.sql()).find(typeId);
  }

  public VolumeTypeEncryption create(Actor actor, String typeId, Spec spec) {
    authorize(actor, "create");
    existingType(typeId);
    if (typeInUse.test(typeId)) {
      throw inUse("create");
    }
    if (spec.provider() == null) {
      throw ServiceException.invalid("InvalidInput", "Invalid input received: provider must be defined");
    }
    checkLocation(spec.controlLocation());
    Instant now = now();
    VolumeTypeEncryption made =
        new VolumeTypeEncryption(
            typeId, ids.uuid(), spec.provider(), spec.cipher(), spec.keySize(),
            spec.controlLocation() == null ? "front-end" : spec.controlLocation(), now, null);
    try {
      db.inTransaction(
          sql -> {
            VolumeTypeEncryptionStore store = new VolumeTypeEncryptionStore(sql);
            if (store.find(typeId).isPresent()) {
              throw exists(typeId);
            }
            store.insert(made);
            return null;
          });
    } catch (StoreException e) {
      // A concurrent create won: one encryption a type, by its primary key.
      throw e.kind() == StoreException.Kind.DUPLICATE ? exists(typeId) : e;
    }
    return made;
  }

  public VolumeTypeEncryption update(Actor actor, String typeId, Spec changes) {
    authorize(actor, "update");
    existingType(typeId);
    if (typeInUse.test(typeId)) {
      throw inUse("update");
    }
    checkLocation(changes.controlLocation());
    return db.inTransaction(
        sql -> {
          VolumeTypeEncryptionStore store = new VolumeTypeEncryptionStore(sql);
          VolumeTypeEncryption old = store.find(typeId).orElseThrow(() -> notFound(typeId));
          Instant now = now();
          VolumeTypeEncryption next =
              new VolumeTypeEncryption(
                  typeId, old.encryptionId(), changes.provider() != null ? changes.provider() : old.provider(),
                  changes.clearCipher() ? null : changes.cipher() != null ? changes.cipher() : old.cipher(),
                  changes.clearKeySize() ? null : changes.keySize() != null ? changes.keySize() : old.keySize(),
                  changes.controlLocation() != null ? changes.controlLocation() : old.controlLocation(),
                  old.createdAt(), now);
          if (!store.update(next, now)) {
            throw notFound(typeId);
          }
          return next;
        });
  }

  public void delete(Actor actor, String typeId) {
    authorize(actor, "delete");
    existingType(typeId);
    VolumeTypeEncryptionStore store = new VolumeTypeEncryptionStore(db.sql());
    if (store.find(typeId).isEmpty()) {
      throw notFound(typeId);
    }
    if (typeInUse.test(typeId)) {
      throw inUse("delete");
    }
    if (!store.delete(typeId)) {
      throw notFound(typeId); // a concurrent delete won
    }
  }

  private void existingType(String typeId) {
    if (types.find(typeId).isEmpty()) {
      throw ServiceException.notFound("VolumeTypeNotFound", "Volume type " + typeId + " could not be found.");
    }
  }

  private static void checkLocation(String location) {
    if (location != null && !CONTROL_LOCATIONS.contains(location)) {
      throw ServiceException.invalid(
          "InvalidInput",
          "Invalid input for field/attribute control_location. Value: " + location + ". '" + location
              + "' is not one of ['front-end', 'back-end']");
    }
  }

  private static void authorize(Actor actor, String action) {
    if (!actor.admin()) {
      throw VolumeTypes.policy("volume_extension:volume_type_encryption:" + action);
    }
  }

  private static ServiceException notFound(String typeId) {
    return ServiceException.notFound(
        "VolumeTypeEncryptionNotFound", "Volume type encryption for type " + typeId + " does not exist.");
  }

  private static ServiceException exists(String typeId) {
    return ServiceException.invalid(
        "VolumeTypeEncryptionExists", "Volume type encryption for type " + typeId + " already exists.");
  }

  private static ServiceException inUse(String verb) {
    return ServiceException.invalid("HTTPBadRequest", "Cannot " + verb + " encryption specs. Volume type in use.");
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
