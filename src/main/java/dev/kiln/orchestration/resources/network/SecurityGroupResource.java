package dev.kiln.orchestration.resources.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
import java.util.ArrayList;
import java.util.List;

/**
 * {@code OS::Neutron::SecurityGroup}: a group with the rules the template lists. Its rules are
 * brought to the template's on create and on every update, as Heat does: rules that match stay,
 * the others go, the missing ones are added; a template without egress rules keeps Neutron's two
 * default egress rules.
 */
final class SecurityGroupResource extends NeutronResourceType {
  static final String TYPE = "OS::Neutron::SecurityGroup";

  private static final ResourceSchema SCHEMA =
      Schemas.of(
          TYPE,
          "A Neutron security group: the filter rules applied to the ports that use it.",
          "2014.1",
          Props.properties(
              "name", Props.string("Name of the group; need not be unique, and may not be \"default\".").updatable(),
              "description", Props.string("Description of the group.").updatable(),
              "rules",
              Props.list("The group's rules.")
                  .defaultValue(JsonNodeFactory.instance.arrayNode())
                  .item(Props.map(null)
                      .key("direction",
                          Props.string("Traffic the rule applies to: ingress (to the port) or egress (from it).")
                              .defaultValue("ingress").allowed("ingress", "egress"))
                      .key("ethertype", Props.string("IP version of the traffic.").defaultValue("IPv4").allowed("IPv4", "IPv6"))
                      .key("port_range_min",
                          Props.integer("First port of the range (for ICMP, the type).").range(0.0, 65535.0))
                      .key("port_range_max",
                          Props.integer("Last port of the range (for ICMP, the code).").range(0.0, 65535.0))
                      .key("protocol",
                          Props.string("Protocol matched, by name or number 0-255; all when not given.")
                              .constraint(new Constraint.AllowedValues(SecurityRules.allowedProtocols(), null)))
                      .key("remote_mode",
                          Props.string("Whether the remote is an IP prefix or a security group.")
                              .defaultValue("remote_ip_prefix").allowed("remote_ip_prefix", "remote_group_id"))
                      .key("remote_group_id",
                          Props.string("Remote security group (this group when not given), with remote_mode"
                              + " remote_group_id.").custom("neutron.security_group"))
                      .key("remote_ip_prefix", Props.string("Remote IP prefix (CIDR).").custom("net_cidr"))
                      .key("description", Props.string("Description of the rule.").since("27.0.0")))
                  .updatable(),
              "stateful", Props.bool("Whether the group is stateful.").updatable().since("27.0.0")),
          Props.attributes());

  SecurityGroupResource(Neutron neutron) {
    super(neutron);
  }

  @Override
  public ResourceSchema schema() {
    return SCHEMA;
  }

  @Override
  String kind() {
    return "security_groups";
  }

  @Override
  public void create(ResourceContext context) throws Exception {
    Neutron.rememberOwner(context);
    JsonNode props = context.properties();
    if ("default".equals(Read.text(props, "name"))) {
      throw NeutronErrors.heat("StackValidationFailed", "Security groups cannot be assigned the name \"default\".");
    }
    Actor owner = context.owner();
    String id = neutron.existing(context, kind());
    if (id == null) {
      id = adoptable(context);
    }
    if (id == null) {
      SecurityGroups.GroupSpec spec =
          new SecurityGroups.GroupSpec(null, name(context), Read.text(props, "description"), Read.bool(props, "stateful"));
      id = NeutronErrors.call(() -> neutron.net.securityGroups().create(owner, spec).id());
    }
    context.physicalId(id);
    setTags(context, id, null);
    reconcileRules(owner, id, props);
  }

  /** A group an interrupted attempt made but did not mark: this name, made since the action began. */
  private String adoptable(ResourceContext context) {
    String name = name(context);
    return neutron.unmarked(
        context, neutron.net.securityGroups().list(context.owner(), null), g -> g.name().equals(name),
        SecurityGroup::id, SecurityGroup::createdAt);
  }

  @Override
  public void update(ResourceContext context, JsonNode previous) throws Exception {
    JsonNode props = context.properties();
    Actor owner = context.owner();
    String id = context.physicalId();
    if ("default".equals(Read.text(props, "name"))) {
      throw NeutronErrors.heat("StackValidationFailed", "Security groups cannot be assigned the name \"default\".");
    }
    boolean name = Read.changed(previous, props, "name");
    boolean description = Read.changed(previous, props, "description");
    boolean stateful = Read.changed(previous, props, "stateful");
    if (name || description || stateful) {
      SecurityGroups.GroupSpec spec =
          new SecurityGroups.GroupSpec(
              null, name ? name(context) : null,
              description ? (Read.text(props, "description") == null ? "" : Read.text(props, "description")) : null,
              stateful ? Read.bool(props, "stateful") : null);
      NeutronErrors.call(() -> neutron.net.securityGroups().update(owner, id, spec));
    }
    if (Read.changed(previous, props, "rules")) {
      reconcileRules(owner, id, props);
    }
  }

  /** Brings the group's rules to the template's (with the default egress rules when it has none). */
  private void reconcileRules(Actor owner, String groupId, JsonNode props) throws Exception {
    List<SecurityGroups.RuleSpec> desired = new ArrayList<>();
    JsonNode rules = Read.node(props, "rules");
    if (rules != null) {
      for (JsonNode rule : rules) {
        String remote = Read.text(rule, "remote_group_id");
        String remoteId = remote == null ? null : neutron.lookup.id(owner, Lookup.Kind.SECURITY_GROUP, remote);
        desired.add(SecurityRules.fromGroupRule(rule, groupId, remoteId));
      }
    }
    if (desired.stream().noneMatch(r -> r.direction().equals("egress"))) {
      for (String ethertype : List.of("IPv4", "IPv6")) {
        desired.add(new SecurityGroups.RuleSpec(null, groupId, "egress", ethertype, null, null, null, null, null, null, null));
      }
    }
    SecurityGroup group = NeutronErrors.call(() -> neutron.net.securityGroups().get(owner, groupId));
    List<SecurityGroups.RuleSpec> missing = new ArrayList<>(desired);
    for (SecurityGroupRule current : group.rules()) {
      SecurityRules.Key key = SecurityRules.Key.of(current);
      boolean wanted = missing.removeIf(d -> SecurityRules.Key.of(d).matches(key));
      if (!wanted) {
        NeutronErrors.removing(() -> neutron.net.securityGroups().deleteRule(owner, current.id()));
      }
    }
    for (SecurityGroups.RuleSpec rule : missing) {
      NeutronErrors.call(() -> neutron.net.securityGroups().createRule(owner, rule));
    }
  }

  @Override
  ObjectNode show(Actor actor, String id) {
    return NeutronViews.securityGroup(neutron.net.securityGroups().get(actor, id), tags(id));
  }

  @Override
  void remove(Actor actor, String id) {
    neutron.net.securityGroups().delete(actor, id);
  }
}
