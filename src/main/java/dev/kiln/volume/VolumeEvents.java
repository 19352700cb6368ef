package dev.kiln.volume;

/**
 * What Block Storage tells Compute about the volumes attached to its servers, by Nova's external
 * event names, with the volume id as the tag (Cinder's Nova notifier). Compute plugs its receiver
 * in with {@link Volumes#volumeEvents(VolumeEvents)} once it exists; until then nothing is sent.
 */
@FunctionalInterface
public interface VolumeEvents {
  VolumeEvents NONE = (serverId, name, volumeId) -> {};

  /** An in-use volume grew; the server should rescan its disk. */
  String VOLUME_EXTENDED = "volume-extended";

  /**
   * Tells Compute about volume {@code volumeId} attached to server {@code serverId}. Called after
   * the change is committed; a receiver that fails must not undo it.
   */
  void send(String serverId, String name, String volumeId);
}
