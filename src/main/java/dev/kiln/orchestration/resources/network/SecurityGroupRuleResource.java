package dev.kiln.orchestration.resources.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.network.SecurityGroup;
import dev.kiln.network.SecurityGroupRule;
import dev.kiln.network.SecurityGroups;
import dev.kiln.orchestration.resources.Props;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.Schemas;
import dev.kiln.orchestration.template.schema.Constraint;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import java.util.List;

/**
 * {@code OS::Neutron::SecurityGroupRule}: one rule added to a group. Every property replaces it.
 *
 * <p>Rules take no tags or names, so a create repeated after a crash adopts the identical rule of
 * the group made since the action began (Networking refuses a second identical rule anyway).
 */
final class SecurityGroupRuleResource extends NeutronResourceType {
  static final String TYPE = "OS::Neutron::SecurityGroupRule";

  private static final ResourceSchema SCHEMA =
      Schemas.of(
          TYPE,
          "A rule of a Neutron security group.",
          "7.0.0",
          Props.properties(
              "security_group",
              Props.string("Name or id of the group to add the rule to.").required().custom("neutron.security_group"),
              "description", Props.string("Description of the rule."),
              "direction",
              Props.string("Traffic the rule applies to: ingress (to the port) or egress (from it).")
                  .defaultValue("ingress").allowed("ingress", "egress"),
              "ethertype", Props.string("IP version of the traffic.").defaultValue("IPv4").allowed("IPv4", "IPv6"),
              "port_range_min", Props.integer("First port of the range (for ICMP, the type).").range(0.0, 65535.0),
              "port_range_max", Props.integer("Last port of the range (for ICMP, the code).").range(0.0, 65535.0),
              "protocol",
              Props.string("Protocol matched, by name or number 0-255.").defaultValue("tcp")
                  .constraint(new Constraint.AllowedValues(SecurityRules.allowedProtocols(), null)),
              "remote_group",
              Props.string("Name or id of the remote security group.").custom("neutron.security_group"),
              "remote_ip_prefix", Props.string("Remote IP prefix (CIDR).").custom("net_cidr")),
          Props.attributes());

  SecurityGroupRuleResource(Neutron neutron) {
    super(neutron);
  }

  @Override
  public ResourceSchema schema() {
    return SCHEMA;
  }

  @Override
  String kind() {
    return null;
  }

  @Override
  public void create(ResourceContext context) throws Exception {
    Neutron.rememberOwner(context);
    if (context.physicalId() != null) {
      return;
    }
    JsonNode props = context.properties();
    validate(props);
    Actor owner = context.owner();
    String group = neutron.lookup.id(owner, Lookup.Kind.SECURITY_GROUP, Read.text(props, "security_group"));
    String remote = Read.text(props, "remote_group");
    SecurityGroups.RuleSpec spec =
        new SecurityGroups.RuleSpec(
            null, group, Read.text(props, "direction"), Read.text(props, "ethertype"), Read.text(props, "protocol"),
            Read.integer(props, "port_range_min"), Read.integer(props, "port_range_max"),
            Read.text(props, "remote_ip_prefix"),
            remote == null ? null : neutron.lookup.id(owner, Lookup.Kind.SECURITY_GROUP, remote), null,
            Read.text(props, "description"));
    SecurityGroup current = NeutronErrors.call(() -> neutron.net.securityGroups().get(owner, group));
    SecurityRules.Key key = SecurityRules.Key.of(spec);
    for (SecurityGroupRule rule : current.rules()) {
      if (SecurityRules.Key.of(rule).matches(key) && Neutron.madeSince(rule.createdAt(), context)) {
        context.physicalId(rule.id());
        return;
      }
    }
    context.physicalId(NeutronErrors.call(() -> neutron.net.securityGroups().createRule(owner, spec).id()));
  }

  private static void validate(JsonNode props) throws Exception {
    if (Read.text(props, "remote_group") != null && Read.text(props, "remote_ip_prefix") != null) {
      throw SubnetResource.conflict("remote_group, remote_ip_prefix");
    }
    Integer min = Read.integer(props, "port_range_min");
    Integer max = Read.integer(props, "port_range_max");
    String protocol = Read.text(props, "protocol");
    if (min != null && max != null && !List.of("icmp", "icmpv6", "ipv6-icmp").contains(protocol) && max < min) {
      throw NeutronErrors.heat(
          "StackValidationFailed", "The minimum port number must be less than or equal to the maximum port number.");
    }
  }

  @Override
  ObjectNode show(Actor actor, String id) {
    return NeutronViews.rule(neutron.net.securityGroups().rule(actor, id));
  }

  @Override
  void remove(Actor actor, String id) {
    neutron.net.securityGroups().deleteRule(actor, id);
  }
}
