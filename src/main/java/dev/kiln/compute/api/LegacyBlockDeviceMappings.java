package dev.kiln.compute.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.compute.servers.BlockDevice;
import dev.kiln.compute.servers.BootDisks;
import dev.kiln.http.ApiError;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a create's legacy (v1) {@code block_device_mapping} and turns it into the v2 entries that
 * Compute plans from, following Nova's conversion: a {@code volume_id} entry is a volume kept as a
 * volume, a {@code snapshot_id} entry a new volume from that snapshot, and the entry whose device
 * is the root device ({@code vda}) is the boot disk; every other entry is a non-boot disk (when an
 * image is given and no entry is the root device, the server boots from the image as before).
 */
final class LegacyBlockDeviceMappings {
  private static final String FIELD = "server/block_device_mapping";
  private static final Set<String> FIELDS =
      Set.of(
          "virtual_name", "volume_id", "snapshot_id", "volume_size", "device_name", "delete_on_termination",
          "no_device", "connection_info");
  /** Nova's schema pattern, kept as it is written there (its "_-r" is a range that takes a-r and '`'). */
  private static final String DEVICE_PATTERN = "^[a-zA-Z0-9._-r/]*$";
  private static final Pattern DEVICE = Pattern.compile(DEVICE_PATTERN);
  /** Nova assumes this root device name when converting legacy mappings. */
  private static final String ROOT_DEVICE = "vda";

  private LegacyBlockDeviceMappings() {}

  static List<BootDisks.Mapping> parse(JsonNode mappings) {
    List<BootDisks.Mapping> result = new ArrayList<>();
    if (mappings == null || mappings.isNull()) {
      return result;
    }
    if (!mappings.isArray()) {
      throw Nova.invalid(FIELD, mappings, "is not of type 'array'");
    }
    for (int i = 0; i < mappings.size(); i++) {
      BootDisks.Mapping m = one(mappings.get(i), FIELD + "/" + i);
      if (m != null) {
        result.add(m);
      }
    }
    return result;
  }

  /** One entry as v2, or null for a {@code no_device} entry (which Nova keeps only to drop later). */
  private static BootDisks.Mapping one(JsonNode m, String path) {
    if (!m.isObject()) {
      throw Nova.invalid(path, m, "is not of type 'object'");
    }
    for (Iterator<String> it = m.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!FIELDS.contains(field)) {
        throw Nova.invalid(path, m, "Additional properties are not allowed ('" + field + "' was unexpected)");
      }
    }
    String virtualName = BlockDeviceMappings.text(m, "virtual_name", path);
    String volumeId = BlockDeviceMappings.uuid(m, "volume_id", path);
    String snapshotId = BlockDeviceMappings.uuid(m, "snapshot_id", path);
    String device = BlockDeviceMappings.text(m, "device_name", path);
    if (device != null && (device.isEmpty() || device.length() > 255)) {
      throw Nova.invalid(path + "/device_name", m.get("device_name"), "must be 1 to 255 characters long");
    }
    if (device != null && !DEVICE.matcher(device).matches()) {
      throw Nova.invalid(path + "/device_name", m.get("device_name"), "'" + device + "' does not match '" + DEVICE_PATTERN + "'");
    }
    Integer size = volumeSize(m, path);
    boolean delete = m.hasNonNull("delete_on_termination") && Nova.bool(path + "/delete_on_termination", m.get("delete_on_termination"));
    BlockDevice.Source source;
    String uuid;
    boolean local = false;
    if (virtualName != null && (virtualName.equals("swap") || virtualName.matches("ephemeral[0-9]+"))) {
      // Nova makes these blank local disks; Compute refuses them with its own message.
      source = BlockDevice.Source.BLANK;
      uuid = null;
      local = true;
      delete = true;
    } else if (snapshotId != null && !snapshotId.isEmpty()) {
      source = BlockDevice.Source.SNAPSHOT;
      uuid = snapshotId;
    } else if (volumeId != null && !volumeId.isEmpty()) {
      source = BlockDevice.Source.VOLUME;
      uuid = volumeId;
    } else if (truthy(m.get("no_device"))) {
      return null;
    } else {
      throw ApiError.badRequest("Block Device Mapping is Invalid: Unrecognized legacy format.");
    }
    boolean root = device != null && stripDev(device).equals(ROOT_DEVICE);
    return new BootDisks.Mapping(root ? 0 : null, source, local, uuid, size, null, device, delete, null);
  }

  private static String stripDev(String device) {
    return device.startsWith("/dev/") ? device.substring(5) : device;
  }

  /** {@code no_device} has no type in Nova's schema; it counts when Python would call it true. */
  private static boolean truthy(JsonNode v) {
    if (v == null || v.isNull()) {
      return false;
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isNumber()) {
      return v.doubleValue() != 0;
    }
    if (v.isTextual()) {
      return !v.textValue().isEmpty();
    }
    return v.size() > 0;
  }

  private static Integer volumeSize(JsonNode m, String path) {
    JsonNode v = m.get("volume_size");
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isIntegralNumber() && v.canConvertToInt() && v.intValue() >= 1) {
      return v.intValue();
    }
    if (v.isTextual() && v.textValue().matches("[0-9]{1,9}") && Integer.parseInt(v.textValue()) >= 1) {
      return Integer.parseInt(v.textValue());
    }
    throw Nova.invalid(path + "/volume_size", v, "is not of type 'integer', 'string' of at least 1");
  }
}
