package dev.kiln.volume;

import java.util.ArrayList;
import java.util.List;

/**
 * A locked volume's status and attachments as the transaction that holds the lock has left them
 * so far. Every change to a volume's attachments is made under the volume's row lock (see {@link
 * Attachments}), so the attachments read with the lock, with the transaction's own changes applied,
 * are the ones in the database: the volume's status is derived from them without reading them
 * again.
 */
record LockedVolume(String volumeId, String status, List<Attachment> attachments) {
  static LockedVolume of(Volume volume) {
    return new LockedVolume(volume.id(), volume.status(), volume.attachments());
  }

  /** With {@code a} added, or in place of the attachment with its id. */
  LockedVolume putting(Attachment a) {
    List<Attachment> next = new ArrayList<>(attachments.size() + 1);
    boolean replaced = false;
    for (Attachment old : attachments) {
      if (old.id().equals(a.id())) {
        next.add(a);
        replaced = true;
      } else {
        next.add(old);
      }
    }
    if (!replaced) {
      next.add(a);
    }
    return new LockedVolume(volumeId, status, next);
  }

  LockedVolume without(Attachment a) {
    return new LockedVolume(volumeId, status, attachments.stream().filter(x -> !x.id().equals(a.id())).toList());
  }

  LockedVolume withStatus(String newStatus) {
    return new LockedVolume(volumeId, newStatus, attachments);
  }
}
