package dev.kiln.orchestration.resources.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.network.Network;
import dev.kiln.network.Networks;
import dev.kiln.network.Subnet;
import dev.kiln.orchestration.resources.Props;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.ResourceError;
import dev.kiln.orchestration.resources.Schemas;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import java.util.List;
import java.util.Set;

/**
 * {@code OS::Neutron::Net}: a network, made with its tags in one request. Everything but {@code
 * tenant_id} and {@code availability_zone_hints} changes in place.
 */
final class NetResource extends NeutronResourceType {
  static final String TYPE = "OS::Neutron::Net";
  /** What Kiln's Networking takes in a network request besides the properties. */
  static final Set<String> VALUE_SPEC_KEYS = Set.of("description", "mtu", "router:external");

  private static final ResourceSchema SCHEMA =
      Schemas.of(
          TYPE,
          "A Neutron network: an isolated layer-2 broadcast domain, private to its project unless shared.",
          "2014.1",
          Props.properties(
              "name", Props.string("Name of the network; need not be unique.").updatable(),
              "value_specs",
              Props.map("Extra attributes for the network request, as Neutron names them.")
                  .defaultValue(JsonNodeFactory.instance.objectNode()).updatable(),
              "admin_state_up", Props.bool("Administrative state of the network.").defaultValue(true).updatable(),
              "tenant_id",
              Props.string("Project that owns the network; only admins may name a project other than their own."),
              "shared", Props.bool("Whether every project may use the network (admins only).").defaultValue(false).updatable(),
              "dhcp_agent_ids", Props.list("DHCP agents to schedule the network on (admins only).").updatable(),
              "port_security_enabled",
              Props.bool("Default port security of the ports made on this network.").updatable().since("5.0.0"),
              "qos_policy",
              Props.string("Name or id of the QoS policy of the network.").custom("neutron.qos_policy").updatable()
                  .since("6.0.0"),
              "dns_domain",
              Props.string("DNS domain of the network.").custom("dns_domain").updatable().since("7.0.0"),
              "availability_zone_hints",
              Props.list("Availability zones the network may be placed in.").since("19.0.0"),
              "tags", Props.list("Tags for the network.").item(Props.string(null)).updatable().since("9.0.0")),
          Props.attributes(
              "status", attr("Status of the network.", "string"),
              "name", attr("Name of the network.", "string"),
              "subnets", attr("Ids of the network's subnets.", "list"),
              "admin_state_up", attr("Administrative state of the network.", "string"),
              "tenant_id", attr("Project that owns the network.", "string"),
              "port_security_enabled", attr("Port security of the network.", "boolean", "5.0.0"),
              "mtu", attr("Largest packet (bytes) the network carries.", "integer", "5.0.0"),
              "qos_policy_id", attr("Id of the network's QoS policy.", "string", "6.0.0"),
              "l2_adjacency", attr("Whether the whole network is one layer-2 domain.", "boolean", "9.0.0"),
              "segments", attr("Segments of the network.", "list", "11.0.0")));

  NetResource(Neutron neutron) {
    super(neutron);
  }

  @Override
  public ResourceSchema schema() {
    return SCHEMA;
  }

  @Override
  String kind() {
    return "networks";
  }

  @Override
  public void create(ResourceContext context) throws Exception {
    Neutron.rememberOwner(context);
    String id = neutron.existing(context, kind());
    if (id == null) {
      JsonNode props = context.properties();
      ValueSpecs.check(props, SCHEMA.properties().keySet());
      ObjectNode specs = ValueSpecs.of(props);
      ValueSpecs.allowOnly(specs, VALUE_SPEC_KEYS);
      unsupported(props);
      Networks.Spec spec =
          new Networks.Spec(
              Read.text(props, "tenant_id"), name(context), ValueSpecs.text(specs, "description"),
              Read.bool(props, "admin_state_up"), Read.bool(props, "shared"),
              ValueSpecs.bool(specs, "router:external"), ValueSpecs.integer(specs, "mtu"),
              Read.bool(props, "port_security_enabled"));
      List<String> tags = Neutron.tagsWithMark(Read.strings(props, "tags"), context.id());
      id = NeutronErrors.call(
          () -> neutron.net.networks().createAll(context.owner(), List.of(spec), List.of(tags)).getFirst().id());
    }
    context.physicalId(id);
  }

  /** Properties Heat passes to Neutron extensions Kiln's Networking does not have. */
  static void unsupported(JsonNode props) throws ResourceError {
    List<String> agents = Read.strings(props, "dhcp_agent_ids");
    if (agents != null && !agents.isEmpty()) {
      // Heat lists the agents hosting the network first; without the agent scheduler that is a 404.
      throw NeutronErrors.heat("NotFound", "The resource could not be found.");
    }
    if (Read.text(props, "dns_domain") != null) {
      throw ValueSpecs.unknownField("dns_domain", Set.of());
    }
    List<String> zones = Read.strings(props, "availability_zone_hints");
    if (zones != null && !zones.isEmpty()) {
      throw NeutronErrors.heat(
          "BadRequest", "Invalid input for field 'availability_zone_hints': Kiln supports only an empty list here.");
    }
  }

  @Override
  public void update(ResourceContext context, JsonNode previous) throws Exception {
    JsonNode props = context.properties();
    String id = context.physicalId();
    ValueSpecs.check(props, SCHEMA.properties().keySet());
    ObjectNode specs = ValueSpecs.changed(previous, props);
    ValueSpecs.allowOnly(specs, VALUE_SPEC_KEYS);
    unsupported(props);
    if (Read.changed(previous, props, "tags")) {
      setTags(context, id, Read.strings(props, "tags"));
    }
    Networks.Spec spec =
        new Networks.Spec(
            null,
            Read.changed(previous, props, "name") ? name(context) : null,
            ValueSpecs.text(specs, "description"),
            Read.changed(previous, props, "admin_state_up") ? Read.bool(props, "admin_state_up") : null,
            Read.changed(previous, props, "shared") ? Read.bool(props, "shared") : null,
            ValueSpecs.bool(specs, "router:external"),
            ValueSpecs.integer(specs, "mtu"),
            Read.changed(previous, props, "port_security_enabled") ? Read.bool(props, "port_security_enabled") : null);
    if (!spec.equals(new Networks.Spec(null, null, null, null, null, null, null, null))) {
      NeutronErrors.call(() -> neutron.net.networks().update(context.owner(), id, spec));
    }
  }

  @Override
  ObjectNode show(Actor actor, String id) {
    Network network = neutron.net.networks().visible(actor, id);
    List<String> subnets =
        neutron.net.subnets().list(actor).stream().filter(s -> s.networkId().equals(id)).map(Subnet::id).toList();
    return NeutronViews.network(network, subnets, tags(id));
  }

  @Override
  void remove(Actor actor, String id) {
    neutron.net.networks().delete(actor, id);
  }

  @Override
  JsonNode attribute(Actor owner, ObjectNode shown, String name) {
    if (name.equals("segments")) {
      // Kiln's networks have no segments extension: one implicit segment, which Neutron does not list.
      return JsonNodeFactory.instance.arrayNode();
    }
    return shown.get(name);
  }
}
