package dev.kiln.volume;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.store.Database;
import dev.kiln.volume.store.VolumeTypeStore;
import java.util.List;

/**
 * Which projects may use a private volume type (Cinder's volume type access): admins open a type
 * to a project and close it again; members of those projects then see and use the type.
 */
public final class VolumeTypeAccess {
  private final Database db;
  private final VolumeTypes types;

  public VolumeTypeAccess(Database db, VolumeTypes types) {
    this.db = requireNonNull(db, "db is null");
    this.types = requireNonNull(types, "types is null");
  }

  /** The projects a private type is open to; a public type has no access list (404). */
  public List<String> projects(Actor actor, String typeId) {
    requireAdmin(actor, "volume_extension:volume_type_access:get_all_for_type");
    VolumeType type = types.show(actor, typeId);
    if (type.isPublic()) {
      throw ServiceException.notFound("VolumeTypeAccessNotFound", "Access list not available for public volume types.");
    }
    return new VolumeTypeStore(db.sql()).projectsOf(type.id());
  }

  public void add(Actor actor, String typeId, String projectId) {
    requireAdmin(actor, "volume_extension:volume_type_access:addProjectAccess");
    VolumeType type = privateType(actor, typeId);
    db.inTransaction(sql -> {
      VolumeTypeStore store = new VolumeTypeStore(sql);
      store.lock(type.id());
      if (store.projectsOf(type.id()).contains(projectId)) {
        throw ServiceException.conflict(
            "VolumeTypeAccessExists", "Volume type access for " + type.id() + " / " + projectId + " combination already exists.");
      }
      store.addProject(type.id(), projectId);
      return null;
    });
  }

  public void remove(Actor actor, String typeId, String projectId) {
    requireAdmin(actor, "volume_extension:volume_type_access:removeProjectAccess");
    VolumeType type = privateType(actor, typeId);
    if (new VolumeTypeStore(db.sql()).removeProject(type.id(), projectId) != 1) {
      throw ServiceException.notFound(
          "VolumeTypeAccessNotFound", "Volume type access not found for " + type.id() + " / " + projectId + " combination.");
    }
  }

  private VolumeType privateType(Actor actor, String typeId) {
    VolumeType type = types.show(actor, typeId);
    if (type.isPublic()) {
      throw ServiceException.invalid(
          "InvalidVolumeType", "Invalid volume type: Type access modification is not applicable to public volume type.");
    }
    return type;
  }

  private static void requireAdmin(Actor actor, String rule) {
    if (!actor.admin()) {
      throw VolumeTypes.policy(rule);
    }
  }
}
