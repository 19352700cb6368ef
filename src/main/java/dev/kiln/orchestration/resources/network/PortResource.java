package dev.kiln.orchestration.resources.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.network.Port;
import dev.kiln.network.Ports;
import dev.kiln.network.SecurityGroup;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.ResourceError;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code OS::Neutron::Port}: a port on a network, made with its tags in one request.
 *
 * <p>A port is never touched because a server plugs it in or takes it out: Compute sets its
 * device and binding, not its properties, so moving it between servers in a stack update changes
 * only the servers' {@code networks} and leaves this resource as it is. An update sends Networking
 * only the properties that changed (never the device, unless the template changed it).
 */
final class PortResource extends NeutronResourceType {
  static final String TYPE = "OS::Neutron::Port";
  static final Set<String> VALUE_SPEC_KEYS = Set.of("description", "binding:host_id", "binding:profile");
  private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-?([0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}");

  PortResource(Neutron neutron) {
    super(neutron);
  }

  @Override
  public ResourceSchema schema() {
    return PortSchema.SCHEMA;
  }

  @Override
  String kind() {
    return "ports";
  }

  @Override
  public boolean needsReplacement(JsonNode previous, JsonNode next) {
    return replacesAlways(next);
  }

  /** Heat's {@code replacement_policy: REPLACE_ALWAYS}: every update replaces the port. */
  @Override
  public boolean replacesAlways(JsonNode properties) {
    return "REPLACE_ALWAYS".equals(Read.text(properties, "replacement_policy"));
  }

  /** Heat's implicit dependencies of this type: see {@link NeutronDependencies}. */
  @Override
  public java.util.Set<String> implicitDependencies(
      dev.kiln.orchestration.template.TemplateResource resource,
      java.util.List<dev.kiln.orchestration.template.TemplateResource> all) {
    return NeutronDependencies.ofPort(resource, all);
  }

  @Override
  public void create(ResourceContext context) throws Exception {
    Neutron.rememberOwner(context);
    String id = neutron.existing(context, kind());
    if (id == null) {
      JsonNode props = context.properties();
      ValueSpecs.check(props, PortSchema.SCHEMA.properties().keySet());
      ObjectNode specs = ValueSpecs.of(props);
      ValueSpecs.allowOnly(specs, VALUE_SPEC_KEYS);
      unsupported(props);
      Actor owner = context.owner();
      List<Ports.AddressRequest> fixedIps = fixedIps(owner, props);
      List<String> groups = groups(owner, Read.strings(props, "security_groups"));
      Ports.Spec spec =
          new Ports.Spec(
              null, neutron.lookup.id(owner, Lookup.Kind.NETWORK, Read.required(props, context.name(), "network", "network_id")), name(context),
              ValueSpecs.text(specs, "description"), Read.bool(props, "admin_state_up"), Read.text(props, "mac_address"),
              fixedIps, Read.text(props, "device_id"), Read.text(props, "device_owner"), groups,
              Read.bool(props, "port_security_enabled"), ValueSpecs.text(specs, "binding:host_id"),
              Read.text(props, "binding:vnic_type"), profile(specs), pairs(props));
      List<String> tags = Neutron.tagsWithMark(Read.strings(props, "tags"), context.id());
      id = NeutronErrors.call(() -> neutron.net.ports().createAll(owner, List.of(spec), List.of(tags)).getFirst().id());
    }
    context.physicalId(id);
  }

  @Override
  public void update(ResourceContext context, JsonNode previous) throws Exception {
    JsonNode props = context.properties();
    String id = context.physicalId();
    Actor owner = context.owner();
    ValueSpecs.check(props, PortSchema.SCHEMA.properties().keySet());
    ObjectNode specs = ValueSpecs.changed(previous, props);
    ValueSpecs.allowOnly(specs, VALUE_SPEC_KEYS);
    unsupported(props);
    if (Read.changed(previous, props, "tags")) {
      setTags(context, id, Read.strings(props, "tags"));
    }
    List<Ports.AddressRequest> fixedIps =
        Read.changed(previous, props, "fixed_ips") || Read.changed(previous, props, "no_fixed_ips")
            ? fixedIps(owner, props)
            : null;
    List<String> groups = null;
    if (Read.changed(previous, props, "security_groups")) {
      // Heat puts a port whose groups are dropped from the template back in the project's default group.
      List<String> named = Read.strings(props, "security_groups");
      groups = groups(owner, named == null ? List.of("default") : named);
    }
    Ports.Spec spec =
        new Ports.Spec(
            null, null, Read.changed(previous, props, "name") ? name(context) : null,
            ValueSpecs.text(specs, "description"),
            changed(previous, props, "admin_state_up") ? Read.bool(props, "admin_state_up") : null,
            changed(previous, props, "mac_address") ? Read.text(props, "mac_address") : null, fixedIps,
            changed(previous, props, "device_id") ? Read.text(props, "device_id") : null,
            changed(previous, props, "device_owner") ? Read.text(props, "device_owner") : null, groups,
            changed(previous, props, "port_security_enabled") ? Read.bool(props, "port_security_enabled") : null,
            ValueSpecs.text(specs, "binding:host_id"),
            changed(previous, props, "binding:vnic_type") ? Read.text(props, "binding:vnic_type") : null,
            profile(specs),
            Read.changed(previous, props, "allowed_address_pairs") ? orEmpty(pairs(props)) : null);
    if (!spec.equals(new Ports.Spec(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null))) {
      NeutronErrors.call(() -> neutron.net.ports().update(owner, id, spec));
    }
  }

  private static boolean changed(JsonNode previous, JsonNode next, String key) {
    return Read.changed(previous, next, key);
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  private static void unsupported(JsonNode props) throws ResourceError {
    if (Read.node(props, "fixed_ips") != null && !Read.node(props, "fixed_ips").isEmpty()
        && Boolean.TRUE.equals(Read.bool(props, "no_fixed_ips"))) {
      throw SubnetResource.conflict("fixed_ips, no_fixed_ips");
    }
    for (String field : List.of("dns_name", "propagate_uplink_status")) {
      if (Read.node(props, field) != null) {
        throw ValueSpecs.unknownField(field, Set.of());
      }
    }
  }

  /**
   * The addresses asked for: none with {@code no_fixed_ips}, Networking's default for none given
   * (null), else each entry with its subnet found by name or id.
   */
  private List<Ports.AddressRequest> fixedIps(Actor owner, JsonNode props) throws ResourceError {
    if (Boolean.TRUE.equals(Read.bool(props, "no_fixed_ips"))) {
      return List.of();
    }
    JsonNode entries = Read.node(props, "fixed_ips");
    if (entries == null || entries.isEmpty()) {
      return null;
    }
    List<Ports.AddressRequest> out = new ArrayList<>();
    for (JsonNode entry : entries) {
      String subnet = Read.text(entry, "subnet") != null ? Read.text(entry, "subnet") : Read.text(entry, "subnet_id");
      String subnetId = subnet == null ? null : neutron.lookup.id(owner, Lookup.Kind.SUBNET, subnet);
      out.add(new Ports.AddressRequest(subnetId, Read.text(entry, "ip_address")));
    }
    return out;
  }

  /**
   * Security groups by id or by name, as Heat's {@code get_secgroup_uuids} finds them: an id is
   * taken as it is, a name must be exactly one of the owner's project's groups.
   */
  private List<String> groups(Actor owner, List<String> named) throws ResourceError {
    if (named == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    List<SecurityGroup> projectGroups = null;
    for (String group : named) {
      if (UUID.matcher(group).matches()) {
        out.add(group);
        continue;
      }
      if (projectGroups == null) {
        projectGroups = NeutronErrors.call(() -> neutron.net.securityGroups().list(owner, owner.projectId()));
      }
      List<String> ids =
          projectGroups.stream()
              .filter(g -> g.name().equals(group) && g.projectId().equals(owner.projectId()))
              .map(SecurityGroup::id)
              .toList();
      if (ids.isEmpty()) {
        throw NeutronErrors.heat("EntityNotFound", "The Resource (" + group + ") could not be found.");
      }
      if (ids.size() > 1) {
        throw NeutronErrors.heat(
            "PhysicalResourceNameAmbiguity", "Multiple physical resources were found with name (" + group + ").");
      }
      out.add(ids.getFirst());
    }
    return out;
  }

  private static List<Port.AddressPair> pairs(JsonNode props) {
    JsonNode pairs = Read.node(props, "allowed_address_pairs");
    if (pairs == null) {
      return null;
    }
    List<Port.AddressPair> out = new ArrayList<>();
    pairs.forEach(p -> out.add(new Port.AddressPair(Read.text(p, "ip_address"), Read.text(p, "mac_address"))));
    return out;
  }

  private static String profile(ObjectNode specs) {
    JsonNode profile = specs.get("binding:profile");
    return profile == null || profile.isNull() ? null : profile.toString();
  }

  @Override
  ObjectNode show(Actor actor, String id) {
    return NeutronViews.port(neutron.net.ports().visible(actor, id), actor.admin(), tags(id));
  }

  @Override
  void remove(Actor actor, String id) {
    neutron.net.ports().delete(actor, id);
  }

  @Override
  JsonNode attribute(Actor owner, ObjectNode shown, String name) {
    return switch (name) {
      case "subnets" -> {
        ArrayNode subnets = JsonNodeFactory.instance.arrayNode();
        for (JsonNode ip : shown.path("fixed_ips")) {
          try {
            String subnetId = ip.path("subnet_id").asText();
            subnets.add(NeutronViews.subnet(neutron.net.subnets().visible(owner, subnetId), tags(subnetId)));
          } catch (ServiceException e) {
            // Heat leaves out what it cannot read, as its port does.
          }
        }
        yield subnets;
      }
      case "network" -> {
        try {
          yield new NetResource(neutron).show(owner, shown.path("network_id").asText());
        } catch (ServiceException e) {
          yield null;
        }
      }
      default -> shown.get(name);
    };
  }
}
