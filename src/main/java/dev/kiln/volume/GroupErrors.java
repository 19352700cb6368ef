package dev.kiln.volume;

import dev.kiln.common.ServiceException;

/** Cinder's error types and messages for groups and group snapshots. */
final class GroupErrors {
  private GroupErrors() {}

  static ServiceException groupNotFound(String id) {
    return ServiceException.notFound("GroupNotFound", "Group " + id + " could not be found.");
  }

  static ServiceException groupSnapshotNotFound(String id) {
    return ServiceException.notFound("GroupSnapshotNotFound", "GroupSnapshot " + id + " could not be found.");
  }

  /** Cinder's InvalidGroup: the group is not in a state that allows the operation. */
  static ServiceException invalidGroup(String reason) {
    return ServiceException.invalid("InvalidGroup", "Invalid Group: " + reason);
  }

  static ServiceException invalidGroupSnapshot(String reason) {
    return ServiceException.invalid("InvalidGroupSnapshot", "Invalid GroupSnapshot: " + reason);
  }
}
