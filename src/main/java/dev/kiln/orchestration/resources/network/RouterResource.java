package dev.kiln.orchestration.resources.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.network.Ports;
import dev.kiln.network.Router;
import dev.kiln.network.Routers;
import dev.kiln.orchestration.resources.Props;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.ResourceError;
import dev.kiln.orchestration.resources.Schemas;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code OS::Neutron::Router}: a router, with its external gateway when the template gives one.
 * Name, gateway, state and tags change in place; {@code distributed}, {@code ha} and {@code
 * tenant_id} replace it.
 */
final class RouterResource extends NeutronResourceType {
  static final String TYPE = "OS::Neutron::Router";
  static final Set<String> VALUE_SPEC_KEYS = Set.of("description");

  private static final ResourceSchema SCHEMA =
      Schemas.of(
          TYPE,
          "A Neutron router: forwards traffic between the subnets it has interfaces on and its external gateway.",
          "2013.1",
          Props.properties(
              "name", Props.string("Name of the router.").updatable(),
              "external_gateway_info",
              Props.map("The router's gateway on an external network.")
                  .key("network", Props.string("Name or id of the external network.").required().updatable())
                  .key("enable_snat",
                      Props.bool("Whether the gateway translates source addresses (admins only by Neutron's policy).")
                          .updatable())
                  .key("external_fixed_ips",
                      Props.list("The gateway's addresses on the external network.")
                          .item(Props.map(null)
                              .key("ip_address", Props.string("An external address.").custom("ip_addr"))
                              .key("subnet", Props.string("Subnet of the external address.").custom("neutron.subnet")))
                          .updatable().since("6.0.0"))
                  .updatable(),
              "value_specs",
              Props.map("Extra attributes for the router request, as Neutron names them.")
                  .defaultValue(JsonNodeFactory.instance.objectNode()).updatable(),
              "admin_state_up", Props.bool("Administrative state of the router.").defaultValue(true).updatable(),
              "l3_agent_id",
              Props.string("Id of the L3 agent of the router (admins only).").updatable()
                  .support("HIDDEN", "6.0.0", null),
              "l3_agent_ids",
              Props.list("Ids of the L3 agents of the router (admins only).").item(Props.string(null)).updatable()
                  .since("2015.1"),
              "distributed", Props.bool("Whether the router is distributed (admins only).").since("2015.1"),
              "ha", Props.bool("Whether the router is highly available (admins only).").since("2015.1"),
              "availability_zone_hints",
              Props.list("Availability zones the router may be placed in.").updatable().since("19.0.0"),
              "tags", Props.list("Tags for the router.").item(Props.string(null)).updatable().since("9.0.0"),
              "tenant_id", Props.string("Project that owns the router (admins only).").since("24.0.0")),
          Props.attributes(
              "status", attr("Status of the router.", "string"),
              "external_gateway_info", attr("The router's gateway.", "map"),
              "name", attr("Name of the router.", "string"),
              "admin_state_up", attr("Administrative state of the router.", "string"),
              "tenant_id", attr("Project that owns the router.", "string")));

  RouterResource(Neutron neutron) {
    super(neutron);
  }

  @Override
  public ResourceSchema schema() {
    return SCHEMA;
  }

  @Override
  String kind() {
    return "routers";
  }

  /** Heat's implicit dependencies of this type: see {@link NeutronDependencies}. */
  @Override
  public java.util.Set<String> implicitDependencies(
      dev.kiln.orchestration.template.TemplateResource resource,
      java.util.List<dev.kiln.orchestration.template.TemplateResource> all) {
    return NeutronDependencies.ofRouter(resource, all);
  }

  @Override
  public void create(ResourceContext context) throws Exception {
    Neutron.rememberOwner(context);
    JsonNode props = context.properties();
    Actor owner = context.owner();
    String id = neutron.existing(context, kind());
    if (id == null) {
      String name = name(context);
      id = neutron.unmarked(context, neutron.net.routers().list(owner), r -> r.name().equals(name), Router::id,
          Router::createdAt);
    }
    if (id == null) {
      ValueSpecs.check(props, SCHEMA.properties().keySet());
      ObjectNode specs = ValueSpecs.of(props);
      ValueSpecs.allowOnly(specs, VALUE_SPEC_KEYS);
      unsupported(props);
      Routers.GatewaySpec gateway = gateway(owner, Read.node(props, "external_gateway_info"));
      Routers.Spec spec =
          new Routers.Spec(
              Read.text(props, "tenant_id"), name(context), ValueSpecs.text(specs, "description"),
              Read.bool(props, "admin_state_up"), gateway != null, gateway, null);
      id = NeutronErrors.call(() -> neutron.net.routers().create(owner, spec).id());
    }
    context.physicalId(id);
    setTags(context, id, Read.strings(props, "tags"));
  }

  private static void unsupported(JsonNode props) throws ResourceError {
    List<String> agents = Read.strings(props, "l3_agent_ids");
    if (Read.text(props, "l3_agent_id") != null && agents != null) {
      throw SubnetResource.conflict("l3_agent_id, l3_agent_ids");
    }
    if (Read.text(props, "l3_agent_id") != null || agents != null && !agents.isEmpty()) {
      // Heat lists the agents hosting the router first; without the L3 agent scheduler that is a 404.
      throw NeutronErrors.heat("NotFound", "The resource could not be found.");
    }
    if (Boolean.TRUE.equals(Read.bool(props, "distributed")) && Boolean.TRUE.equals(Read.bool(props, "ha"))) {
      throw SubnetResource.conflict("distributed, ha");
    }
    for (String field : List.of("distributed", "ha")) {
      if (Boolean.TRUE.equals(Read.bool(props, field))) {
        throw NeutronErrors.heat(
            "BadRequest", "Invalid input for field '" + field + "': Kiln's routers are neither distributed nor HA.");
      }
    }
    List<String> zones = Read.strings(props, "availability_zone_hints");
    if (zones != null && !zones.isEmpty()) {
      throw NeutronErrors.heat(
          "BadRequest", "Invalid input for field 'availability_zone_hints': Kiln supports only an empty list here.");
    }
  }

  /** The gateway the template asks for, its network and subnets found by name or id; null for none. */
  private Routers.GatewaySpec gateway(Actor owner, JsonNode info) throws ResourceError {
    if (info == null) {
      return null;
    }
    String network = neutron.lookup.id(owner, Lookup.Kind.NETWORK, Read.text(info, "network"));
    List<Ports.AddressRequest> ips = null;
    JsonNode fixed = Read.node(info, "external_fixed_ips");
    if (fixed != null) {
      ips = new ArrayList<>();
      for (JsonNode ip : fixed) {
        String subnet = Read.text(ip, "subnet");
        ips.add(new Ports.AddressRequest(
            subnet == null ? null : neutron.lookup.id(owner, Lookup.Kind.SUBNET, subnet), Read.text(ip, "ip_address")));
      }
    }
    return new Routers.GatewaySpec(network, Read.bool(info, "enable_snat"), ips);
  }

  @Override
  public void update(ResourceContext context, JsonNode previous) throws Exception {
    JsonNode props = context.properties();
    Actor owner = context.owner();
    String id = context.physicalId();
    ValueSpecs.check(props, SCHEMA.properties().keySet());
    ObjectNode specs = ValueSpecs.changed(previous, props);
    ValueSpecs.allowOnly(specs, VALUE_SPEC_KEYS);
    unsupported(props);
    if (Read.changed(previous, props, "tags")) {
      setTags(context, id, Read.strings(props, "tags"));
    }
    boolean gatewayChanged = Read.changed(previous, props, "external_gateway_info");
    Routers.Spec spec =
        new Routers.Spec(
            null, Read.changed(previous, props, "name") ? name(context) : null, ValueSpecs.text(specs, "description"),
            Read.changed(previous, props, "admin_state_up") ? Read.bool(props, "admin_state_up") : null,
            gatewayChanged, gatewayChanged ? gateway(owner, Read.node(props, "external_gateway_info")) : null, null);
    if (!spec.equals(new Routers.Spec(null, null, null, null, false, null, null))) {
      NeutronErrors.call(() -> neutron.net.routers().update(owner, id, spec, null));
    }
  }

  @Override
  ObjectNode show(Actor actor, String id) {
    return NeutronViews.router(neutron.net.routers().visible(actor, id), actor.admin(), tags(id));
  }

  @Override
  void remove(Actor actor, String id) {
    neutron.net.routers().delete(actor, id, null);
  }
}
