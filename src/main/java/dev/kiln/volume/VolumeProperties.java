package dev.kiln.volume;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.store.Database;
import dev.kiln.volume.Volume.Status;
import dev.kiln.volume.store.VolumeStore;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the volume actions change about a volume without touching its data: the read-only flag
 * (admin metadata), the image metadata a volume carries, and its type (a retype within the one
 * backend, which needs no migration). Each change locks the volume's row.
 */
public final class VolumeProperties {
  private final Database db;
  private final Clock clock;
  private final VolumeTypes types;

  public VolumeProperties(Database db, Clock clock, VolumeTypes types) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.types = requireNonNull(types, "types is null");
  }

  /**
   * os-update_readonly_flag: an available volume becomes read-only (or writable); it then shows
   * {@code readonly} in its metadata and attaches only in {@code ro} mode, as in Cinder.
   */
  public void setReadonly(Actor actor, String id, boolean readonly) {
    onVolume(actor, id, (store, volume) -> {
      if (!volume.status().equals(Status.AVAILABLE)) {
        throw VolumeErrors.invalidVolume(
            "Volume " + id + " status must be available to update readonly flag, but current status is: "
                + volume.status() + ".");
      }
      store.putAdminMetadata(id, "readonly", readonly ? "True" : "False");
      return null;
    });
  }

  /** os-show_image_metadata: the image metadata the volume carries. */
  public Map<String, String> imageMetadata(Actor actor, String id) {
    return onVolume(actor, id, (store, volume) -> volume.imageMetadata());
  }

  /** os-set_image_metadata: adds or changes image metadata keys; answers all of them. */
  public Map<String, String> setImageMetadata(Actor actor, String id, Map<String, String> metadata) {
    return onVolume(actor, id, (store, volume) -> {
      Map<String, String> merged = new LinkedHashMap<>(volume.imageMetadata());
      merged.putAll(metadata);
      store.replaceImageMetadata(id, merged);
      return merged;
    });
  }

  /** os-unset_image_metadata: removes one key; 404 when the volume has no such key. */
  public void unsetImageMetadata(Actor actor, String id, String key) {
    onVolume(actor, id, (store, volume) -> {
      if (!volume.imageMetadata().containsKey(key)) {
        throw ServiceException.notFound(
            "GlanceMetadataNotFound", "Glance metadata for volume/snapshot " + id + " cannot be found.");
      }
      Map<String, String> remaining = new LinkedHashMap<>(volume.imageMetadata());
      remaining.remove(key);
      store.replaceImageMetadata(id, remaining);
      return null;
    });
  }

  /**
   * os-retype: gives an available or in-use volume another type. Every type lives on Kiln's one
   * backend, so no migration is needed and {@code migrationPolicy} (never, on-demand) only has to
   * be valid.
   */
  public void retype(Actor actor, String id, String newType, String migrationPolicy) {
    if (migrationPolicy != null && !List.of("never", "on-demand").contains(migrationPolicy)) {
      throw VolumeErrors.invalidInput("migration_policy must be 'on-demand' or 'never', passed: " + migrationPolicy + ".");
    }
    VolumeType type = types.resolve(actor, newType);
    onVolume(actor, id, (store, volume) -> {
      if (!List.of(Status.AVAILABLE, Status.IN_USE).contains(volume.status())) {
        throw VolumeErrors.invalidVolume(
            "Volume " + id + " status must be available or in-use to retype, it is " + volume.status() + ".");
      }
      if (type.id().equals(volume.volumeTypeId())) {
        throw VolumeErrors.invalidInput("Retype requested to same volume type.");
      }
      if (volume.multiattach() != type.multiattach() && !volume.attachments().isEmpty()) {
        throw VolumeErrors.invalidInput("Retyping an attached volume between multiattach and non-multiattach types is not allowed.");
      }
      store.retype(id, type.id(), type.multiattach(), now());
      return null;
    });
  }

  private <T> T onVolume(Actor actor, String id, Work<T> work) {
    return db.inTransaction(sql -> {
      VolumeStore store = new VolumeStore(sql);
      Volume volume = store.lockVolume(id)
          .filter(v -> actor.owns(v.projectId()))
          .orElseThrow(() -> VolumeErrors.volumeNotFound(id));
      return work.run(store, volume);
    });
  }

  @FunctionalInterface
  private interface Work<T> {
    T run(VolumeStore store, Volume volume);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
