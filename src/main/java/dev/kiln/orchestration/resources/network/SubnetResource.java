package dev.kiln.orchestration.resources.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.network.Subnet;
import dev.kiln.network.Subnets;
import dev.kiln.orchestration.resources.Props;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.ResourceError;
import dev.kiln.orchestration.resources.Schemas;
import dev.kiln.orchestration.template.schema.Constraint;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code OS::Neutron::Subnet}: an address block on a network, its own CIDR or cut from a subnet
 * pool. Name, DNS servers, gateway, DHCP, pools, routes and tags change in place; the network, the
 * CIDR and the IP version replace it.
 */
final class SubnetResource extends NeutronResourceType {
  static final String TYPE = "OS::Neutron::Subnet";
  static final Set<String> VALUE_SPEC_KEYS = Set.of("description", "use_default_subnetpool");
  private static final String[] IPV6_MODES = {"dhcpv6-stateful", "dhcpv6-stateless", "slaac"};

  private static final ResourceSchema SCHEMA =
      Schemas.of(
          TYPE,
          "A Neutron subnet: a block of addresses on a network, from which its ports get theirs.",
          "2014.1",
          Props.properties(
              "network_id",
              Props.string(null).custom("neutron.network").support("HIDDEN", "5.0.0", "Use property network."),
              "network",
              Props.string("Name or id of the network (network_id, deprecated, may stand in).").required()
                  .custom("neutron.network").since("2014.2"),
              "subnetpool",
              Props.string("Name or id of the subnet pool to cut the subnet from.").custom("neutron.subnetpool")
                  .since("6.0.0"),
              "prefixlen",
              Props.integer("Prefix length of a subnet cut from a pool.").range(0.0, null).since("6.0.0"),
              "cidr", Props.string("The subnet's CIDR.").custom("net_cidr"),
              "value_specs",
              Props.map("Extra attributes for the subnet request, as Neutron names them.")
                  .defaultValue(JsonNodeFactory.instance.objectNode()).updatable(),
              "name", Props.string("Name of the subnet.").updatable(),
              "ip_version",
              Props.integer("IP version: 4 or 6.").defaultValue(4)
                  .constraint(new Constraint.AllowedValues(List.of(IntNode.valueOf(4), IntNode.valueOf(6)), null)),
              "dns_nameservers",
              Props.list("DNS servers handed to the subnet's ports.").defaultValue(JsonNodeFactory.instance.arrayNode())
                  .updatable(),
              "gateway_ip",
              Props.string("Gateway address; empty for none, left out (or \"auto\") for the first free address.")
                  .updatable(),
              "enable_dhcp", Props.bool("Whether DHCP serves the subnet.").defaultValue(true).updatable(),
              "allocation_pools",
              Props.list("Ranges ports get addresses from.")
                  .item(Props.map(null)
                      .key("start", Props.string("First address of the range.").required().custom("ip_addr"))
                      .key("end", Props.string("Last address of the range.").required().custom("ip_addr")))
                  .updatable(),
              "tenant_id", Props.string("Project that owns the subnet; only admins may name another project."),
              "host_routes",
              Props.list("Static routes handed to the subnet's ports.")
                  .item(Props.map(null)
                      .key("destination", Props.string("Destination CIDR of the route.").required().custom("net_cidr"))
                      .key("nexthop", Props.string("Next hop of the route.").required().custom("ip_addr")))
                  .updatable(),
              "ipv6_ra_mode", Props.string("IPv6 router advertisement mode.").allowed(IPV6_MODES).since("2015.1"),
              "ipv6_address_mode", Props.string("IPv6 address mode.").allowed(IPV6_MODES).since("2015.1"),
              "segment",
              Props.string("Name or id of the segment of the subnet.").custom("neutron.segment").updatable()
                  .since("9.0.0"),
              "tags", Props.list("Tags for the subnet.").item(Props.string(null)).updatable().since("9.0.0")),
          Props.attributes(
              "name", attr("Name of the subnet.", "string"),
              "network_id", attr("Network of the subnet.", "string"),
              "tenant_id", attr("Project that owns the subnet.", "string"),
              "allocation_pools", attr("Address ranges of the subnet.", "list"),
              "gateway_ip", attr("Gateway address of the subnet.", "string"),
              "host_routes", attr("Static routes of the subnet.", "list"),
              "ip_version", attr("IP version of the subnet.", "string"),
              "cidr", attr("CIDR of the subnet.", "string"),
              "dns_nameservers", attr("DNS servers of the subnet.", "list"),
              "enable_dhcp", attr("Whether DHCP serves the subnet.", "string")))
          .translating("network_id", "network");

  SubnetResource(Neutron neutron) {
    super(neutron);
  }

  @Override
  public ResourceSchema schema() {
    return SCHEMA;
  }

  @Override
  String kind() {
    return "subnets";
  }

  @Override
  public void create(ResourceContext context) throws Exception {
    Neutron.rememberOwner(context);
    String id = neutron.existing(context, kind());
    if (id == null) {
      JsonNode props = context.properties();
      validate(props);
      ValueSpecs.check(props, SCHEMA.properties().keySet());
      ObjectNode specs = ValueSpecs.of(props);
      ValueSpecs.allowOnly(specs, VALUE_SPEC_KEYS);
      unsupported(props);
      Actor owner = context.owner();
      String network = neutron.lookup.id(owner, Lookup.Kind.NETWORK, Read.required(props, context.name(), "network", "network_id"));
      String pool = Read.text(props, "subnetpool");
      String poolId = pool == null ? null : neutron.lookup.id(owner, Lookup.Kind.SUBNETPOOL, pool);
      String gateway = Read.text(props, "gateway_ip");
      boolean gatewayGiven = gateway != null && !gateway.equals("auto");
      Subnets.Spec spec =
          new Subnets.Spec(
              Read.text(props, "tenant_id"), network, name(context), ValueSpecs.text(specs, "description"),
              Read.integer(props, "ip_version"), Read.text(props, "cidr"), gatewayGiven,
              gatewayGiven && !gateway.isEmpty() && !gateway.equals("~") ? gateway : null,
              Read.bool(props, "enable_dhcp"), pools(props), Read.strings(props, "dns_nameservers"), routes(props),
              Read.text(props, "ipv6_ra_mode"), Read.text(props, "ipv6_address_mode"), poolId,
              Read.integer(props, "prefixlen"), ValueSpecs.bool(specs, "use_default_subnetpool"));
      List<String> tags = Neutron.tagsWithMark(Read.strings(props, "tags"), context.id());
      id = NeutronErrors.call(() -> neutron.net.subnets().createAll(owner, List.of(spec), List.of(tags)).getFirst().id());
    }
    context.physicalId(id);
  }

  /**
   * Heat's checks before anything runs. With every value known they are the create's; a value
   * that needs another resource counts as given.
   */
  @Override
  public void validate(dev.kiln.orchestration.template.KnownProperties p) {
    try {
      if (p.pending().isEmpty()) {
        validate(p.known());
        return;
      }
      boolean pool = p.given("subnetpool");
      boolean cidr = p.given("cidr") && !(p.value("cidr") != null && p.value("cidr").asText().isEmpty());
      if (pool && cidr) {
        throw conflict("subnetpool, cidr");
      }
      if (!pool && !cidr) {
        throw NeutronErrors.heat(
            "PropertyUnspecifiedError", "At least one of the following properties must be specified: subnetpool, cidr.");
      }
    } catch (ResourceError refused) {
      throw dev.kiln.common.ServiceException.invalid(refused.heatType(), refused.getMessage());
    } catch (NumberFormatException notANumber) {
      // the schema check names the property that is not a number
    }
  }

  /** Heat's checks of the property combinations. */
  private static void validate(JsonNode props) throws ResourceError {
    boolean pool = Read.text(props, "subnetpool") != null;
    String cidr = Read.text(props, "cidr");
    boolean hasCidr = cidr != null && !cidr.isEmpty();
    if (pool && hasCidr) {
      throw conflict("subnetpool, cidr");
    }
    if (!pool && !hasCidr) {
      throw NeutronErrors.heat(
          "PropertyUnspecifiedError", "At least one of the following properties must be specified: subnetpool, cidr.");
    }
    Integer prefixlen = Read.integer(props, "prefixlen");
    if (prefixlen != null && prefixlen != 0 && hasCidr) {
      throw conflict("prefixlen, cidr");
    }
    String ra = Read.text(props, "ipv6_ra_mode");
    String address = Read.text(props, "ipv6_address_mode");
    Integer version = Read.integer(props, "ip_version");
    if ((version == null || version == 4) && (ra != null || address != null)) {
      throw NeutronErrors.heat("StackValidationFailed", "ipv6_ra_mode and ipv6_address_mode are not supported for ipv4.");
    }
    if (ra != null && address != null && !ra.equals(address)) {
      throw NeutronErrors.heat(
          "StackValidationFailed", "When both ipv6_ra_mode and ipv6_address_mode are set, they must be equal.");
    }
  }

  static ResourceError conflict(String properties) {
    return NeutronErrors.heat(
        "ResourcePropertyConflict", "Cannot define the following properties at the same time: " + properties + ".");
  }

  private static void unsupported(JsonNode props) throws ResourceError {
    if (Read.text(props, "segment") != null) {
      throw ValueSpecs.unknownField("segment_id", Set.of());
    }
  }

  private static List<Subnet.Pool> pools(JsonNode props) {
    JsonNode pools = Read.node(props, "allocation_pools");
    if (pools == null) {
      return null;
    }
    List<Subnet.Pool> out = new ArrayList<>();
    pools.forEach(p -> out.add(new Subnet.Pool(p.path("start").asText(), p.path("end").asText())));
    return out;
  }

  private static List<Subnet.Route> routes(JsonNode props) {
    JsonNode routes = Read.node(props, "host_routes");
    if (routes == null) {
      return null;
    }
    List<Subnet.Route> out = new ArrayList<>();
    routes.forEach(r -> out.add(new Subnet.Route(r.path("destination").asText(), r.path("nexthop").asText())));
    return out;
  }

  @Override
  public void update(ResourceContext context, JsonNode previous) throws Exception {
    JsonNode props = context.properties();
    String id = context.physicalId();
    ValueSpecs.check(props, SCHEMA.properties().keySet());
    ObjectNode specs = ValueSpecs.changed(previous, props);
    ValueSpecs.allowOnly(specs, Set.of("description"));
    unsupported(props);
    boolean gatewayChanged = Read.changed(previous, props, "gateway_ip");
    String gateway = Read.text(props, "gateway_ip");
    if (gatewayChanged && "auto".equals(gateway)) {
      throw NeutronErrors.heat(
          "ResourceActionNotSupported",
          "The value \"auto\" for gateway_ip cannot be used to update an existing subnet. It is only supported during"
              + " subnet creation. is not supported for resource.");
    }
    if (Read.changed(previous, props, "tags")) {
      setTags(context, id, Read.strings(props, "tags"));
    }
    // A list property dropped from the template empties the list, as Heat sends it.
    Subnets.Spec spec =
        new Subnets.Spec(
            null, null, Read.changed(previous, props, "name") ? name(context) : null,
            ValueSpecs.text(specs, "description"), null, null, gatewayChanged,
            gateway == null || gateway.isEmpty() || gateway.equals("~") ? null : gateway,
            Read.changed(previous, props, "enable_dhcp") ? Read.bool(props, "enable_dhcp") : null,
            Read.changed(previous, props, "allocation_pools") ? orEmpty(pools(props)) : null,
            Read.changed(previous, props, "dns_nameservers") ? orEmpty(Read.strings(props, "dns_nameservers")) : null,
            Read.changed(previous, props, "host_routes") ? orEmpty(routes(props)) : null,
            null, null);
    if (!spec.equals(new Subnets.Spec(null, null, null, null, null, null, false, null, null, null, null, null, null, null))) {
      NeutronErrors.call(() -> neutron.net.subnets().update(context.owner(), id, spec));
    }
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  @Override
  ObjectNode show(Actor actor, String id) {
    return NeutronViews.subnet(neutron.net.subnets().visible(actor, id), tags(id));
  }

  @Override
  void remove(Actor actor, String id) {
    neutron.net.subnets().delete(actor, id);
  }
}
