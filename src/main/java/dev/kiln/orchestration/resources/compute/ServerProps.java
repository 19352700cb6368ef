package dev.kiln.orchestration.resources.compute;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.compute.servers.BlockDevice;
import dev.kiln.compute.servers.BootDisks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A server's resolved properties, read once into values: what create, update and claims work
 * from. Reading never calls a service.
 */
record ServerProps(
    String name,
    String image,
    String flavor,
    String flavorUpdatePolicy,
    String imageUpdatePolicy,
    String keyName,
    String availabilityZone,
    List<String> securityGroups,
    List<NetworkEntry> networks,
    Map<String, String> metadata,
    String userDataFormat,
    String userData,
    String userDataUpdatePolicy,
    boolean configDrive,
    String adminPass,
    String groupHint,
    List<String> tags,
    List<VolumeMapping> volumes) {

  /**
   * One entry of {@code networks}.
   *
   * @param network the network (name or id) of a port to make, or null
   * @param subnet the subnet (name or id) of a port to make, or null
   * @param port a user's port (id or name), or null
   * @param allocate {@code auto} or {@code none}, alone in its entry, or null
   */
  record NetworkEntry(
      String network, String subnet, String fixedIp, String port, String floatingIp, String tag, String allocate) {

    /** Whether Heat makes the port of this entry (Heat's internal port). */
    boolean madeByHeat() {
      return port == null && allocate == null && (network != null || subnet != null);
    }

    /** What decides which port serves the entry: the tag and floating IP can change without a new port. */
    NetworkEntry interfaceKey() {
      return new NetworkEntry(network, subnet, fixedIp, port, null, null, allocate);
    }
  }

  /** A block device mapping (either format) as Nova's API takes it, with the volume it names. */
  record VolumeMapping(BootDisks.Mapping mapping, String volumeId) {}

  static ServerProps of(JsonNode p) {
    List<NetworkEntry> networks = new ArrayList<>();
    for (JsonNode n : list(p.get("networks"))) {
      String network = text(n, "network");
      if (network == null) {
        network = text(n, "uuid");
      }
      networks.add(
          new NetworkEntry(
              network, text(n, "subnet"), text(n, "fixed_ip"), text(n, "port"), text(n, "floating_ip"),
              text(n, "tag"), text(n, "allocate_network")));
    }
    List<String> groups = new ArrayList<>();
    list(p.get("security_groups")).forEach(g -> groups.add(g.asText()));
    List<String> tags = new ArrayList<>();
    list(p.get("tags")).forEach(t -> tags.add(t.asText()));
    Map<String, String> metadata = new LinkedHashMap<>();
    JsonNode meta = p.get("metadata");
    if (meta != null && meta.isObject()) {
      // As Heat's meta_serialize: values that are not strings go to Nova as JSON.
      meta.fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().isTextual() ? e.getValue().textValue() : e.getValue().toString()));
    }
    JsonNode hints = p.get("scheduler_hints");
    String group = hints != null && hints.hasNonNull("group") ? hints.get("group").asText() : null;
    return new ServerProps(
        text(p, "name"), text(p, "image"), text(p, "flavor"),
        textOr(p, "flavor_update_policy", "RESIZE"), textOr(p, "image_update_policy", "REBUILD"),
        text(p, "key_name"), text(p, "availability_zone"), List.copyOf(groups), List.copyOf(networks),
        metadata, textOr(p, "user_data_format", "HEAT_CFNTOOLS"), textOr(p, "user_data", ""),
        textOr(p, "user_data_update_policy", "REPLACE"),
        p.path("config_drive").asBoolean(false), text(p, "admin_pass"), group, List.copyOf(tags), volumes(p));
  }

  /** Both mapping formats, as Heat's {@code _build_block_device_mapping(_v2)} turn them into Nova's. */
  private static List<VolumeMapping> volumes(JsonNode p) {
    List<VolumeMapping> out = new ArrayList<>();
    for (JsonNode m : list(p.get("block_device_mapping"))) {
      String device = text(m, "device_name");
      String volume = text(m, "volume_id");
      String snapshot = text(m, "snapshot_id");
      BlockDevice.Source source = snapshot != null ? BlockDevice.Source.SNAPSHOT : BlockDevice.Source.VOLUME;
      // The first format boots from the device named vda.
      Integer bootIndex = "vda".equals(device) || "/dev/vda".equals(device) ? 0 : null;
      out.add(new VolumeMapping(
          new BootDisks.Mapping(
              bootIndex, source, false, snapshot != null ? snapshot : volume, integer(m, "volume_size"), null, device,
              m.path("delete_on_termination").asBoolean(false), null),
          snapshot == null ? volume : null));
    }
    for (JsonNode m : list(p.get("block_device_mapping_v2"))) {
      String volume = text(m, "volume_id");
      String snapshot = text(m, "snapshot_id");
      String image = text(m, "image") != null ? text(m, "image") : text(m, "image_id");
      Integer bootIndex = integer(m, "boot_index");
      boolean delete = m.path("delete_on_termination").asBoolean(false);
      BootDisks.Mapping mapping;
      if (volume != null || snapshot != null || image != null) {
        BlockDevice.Source source =
            volume != null ? BlockDevice.Source.VOLUME : snapshot != null ? BlockDevice.Source.SNAPSHOT : BlockDevice.Source.IMAGE;
        String uuid = volume != null ? volume : snapshot != null ? snapshot : image;
        // As Heat: a volume, snapshot or image mapping boots (index 0) unless it says otherwise.
        mapping = new BootDisks.Mapping(
            bootIndex == null ? 0 : bootIndex, source, false, uuid, integer(m, "volume_size"), null,
            text(m, "device_name"), delete, null);
      } else {
        // swap or ephemeral: a blank local disk, which Compute refuses with its own message.
        Integer size = integer(m, "swap_size") != null ? integer(m, "swap_size") : integer(m, "ephemeral_size");
        mapping = new BootDisks.Mapping(-1, BlockDevice.Source.BLANK, true, null, size, null, text(m, "device_name"), true, null);
      }
      out.add(new VolumeMapping(mapping, volume));
    }
    return List.copyOf(out);
  }

  /** The volumes the server holds for as long as it has them: its mappings' existing volumes. */
  List<String> volumeIds() {
    return volumes.stream().map(VolumeMapping::volumeId).filter(v -> v != null).toList();
  }

  List<String> userPorts() {
    return networks.stream().map(NetworkEntry::port).filter(p -> p != null).toList();
  }

  static Iterable<JsonNode> list(JsonNode node) {
    return node != null && node.isArray() ? node : List.of();
  }

  static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() || (v.isTextual() && v.textValue().isEmpty()) ? null : v.asText();
  }

  private static String textOr(JsonNode node, String field, String otherwise) {
    String v = text(node, field);
    return v == null ? otherwise : v;
  }

  private static Integer integer(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    return v.isNumber() ? v.intValue() : Integer.valueOf(v.asText());
  }
}
