package dev.kiln.orchestration.resources.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.network.FloatingIp;
import dev.kiln.network.FloatingIps;
import dev.kiln.orchestration.resources.Props;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.ResourceError;
import dev.kiln.orchestration.resources.Schemas;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import java.util.Objects;
import java.util.Set;

/**
 * {@code OS::Neutron::FloatingIP}: an address allocated on an external network, mapped to a port
 * when the template names one. The port and fixed address change in place (the floating IP moves);
 * anything else allocates a new address.
 */
final class FloatingIpResource extends NeutronResourceType {
  static final String TYPE = "OS::Neutron::FloatingIP";
  static final Set<String> VALUE_SPEC_KEYS = Set.of("description");

  private static final ResourceSchema SCHEMA =
      Schemas.of(
          TYPE,
          "A Neutron floating IP: an address on an external network that can be mapped to a port's fixed address.",
          "2013.1",
          Props.properties(
              "floating_network_id",
              Props.string(null).custom("neutron.network").support("HIDDEN", "5.0.0", "Use property floating_network."),
              "floating_network",
              Props.string("Name or id of the external network to allocate the address on (floating_network_id,"
                  + " deprecated, may stand in).")
                  .required().custom("neutron.network").since("2014.2"),
              "floating_subnet",
              Props.string("Name or id of the external subnet to allocate the address on.").custom("neutron.subnet")
                  .since("9.0.0"),
              "value_specs",
              Props.map("Extra attributes for the floating IP request, as Neutron names them.")
                  .defaultValue(JsonNodeFactory.instance.objectNode()),
              "port_id",
              Props.string("Id of a port with at least one address to map the floating IP to.").updatable()
                  .custom("neutron.port"),
              "fixed_ip_address",
              Props.string("The port's address to map to, when it has several.").updatable().custom("ip_addr"),
              "floating_ip_address",
              Props.string("The address to allocate (admins only by Neutron's policy).").custom("ip_addr")
                  .since("5.0.0"),
              "dns_name", Props.string("DNS name of the floating IP.").updatable().custom("rel_dns_name").since("7.0.0"),
              "dns_domain",
              Props.string("DNS domain of the floating IP.").updatable().custom("dns_domain").since("7.0.0")),
          Props.attributes(
              "router_id", attr("Router that maps the floating IP, while it is associated.", "string"),
              "tenant_id", attr("Project that owns the floating IP.", "string"),
              "floating_network_id", attr("Network the address is allocated on.", "string"),
              "fixed_ip_address", attr("The port's address it maps to.", "string"),
              "floating_ip_address", attr("The allocated address.", "string"),
              "port_id", attr("The port it maps to.", "string")))
          .translating("floating_network_id", "floating_network");

  FloatingIpResource(Neutron neutron) {
    super(neutron);
  }

  @Override
  public ResourceSchema schema() {
    return SCHEMA;
  }

  @Override
  String kind() {
    return "floatingips";
  }

  /** Heat's implicit dependencies of this type: see {@link NeutronDependencies}. */
  @Override
  public java.util.Set<String> implicitDependencies(
      dev.kiln.orchestration.template.TemplateResource resource,
      java.util.List<dev.kiln.orchestration.template.TemplateResource> all) {
    return NeutronDependencies.ofFloatingIp(resource, all);
  }

  @Override
  public void create(ResourceContext context) throws Exception {
    Neutron.rememberOwner(context);
    JsonNode props = context.properties();
    Actor owner = context.owner();
    if (Read.text(props, "fixed_ip_address") != null && Read.text(props, "port_id") == null) {
      throw NeutronErrors.heat("ResourcePropertyDependency", "fixed_ip_address specified without port_id.");
    }
    String id = neutron.existing(context, kind());
    String network = neutron.lookup.id(owner, Lookup.Kind.NETWORK,
        Read.required(props, context.name(), "floating_network", "floating_network_id"));
    String port = Read.text(props, "port_id");
    if (id == null) {
      id = neutron.unmarked(
          context, neutron.net.floatingIps().list(owner),
          f -> f.floatingNetworkId().equals(network) && Objects.equals(f.portId(), port), FloatingIp::id,
          FloatingIp::createdAt);
    }
    if (id == null) {
      ValueSpecs.check(props, SCHEMA.properties().keySet());
      ObjectNode specs = ValueSpecs.of(props);
      ValueSpecs.allowOnly(specs, VALUE_SPEC_KEYS);
      unsupported(props);
      String subnet = Read.text(props, "floating_subnet");
      FloatingIps.Spec spec =
          new FloatingIps.Spec(
              null, network, Read.text(props, "floating_ip_address"),
              subnet == null ? null : neutron.lookup.id(owner, Lookup.Kind.SUBNET, subnet), port,
              Read.text(props, "fixed_ip_address"), ValueSpecs.text(specs, "description"));
      id = NeutronErrors.call(() -> neutron.net.floatingIps().create(owner, spec).id());
    }
    context.physicalId(id);
    setTags(context, id, null);
  }

  private static void unsupported(JsonNode props) throws ResourceError {
    for (String field : new String[] {"dns_name", "dns_domain"}) {
      if (Read.text(props, field) != null) {
        throw ValueSpecs.unknownField(field, Set.of());
      }
    }
  }

  @Override
  public void update(ResourceContext context, JsonNode previous) throws Exception {
    JsonNode props = context.properties();
    unsupported(props);
    if (Read.changed(previous, props, "port_id") || Read.changed(previous, props, "fixed_ip_address")) {
      if (Read.text(props, "fixed_ip_address") != null && Read.text(props, "port_id") == null) {
        throw NeutronErrors.heat("ResourcePropertyDependency", "fixed_ip_address specified without port_id.");
      }
      FloatingIps.Change change =
          new FloatingIps.Change(true, Read.text(props, "port_id"), Read.text(props, "fixed_ip_address"), null);
      NeutronErrors.call(() -> neutron.net.floatingIps().update(context.owner(), context.physicalId(), change, null));
    }
  }

  @Override
  ObjectNode show(Actor actor, String id) {
    return NeutronViews.floatingIp(neutron.net.floatingIps().visible(actor, id), tags(id));
  }

  @Override
  void remove(Actor actor, String id) {
    neutron.net.floatingIps().delete(actor, id);
  }
}
