package dev.kiln.volume;

/**
 * The storage behind volumes, as Cinder's volume drivers are: it creates the bytes and tells a
 * host how to connect. Kiln ships a simulated backend.
 */
public interface VolumeBackend {
  /** Makes a volume's storage; throws when the backend fails (the volume goes to {@code error}). */
  void create(Volume volume);

  /** Grows a volume's storage to {@code newSize} GiB. */
  void extend(Volume volume, int newSize);

  /**
   * Exports the volume to the host described by {@code connectorJson} and answers how to reach
   * it, as the JSON text of a Cinder connection info ({@code driver_volume_type} and {@code data}).
   */
  String initializeConnection(Volume volume, String attachmentId, String attachMode, String connectorJson);

  /** Removes the export made for one host. */
  void terminateConnection(Volume volume, String connectorJson);

  /** Frees a volume's storage. */
  void delete(Volume volume);
}
