package dev.kiln.orchestration.resources.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.network.Networks;
import dev.kiln.orchestration.resources.NestedStacks;
import dev.kiln.orchestration.resources.Props;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.ResourceState;
import dev.kiln.orchestration.resources.Schemas;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import java.util.List;

/**
 * {@code OS::Neutron::ProviderNet}: a network with its physical realisation named (type, physical
 * network, segmentation id), admins only as in Neutron's default policy.
 *
 * <p>Kiln has no data plane, and its Networking has no {@code provider} extension yet: the network
 * is made for real (shared, external, port security, tags), while the three provider attributes
 * are checked as Heat checks them and kept with the resource, where its {@code show} attribute
 * answers them as {@code provider:*} fields; {@code openstack network show} does not list them.
 */
final class ProviderNetResource extends NeutronResourceType {
  static final String TYPE = "OS::Neutron::ProviderNet";
  private static final List<String> TYPES = List.of("local", "vlan", "vxlan", "gre", "geneve", "flat");

  private static final ResourceSchema SCHEMA =
      Schemas.of(
          TYPE,
          "A Neutron provider network: a network whose physical realisation is given. Admins only by default.",
          "2014.1",
          Props.properties(
              "name", Props.string("Name of the network; need not be unique.").updatable(),
              "network_type",
              Props.string("Provider network type.").required().updatable().allowed(TYPES.toArray(String[]::new)),
              "physical_network", Props.string("Physical network the network maps to.").updatable(),
              "segmentation_id", Props.string("Segmentation id (VLAN id, tunnel id) of the network.").updatable(),
              "admin_state_up", Props.bool("Administrative state of the network.").defaultValue(true).updatable(),
              "shared", Props.bool("Whether every project may use the network.").defaultValue(true).updatable(),
              "port_security_enabled",
              Props.bool("Default port security of the ports made on this network.").updatable().since("8.0.0"),
              "router_external",
              Props.bool("Whether the network is external (routers' gateways, floating IPs).").defaultValue(false)
                  .updatable().since("6.0.0"),
              "dns_domain",
              Props.string("DNS domain of the network.").custom("dns_domain").updatable().since("15.0.0"),
              "availability_zone_hints",
              Props.list("Availability zones the network may be placed in.").updatable().since("19.0.0"),
              "tags", Props.list("Tags for the network.").item(Props.string(null)).updatable().since("12.0.0"),
              "tenant_id", Props.string("Project that owns the network.").since("24.0.0")),
          Props.attributes(
              "status", attr("Status of the network.", "string"),
              "subnets", attr("Ids of the network's subnets.", "list"),
              "segments", attr("Segments of the network.", "list", "16.0.0")));

  private final NetResource plain;

  ProviderNetResource(Neutron neutron, NetResource plain) {
    super(neutron);
    this.plain = plain;
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
    JsonNode props = context.properties();
    check(context.owner(), props, "create_network");
    keepProvider(context);
    String id = neutron.existing(context, kind());
    if (id == null) {
      NetResource.unsupported(props);
      Networks.Spec spec =
          new Networks.Spec(
              Read.text(props, "tenant_id"), name(context), null, Read.bool(props, "admin_state_up"),
              Read.bool(props, "shared"), Read.bool(props, "router_external"), null,
              Read.bool(props, "port_security_enabled"));
      List<String> tags = Neutron.tagsWithMark(Read.strings(props, "tags"), context.id());
      id = NeutronErrors.call(
          () -> neutron.net.networks().createAll(context.owner(), List.of(spec), List.of(tags)).getFirst().id());
    }
    context.physicalId(id);
  }

  @Override
  public void update(ResourceContext context, JsonNode previous) throws Exception {
    JsonNode props = context.properties();
    check(context.owner(), props, "update_network");
    NetResource.unsupported(props);
    if (Read.changed(previous, props, "tags")) {
      setTags(context, context.physicalId(), Read.strings(props, "tags"));
    }
    Networks.Spec spec =
        new Networks.Spec(
            null, Read.changed(previous, props, "name") ? name(context) : null, null,
            Read.changed(previous, props, "admin_state_up") ? Read.bool(props, "admin_state_up") : null,
            Read.changed(previous, props, "shared") ? Read.bool(props, "shared") : null,
            Read.changed(previous, props, "router_external") ? Read.bool(props, "router_external") : null, null,
            Read.changed(previous, props, "port_security_enabled") ? Read.bool(props, "port_security_enabled") : null);
    if (!spec.equals(new Networks.Spec(null, null, null, null, null, null, null, null))) {
      NeutronErrors.call(() -> neutron.net.networks().update(context.owner(), context.physicalId(), spec));
    }
    keepProvider(context);
  }

  /** Heat's validation of the provider attributes, and Neutron's admin-only policy for them. */
  private static void check(Actor owner, JsonNode props, String action) throws Exception {
    String type = Read.text(props, "network_type");
    if (Read.text(props, "segmentation_id") != null && List.of("local", "flat").contains(type)) {
      throw NeutronErrors.heat("StackValidationFailed", "segmentation_id not allowed for network types: local, flat");
    }
    if (Read.text(props, "physical_network") != null && List.of("vxlan", "gre", "geneve", "local").contains(type)) {
      throw NeutronErrors.heat(
          "StackValidationFailed", "physical_network not allowed for network types: vxlan, gre, geneve, flat");
    }
    if (!owner.admin()) {
      throw NeutronErrors.of(new ServiceException(
          ServiceException.Kind.FORBIDDEN, "PolicyNotAuthorized",
          "(rule:" + action + ":provider:network_type) is disallowed by policy."));
    }
  }

  private static void keepProvider(ResourceContext context) {
    ObjectNode provider = context.data().putObject("provider");
    JsonNode props = context.properties();
    provider.put("provider:network_type", Read.text(props, "network_type"));
    provider.put("provider:physical_network", Read.text(props, "physical_network"));
    String segmentation = Read.text(props, "segmentation_id");
    if (segmentation == null) {
      provider.putNull("provider:segmentation_id");
    } else {
      provider.put("provider:segmentation_id", segmentation.matches("\\d+") ? Integer.parseInt(segmentation) : null);
    }
  }

  @Override
  public JsonNode attribute(ResourceState resource, String name, NestedStacks nested) throws Exception {
    JsonNode value = super.attribute(resource, name, nested);
    if (name.equals("show") && value instanceof ObjectNode shown && resource.data().get("provider") instanceof ObjectNode p) {
      shown.setAll(p);
    }
    return value;
  }

  @Override
  ObjectNode show(Actor actor, String id) {
    return plain.show(actor, id);
  }

  @Override
  void remove(Actor actor, String id) {
    plain.remove(actor, id);
  }

  @Override
  JsonNode attribute(Actor owner, ObjectNode shown, String name) {
    return plain.attribute(owner, shown, name);
  }
}
