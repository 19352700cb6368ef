package dev.kiln.orchestration.resources.network;

import static dev.kiln.orchestration.resources.network.NeutronResourceType.attr;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kiln.orchestration.resources.Props;
import dev.kiln.orchestration.resources.Schemas;
import dev.kiln.orchestration.template.schema.ResourceSchema;

/** Heat's schema of {@code OS::Neutron::Port}: what may change in place, and what replaces it. */
final class PortSchema {
  private PortSchema() {}

  static final ResourceSchema SCHEMA =
      Schemas.of(
          PortResource.TYPE,
          "A Neutron port: a virtual switch port on a network, with its MAC and fixed addresses, that a server"
              + " plugs into.",
          "2013.1",
          Props.properties(
              "name", Props.string("Name of the port.").updatable(),
              "network_id",
              Props.string(null).custom("neutron.network").support("HIDDEN", "5.0.0", "Use property network."),
              "network",
              Props.string("Name or id of the network of the port (network_id, deprecated, may stand in); a new"
                  + " network replaces the port.")
                  .required().custom("neutron.network").since("2014.2"),
              "device_id", Props.string("Id of the device the port serves.").defaultValue("").updatable(),
              "device_owner",
              Props.string("Owner of the device the port serves (network:router_interface, …).").defaultValue("")
                  .updatable(),
              "fixed_ips",
              Props.list("Addresses wanted for the port.")
                  .item(Props.map(null)
                      .key("subnet_id",
                          Props.string(null).custom("neutron.subnet").support("HIDDEN", "5.0.0", "Use property subnet."))
                      .key("subnet",
                          Props.string("Name or id of the subnet to take the address from.").custom("neutron.subnet")
                              .since("2014.2"))
                      .key("ip_address", Props.string("The address wanted on the subnet.").custom("ip_addr")))
                  .updatable(),
              "security_groups", Props.list("Names or ids of the port's security groups.").updatable(),
              "replacement_policy",
              Props.string("REPLACE_ALWAYS replaces the port on every stack update; AUTO updates it in place.")
                  .defaultValue("AUTO").allowed("REPLACE_ALWAYS", "AUTO").updatable()
                  .support("HIDDEN", "9.0.0", null),
              "dns_name", Props.string("DNS name of the port.").custom("dns_name").updatable().since("7.0.0"),
              "tags", Props.list("Tags for the port.").item(Props.string(null)).updatable().since("9.0.0"),
              "value_specs",
              Props.map("Extra attributes for the port request, as Neutron names them.")
                  .defaultValue(JsonNodeFactory.instance.objectNode()).updatable(),
              "admin_state_up", Props.bool("Administrative state of the port.").defaultValue(true).updatable(),
              "mac_address",
              Props.string("MAC address of the port; changing it needs an admin in Neutron, and an unbound port.")
                  .custom("mac_addr").updatable(),
              "allowed_address_pairs",
              Props.list("Other MAC/IP pairs the port may send from.")
                  .item(Props.map(null)
                      .key("mac_address", Props.string("MAC address of the pair.").custom("mac_addr"))
                      .key("ip_address", Props.string("IP address or CIDR of the pair.").required().custom("ip_or_cidr")))
                  .updatable(),
              "binding:vnic_type",
              Props.string("VNIC type the port is bound with (normal, direct for SR-IOV, …).")
                  .allowed("normal", "direct", "macvtap", "direct-physical", "baremetal", "virtio-forwarder", "smart-nic")
                  .defaultValue("normal").updatable().since("2015.1"),
              "port_security_enabled",
              Props.bool("Whether the port filters traffic (security groups, address pairs).").updatable()
                  .since("5.0.0"),
              "qos_policy",
              Props.string("Name or id of the QoS policy of the port.").custom("neutron.qos_policy").updatable()
                  .since("6.0.0"),
              "propagate_uplink_status",
              Props.bool("Whether the port follows its uplink's status.").updatable().since("15.0.0"),
              "no_fixed_ips", Props.bool("Whether the port has no fixed addresses at all.").defaultValue(false)
                  .updatable().since("16.0.0")),
          Props.attributes(
              "admin_state_up", attr("Administrative state of the port.", "string"),
              "device_id", attr("Id of the device the port serves.", "string"),
              "device_owner", attr("Owner of the device the port serves.", "string"),
              "fixed_ips", attr("Fixed addresses of the port.", "list"),
              "mac_address", attr("MAC address of the port.", "string"),
              "name", attr("Name of the port.", "string"),
              "network_id", attr("Id of the port's network.", "string"),
              "security_groups", attr("Security groups of the port.", "list"),
              "status", attr("Status of the port.", "string"),
              "tenant_id", attr("Project that owns the port.", "string"),
              "allowed_address_pairs", attr("Other MAC/IP pairs the port may send from.", "list"),
              "subnets", attr("The subnets of the port's addresses, in full.", "list"),
              "port_security_enabled", attr("Port security of the port.", "boolean", "5.0.0"),
              "qos_policy_id", attr("Id of the port's QoS policy.", "string", "6.0.0"),
              "dns_assignment", attr("DNS names assigned to the port.", "map", "7.0.0"),
              "network", attr("The port's network, in full.", "map", "11.0.0"),
              "propagate_uplink_status", attr("Whether the port follows its uplink's status.", "boolean", "15.0.0")))
          .translating("network_id", "network");
}
