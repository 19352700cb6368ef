package dev.kiln.orchestration.resources.compute;

import dev.kiln.orchestration.resources.Props;
import dev.kiln.orchestration.template.schema.ResourceSchema;

/** {@code OS::Nova::Server}'s properties and attributes: Heat's names, types, defaults and update rules. */
final class ServerSchema {
  static final String TYPE = "OS::Nova::Server";

  private ServerSchema() {}

  static final ResourceSchema SCHEMA =
      TypeSchemas.of(
          TYPE,
          "A Compute server (a virtual machine): booted from an image or a volume, connected to networks and"
              + " volumes, resized, rebuilt or replaced when its template changes.",
          "2013.2",
          Props.properties(
              "name", Props.string("The server's name; the physical resource name when not given.").updatable(),
              "image",
              Props.string("Name or id of the image the server boots from.").custom("glance.image").updatable(),
              "block_device_mapping", Props.list("Volumes of the server, in Nova's first mapping format.").item(blockDeviceMapping()),
              "block_device_mapping_v2",
              Props.list("Volumes and local disks of the server, in Nova's second mapping format.")
                  .item(blockDeviceMappingV2())
                  .since("2015.1"),
              "flavor", Props.string("Name or id of the flavor that sizes the server.").required().updatable().custom("nova.flavor"),
              "flavor_update_policy",
              Props.string("What a flavor change does: RESIZE the server in place, or REPLACE it with a new one.")
                  .defaultValue("RESIZE").allowed("RESIZE", "REPLACE").updatable(),
              "image_update_policy",
              Props.string(
                      "What an image change does: REBUILD the server in place (REBUILD_PRESERVE_EPHEMERAL keeps"
                          + " its ephemeral disk), or REPLACE it with a new one.")
                  .defaultValue("REBUILD").allowed("REBUILD", "REPLACE", "REBUILD_PRESERVE_EPHEMERAL").updatable(),
              "key_name", Props.string("Name of the keypair whose public key the server gets.").custom("nova.keypair"),
              "admin_user",
              Props.string("Name of the administrative user on the server (ignored, as in Heat).")
                  .support("HIDDEN", "5.0.0", "Images set up their own default user."),
              "availability_zone", Props.string("The availability zone to place the server in."),
              "security_groups",
              Props.list("Security groups (names or ids) of the ports made for the server; a user's port keeps its own.")
                  .defaultValue(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode()),
              "networks",
              Props.list("The server's network interfaces, in order.").item(network()).updatable(),
              "scheduler_hints", Props.map("Hints for the scheduler; Kiln uses group, a server group's id."),
              "metadata",
              Props.map("Key/value metadata of the server; values that are not strings are stored as JSON.")
                  .updatable().defaultValue(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()),
              "user_data_format",
              Props.string(
                      "How user_data reaches the server: RAW as given, HEAT_CFNTOOLS bundled with the heat-cfntools"
                          + " boot data, SOFTWARE_CONFIG for software deployments (metadata delivered later).")
                  .defaultValue("HEAT_CFNTOOLS").allowed("HEAT_CFNTOOLS", "RAW", "SOFTWARE_CONFIG"),
              "software_config_transport",
              // Heat's default is the operator's default_software_config_transport; Kiln's is the one it has.
              Props.string("How the server fetches its software configuration metadata (Kiln: POLL_SERVER_HEAT).")
                  .defaultValue("POLL_SERVER_HEAT")
                  .allowed("POLL_SERVER_CFN", "POLL_SERVER_HEAT", "POLL_TEMP_URL", "ZAQAR_MESSAGE")
                  .updatable(),
              "user_data_update_policy",
              Props.string("What a user_data change does: REPLACE the server, or IGNORE the change.")
                  .defaultValue("REPLACE").allowed("REPLACE", "IGNORE").updatable().since("6.0.0"),
              "user_data",
              Props.string("Data for cloud-init on the server; a change replaces the server unless ignored.")
                  .defaultValue("").updatable(),
              "reservation_id", Props.string("An id for the set of servers requested together."),
              "config_drive", Props.bool("Whether the server gets a config drive."),
              "diskConfig", Props.string("How the server's disk is partitioned.").allowed("AUTO", "MANUAL"),
              "personality",
              Props.map("Files to write on the server at boot, by path.")
                  .defaultValue(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode())
                  .support("DEPRECATED", "12.0.0", "Use user_data or metadata instead."),
              "admin_pass", Props.string("The server's administrator password.").updatable(),
              "tags", Props.list("The server's tags.").item(Props.string(null)).updatable().since("8.0.0"),
              "deployment_swift_data",
              Props.map("Swift container and object for deployment data (POLL_TEMP_URL).")
                  .defaultValue(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode())
                  .updatable()
                  .key("container", Props.string("Name of the container.").constraint(
                      new dev.kiln.orchestration.template.schema.Constraint.Length(1, null, null)))
                  .key("object", Props.string("Name of the object.").constraint(
                      new dev.kiln.orchestration.template.schema.Constraint.Length(1, null, null)))
                  .since("9.0.0")),
          Props.attributes(
              "name", Props.attribute("The server's name.", "string"),
              "addresses",
              Props.attribute(
                  "The server's addresses by network name and by network id, each with its port, MAC, subnets and"
                      + " network.",
                  "map"),
              "networks", Props.attribute("The server's addresses by network name and by network id.", "map"),
              "first_address",
              new dev.kiln.orchestration.template.schema.AttributeSchema(
                  "The server's first address, or an empty string.", null,
                  new dev.kiln.orchestration.template.schema.SupportStatus(
                      "HIDDEN", "5.0.0", "Use the networks attribute instead of first_address.")),
              "instance_name", Props.attribute("The hypervisor's name for the server.", "string"),
              "accessIPv4", Props.attribute("The server's manually set public IPv4 address.", "string"),
              "accessIPv6", Props.attribute("The server's manually set public IPv6 address.", "string"),
              "console_urls", Props.attribute("URLs of the server's consoles, by console type.", "map"),
              "tags", Props.attribute("The server's tags.", "list"),
              "os_collect_config", Props.attribute("Where the server's agent collects its deployment data.", "map")));

  private static Props network() {
    return Props.map(null)
        .key("uuid", Props.string("Id of the network to make a port on.").custom("neutron.network")
            .support("HIDDEN", "5.0.0", "Use property network."))
        .key("network", Props.string("Name or id of the network to make a port on.").custom("neutron.network"))
        .key("allocate_network",
            Props.string("auto: the one network the project can use; none: no network. Not with other keys.")
                .allowed("none", "auto").updatable().since("9.0.0"))
        .key("fixed_ip", Props.string("The address to give the port made on the network.").custom("ip_addr"))
        .key("port", Props.string("Id of an existing port to plug into the server.").custom("neutron.port"))
        .key("port_extra_properties", Props.map("More properties of the port made for this entry.").since("6.0.0"))
        .key("subnet", Props.string("Subnet to take the port's address from; implies its network.").since("5.0.0"))
        .key("floating_ip", Props.string("Id of a floating IP to associate with this entry's port.").since("6.0.0"))
        .key("tag", Props.string("The interface's device tag; a change is ignored, as Nova cannot change it.").since("9.0.0"));
  }

  private static Props blockDeviceMapping() {
    return Props.map(null)
        .key("device_name", Props.string("The device the volume shows as, such as vda.").required())
        .key("volume_id", Props.string("The volume to attach (or boot from).").custom("cinder.volume"))
        .key("snapshot_id", Props.string("A snapshot to make the volume from.").custom("cinder.snapshot"))
        .key("volume_size", Props.integer("Size of the volume in GB; taken from the source when not given."))
        .key("delete_on_termination", Props.bool("Whether the volume is deleted with the server."));
  }

  private static Props blockDeviceMappingV2() {
    return Props.map(null)
        .key("device_name", Props.string("The device the volume shows as, such as vda."))
        .key("volume_id", Props.string("A volume of the server, to boot from or not.").custom("cinder.volume"))
        .key("image_id", Props.string("An image to make the volume from.").custom("glance.image")
            .support("HIDDEN", "9.0.0", "Use property image."))
        .key("image", Props.string("Name or id of an image to make the volume from.").custom("glance.image").since("7.0.0"))
        .key("snapshot_id", Props.string("A snapshot to make the volume from.").custom("cinder.snapshot"))
        .key("swap_size", Props.integer("Size of a swap disk in MB."))
        .key("ephemeral_size", Props.integer("Size of a local ephemeral disk in GB.").range(1.0, null).since("8.0.0"))
        .key("ephemeral_format", Props.string("File system of the ephemeral disk.")
            .allowed("ext2", "ext3", "ext4", "xfs", "ntfs").since("8.0.0"))
        .key("device_type", Props.string("disk or cdrom.").allowed("cdrom", "disk"))
        .key("disk_bus", Props.string("The bus of the device.").allowed("ide", "lame_bus", "scsi", "usb", "virtio"))
        .key("boot_index", Props.integer("Order among the boot disks; -1 for a disk that is not booted from."))
        .key("volume_size", Props.integer("Size of the volume in GB."))
        .key("delete_on_termination", Props.bool("Whether the volume is deleted with the server."));
  }
}
