package dev.kiln.volume;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;

/**
 * A volume backend that stores nothing and answers like an iSCSI target would. Users test their
 * tools' error paths by giving a volume the metadata {@code kiln:fail=create} (or {@code extend}):
 * the backend then fails that operation, as a real one might.
 */
public final class SimulatedVolumeBackend implements VolumeBackend {
  public static final String FAIL_KEY = "kiln:fail";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Duration latency;

  public SimulatedVolumeBackend(Duration latency) {
    this.latency = latency;
  }

  @Override
  public void create(Volume volume) {
    pause();
    failIfAsked(volume, "create");
  }

  @Override
  public void extend(Volume volume, int newSize) {
    pause();
    failIfAsked(volume, "extend");
  }

  @Override
  public String initializeConnection(Volume volume, String attachmentId, String attachMode, String connectorJson) {
    pause();
    ObjectNode info = JSON.createObjectNode();
    info.put("driver_volume_type", "iscsi");
    ObjectNode data = info.putObject("data");
    data.put("target_iqn", "iqn.2010-10.org.openstack:volume-" + volume.id());
    data.put("target_portal", "127.0.0.1:3260");
    data.put("target_lun", 1);
    data.put("target_discovered", false);
    data.put("auth_method", "CHAP");
    // Stable per attachment, so showing an attachment twice shows the same secret.
    data.put("auth_username", "kiln" + secret(attachmentId, "user").substring(0, 12));
    data.put("auth_password", secret(attachmentId, "password"));
    data.put("access_mode", attachMode);
    data.put("volume_id", volume.id());
    data.put("attachment_id", attachmentId);
    data.put("encrypted", false);
    data.putNull("qos_specs");
    return info.toString();
  }

  @Override
  public void terminateConnection(Volume volume, String connectorJson) {
    pause();
  }

  @Override
  public void delete(Volume volume) {
    pause();
  }

  private static String secret(String attachmentId, String purpose) {
    UUID uuid = UUID.nameUUIDFromBytes((attachmentId + ":" + purpose).getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex((uuid.getMostSignificantBits() + "" + uuid.getLeastSignificantBits()).getBytes(StandardCharsets.UTF_8)).substring(0, 16);
  }

  private static void failIfAsked(Volume volume, String operation) {
    if (operation.equals(volume.metadata().get(FAIL_KEY))) {
      throw new IllegalStateException("simulated backend failure on " + operation + " (metadata " + FAIL_KEY + ")");
    }
  }

  private void pause() {
    if (!latency.isZero()) {
      try {
        Thread.sleep(latency);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }
}
