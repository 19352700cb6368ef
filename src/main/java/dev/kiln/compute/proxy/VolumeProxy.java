package dev.kiln.compute.proxy;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.common.ServiceException.Kind;
import dev.kiln.volume.Snapshot;
import dev.kiln.volume.Volume;
import dev.kiln.volume.VolumeService;
import dev.kiln.volume.VolumeType;
import dev.kiln.volume.Volumes;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Nova's {@code os-volumes} and {@code os-snapshots} proxies over Block Storage: the caller's
 * project's volumes and snapshots, newest first (Cinder's default order), made and deleted with
 * Block Storage's own rules. A create beyond the project's quota is Nova's 403.
 */
public final class VolumeProxy {
  private final VolumeService volumes;

  public VolumeProxy(VolumeService volumes) {
    this.volumes = requireNonNull(volumes, "volumes is null");
  }

  /** What a volume create asks for, as Nova passes it to Cinder; null means "the default". */
  public record VolumeRequest(
      int size, String name, String description, String volumeType, String availabilityZone,
      Map<String, String> metadata, String snapshotId) {}

  public ShownVolume create(Actor actor, VolumeRequest request) {
    if (request.snapshotId() != null) {
      snapshot(actor, request.snapshotId()); // Nova looks the snapshot up first: 404 when unknown
    }
    Volume made;
    try {
      made = volumes.volumes().create(
          actor,
          new Volumes.Spec(
              request.name(), request.description(), request.size(), request.volumeType(), request.availabilityZone(),
              request.metadata(), request.snapshotId(), null, null, null));
    } catch (ServiceException e) {
      throw overQuotaAsForbidden(e);
    }
    return shown(made, new HashMap<>());
  }

  public ShownVolume get(Actor actor, String id) {
    return shown(volumes.volumes().visible(actor, id), new HashMap<>());
  }

  /** The project's volumes, newest first. */
  public List<ShownVolume> list(Actor actor) {
    Map<String, Optional<VolumeType>> types = new HashMap<>();
    return volumes.volumes().list(actor, false).stream()
        .sorted(Comparator.comparing(Volume::createdAt).thenComparing(Volume::id).reversed())
        .map(v -> shown(v, types))
        .toList();
  }

  public void delete(Actor actor, String id) {
    volumes.volumes().delete(actor, id, false);
  }

  /** Takes a snapshot of an available volume, or with {@code force} of one in use. */
  public Snapshot createSnapshot(Actor actor, String volumeId, String name, String description, boolean force) {
    try {
      return volumes.snapshots().create(actor, volumeId, name, description, force, Map.of());
    } catch (ServiceException e) {
      throw overQuotaAsForbidden(e);
    }
  }

  public Snapshot snapshot(Actor actor, String id) {
    return volumes.snapshots().visible(actor, id);
  }

  /** The project's snapshots, newest first. */
  public List<Snapshot> snapshots(Actor actor) {
    return volumes.snapshots().list(actor, false).stream()
        .sorted(Comparator.comparing(Snapshot::createdAt).thenComparing(Snapshot::id).reversed())
        .toList();
  }

  public void deleteSnapshot(Actor actor, String id) {
    volumes.snapshots().delete(actor, id, false);
  }

  private ShownVolume shown(Volume v, Map<String, Optional<VolumeType>> types) {
    if (v.volumeTypeId() == null) {
      return new ShownVolume(v, null);
    }
    Optional<VolumeType> type = types.computeIfAbsent(v.volumeTypeId(), id -> volumes.types().find(id));
    return new ShownVolume(v, type.map(VolumeType::name).orElse(null));
  }

  /** Nova answers Cinder's over-quota (413) with 403 Forbidden. */
  private static ServiceException overQuotaAsForbidden(ServiceException e) {
    return e.kind() == Kind.OVER_LIMIT ? new ServiceException(Kind.FORBIDDEN, e.type(), e.getMessage()) : e;
  }
}
