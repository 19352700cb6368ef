package dev.kiln.compute.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.compute.servers.BlockDevice;
import dev.kiln.compute.servers.BootDisks;
import dev.kiln.http.ApiRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a create's {@code block_device_mapping_v2} as Nova's schema does: which fields an entry
 * may have at the request's microversion, and their types. What the mappings mean is checked by
 * Compute.
 */
final class BlockDeviceMappings {
  private static final Set<String> FIELDS =
      Set.of(
          "source_type", "destination_type", "uuid", "boot_index", "volume_size", "delete_on_termination",
          "device_name", "guest_format", "device_type", "disk_bus", "no_device", "volume_id", "snapshot_id",
          "image_id", "virtual_name", "connection_info");

  private BlockDeviceMappings() {}

  static List<BootDisks.Mapping> parse(ApiRequest request, JsonNode mappings) {
    List<BootDisks.Mapping> result = new ArrayList<>();
    if (mappings == null || mappings.isNull()) {
      return result;
    }
    if (!mappings.isArray()) {
      throw Nova.invalid("server/block_device_mapping_v2", mappings, "is not of type 'array'");
    }
    for (int i = 0; i < mappings.size(); i++) {
      result.add(one(request, mappings.get(i), "server/block_device_mapping_v2/" + i));
    }
    return result;
  }

  private static BootDisks.Mapping one(ApiRequest request, JsonNode m, String path) {
    if (!m.isObject()) {
      throw Nova.invalid(path, m, "is not of type 'object'");
    }
    for (Iterator<String> it = m.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      boolean known =
          FIELDS.contains(field)
              || (field.equals("tag") && Nova.atLeast(request, 42))
              || (field.equals("volume_type") && Nova.atLeast(request, 67));
      if (!known) {
        throw Nova.invalid(path, m, "Additional properties are not allowed ('" + field + "' was unexpected)");
      }
    }
    String sourceName = text(m, "source_type", path);
    if (sourceName == null) {
      throw Nova.invalid(path, m, "'source_type' is a required property");
    }
    BlockDevice.Source source;
    try {
      source = BlockDevice.Source.valueOf(sourceName.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw Nova.invalid(path + "/source_type", m.get("source_type"), "is not one of ['volume', 'image', 'snapshot', 'blank']");
    }
    String destination = text(m, "destination_type", path);
    if (destination != null && !destination.equals("local") && !destination.equals("volume")) {
      throw Nova.invalid(path + "/destination_type", m.get("destination_type"), "is not one of ['local', 'volume']");
    }
    boolean local =
        destination == null
            ? source == BlockDevice.Source.IMAGE || source == BlockDevice.Source.BLANK
            : destination.equals("local");
    String uuid = uuid(m, "uuid", path);
    boolean delete = m.hasNonNull("delete_on_termination") && Nova.bool(path + "/delete_on_termination", m.get("delete_on_termination"));
    return new BootDisks.Mapping(
        integer(m, "boot_index", path, true),
        source,
        local,
        uuid,
        integer(m, "volume_size", path, false),
        text(m, "volume_type", path),
        text(m, "device_name", path),
        delete,
        text(m, "tag", path));
  }

  /** A string field of a mapping entry, or null; any other type is Nova's schema error. */
  static String text(JsonNode m, String field, String path) {
    JsonNode v = m.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw Nova.invalid(path + "/" + field, v, "is not of type 'string'");
    }
    return v.textValue();
  }

  /** A string field of a mapping entry that must look like a UUID, or null. */
  static String uuid(JsonNode m, String field, String path) {
    String v = text(m, field, path);
    if (v != null && !Nova.isUuidLike(v)) {
      throw Nova.invalid(path + "/" + field, m.get(field), "is not a 'uuid'");
    }
    return v;
  }

  /** An integer field, given as a number or its digits; boot_index also takes "none" and negatives. */
  private static Integer integer(JsonNode m, String field, String path, boolean signed) {
    JsonNode v = m.get(field);
    if (v == null || v.isNull() || (v.isTextual() && v.textValue().equalsIgnoreCase("none"))) {
      return null;
    }
    if (v.isIntegralNumber() && v.canConvertToInt()) {
      return v.intValue();
    }
    if (v.isTextual() && v.textValue().matches(signed ? "-?[0-9]{1,9}" : "[0-9]{1,9}")) {
      return Integer.parseInt(v.textValue());
    }
    throw Nova.invalid(path + "/" + field, v, "is not of type 'integer', 'string'");
  }
}
