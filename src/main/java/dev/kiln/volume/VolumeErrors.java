package dev.kiln.volume;

import dev.kiln.common.ServiceException;

/** Cinder's error types and messages. */
final class VolumeErrors {
  private VolumeErrors() {}

  static ServiceException volumeNotFound(String id) {
    return ServiceException.notFound("VolumeNotFound", "Volume " + id + " could not be found.");
  }

  static ServiceException snapshotNotFound(String id) {
    return ServiceException.notFound("SnapshotNotFound", "Snapshot " + id + " could not be found.");
  }

  static ServiceException attachmentNotFound(String id) {
    return ServiceException.notFound(
        "VolumeAttachmentNotFound", "Volume attachment could not be found with filter: attachment_id = " + id + ".");
  }

  /** Cinder's InvalidVolume: the volume is not in a state that allows the operation. */
  static ServiceException invalidVolume(String reason) {
    return ServiceException.invalid("InvalidVolume", "Invalid volume: " + reason);
  }

  /** A plain 400 with Cinder's words, where Cinder raises HTTPBadRequest itself. */
  static ServiceException badRequest(String message) {
    return ServiceException.invalid("HTTPBadRequest", message);
  }

  static ServiceException invalidInput(String reason) {
    return ServiceException.invalid("InvalidInput", "Invalid input received: " + reason);
  }
}
