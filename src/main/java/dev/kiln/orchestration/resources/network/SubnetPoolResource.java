package dev.kiln.orchestration.resources.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.network.SubnetPool;
import dev.kiln.network.SubnetPools;
import dev.kiln.orchestration.resources.Props;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.ResourceError;
import dev.kiln.orchestration.resources.Schemas;
import dev.kiln.orchestration.template.schema.Constraint;
import dev.kiln.orchestration.template.schema.ResourceSchema;

/**
 * {@code OS::Neutron::SubnetPool}: prefixes that subnets are cut from. Everything but the owner and
 * {@code shared} changes in place; prefixes may only grow, as Networking checks.
 */
final class SubnetPoolResource extends NeutronResourceType {
  static final String TYPE = "OS::Neutron::SubnetPool";

  private static final ResourceSchema SCHEMA =
      Schemas.of(
          TYPE,
          "A Neutron subnet pool: a large block of addresses that subnets are cut from.",
          "6.0.0",
          Props.properties(
              "name", Props.string("Name of the subnet pool.").updatable(),
              "prefixes",
              Props.list("The pool's prefixes.").item(Props.string(null).custom("net_cidr"))
                  .constraint(new Constraint.Length(1, null, null)).required().updatable(),
              "address_scope",
              Props.string("Name or id of the address scope of the pool.").custom("neutron.address_scope").updatable(),
              "default_quota",
              Props.integer("How much of the pool's prefix space one project may take.").range(0.0, null).updatable(),
              "default_prefixlen",
              Props.integer("Prefix length of a subnet cut without a cidr or prefixlen.").range(0.0, null).updatable(),
              "min_prefixlen", Props.integer("Smallest prefix length cut from the pool.").range(0.0, null).updatable(),
              "max_prefixlen", Props.integer("Largest prefix length cut from the pool.").range(0.0, null).updatable(),
              "is_default",
              Props.bool("Whether this is the default pool of its IP version (admins only).").defaultValue(false)
                  .updatable(),
              "tenant_id", Props.string("Project that owns the pool; only admins may name another project."),
              "shared", Props.bool("Whether every project may use the pool (admins only).").defaultValue(false),
              "tags", Props.list("Tags for the pool.").item(Props.string(null)).updatable().since("9.0.0")),
          Props.attributes());

  SubnetPoolResource(Neutron neutron) {
    super(neutron);
  }

  @Override
  public ResourceSchema schema() {
    return SCHEMA;
  }

  @Override
  String kind() {
    return "subnetpools";
  }

  @Override
  public void create(ResourceContext context) throws Exception {
    Neutron.rememberOwner(context);
    JsonNode props = context.properties();
    Actor owner = context.owner();
    validate(props);
    String id = neutron.existing(context, kind());
    if (id == null) {
      String name = name(context);
      id = neutron.unmarked(context, neutron.net.subnetPools().list(owner), p -> p.name().equals(name), SubnetPool::id,
          SubnetPool::createdAt);
    }
    if (id == null) {
      String scope = Read.text(props, "address_scope");
      SubnetPools.Spec spec =
          new SubnetPools.Spec(
              Read.text(props, "tenant_id"), name(context), null, Read.strings(props, "prefixes"),
              Read.integer(props, "default_prefixlen"), Read.integer(props, "min_prefixlen"),
              Read.integer(props, "max_prefixlen"), Read.integer(props, "default_quota"), scope != null,
              scope == null ? null : neutron.lookup.id(owner, Lookup.Kind.ADDRESS_SCOPE, scope),
              Read.bool(props, "shared"), defaultOnlyIfTrue(props));
      id = NeutronErrors.call(() -> neutron.net.subnetPools().create(owner, spec).id());
    }
    context.physicalId(id);
    setTags(context, id, Read.strings(props, "tags"));
  }

  /**
   * Heat always sends {@code is_default}; Neutron's policy only looks at it when it differs from
   * its default (false), while Kiln's Networking refuses a member naming it at all. Sending it only
   * when true gives what Neutron does.
   */
  private static Boolean defaultOnlyIfTrue(JsonNode props) {
    return Boolean.TRUE.equals(Read.bool(props, "is_default")) ? Boolean.TRUE : null;
  }

  /** Heat's check of the prefix length bounds. */
  private static void validate(JsonNode props) throws ResourceError {
    Integer min = Read.integer(props, "min_prefixlen");
    Integer def = Read.integer(props, "default_prefixlen");
    Integer max = Read.integer(props, "max_prefixlen");
    if (min != null && max != null && min != 0 && max != 0 && min > max) {
      throw bounds("max_prefixlen", max, "min_prefixlen", min);
    }
    if (def != null && def != 0) {
      if (max != null && max != 0 && def > max) {
        throw bounds("max_prefixlen", max, "default_prefixlen", def);
      }
      if (min != null && min != 0 && min > def) {
        throw bounds("min_prefixlen", min, "default_prefixlen", def);
      }
    }
  }

  private static ResourceError bounds(String key1, int value1, String key2, int value2) {
    return NeutronErrors.heat(
        "StackValidationFailed", "Illegal prefix bounds: " + key1 + "=" + value1 + ", " + key2 + "=" + value2 + ".");
  }

  @Override
  public void update(ResourceContext context, JsonNode previous) throws Exception {
    JsonNode props = context.properties();
    Actor owner = context.owner();
    validate(props);
    String id = context.physicalId();
    if (Read.changed(previous, props, "tags")) {
      setTags(context, id, Read.strings(props, "tags"));
    }
    boolean scopeChanged = Read.changed(previous, props, "address_scope");
    String scope = Read.text(props, "address_scope");
    SubnetPools.Spec spec =
        new SubnetPools.Spec(
            null, Read.changed(previous, props, "name") ? name(context) : null, null,
            Read.changed(previous, props, "prefixes") ? Read.strings(props, "prefixes") : null,
            changedInt(previous, props, "default_prefixlen"), changedInt(previous, props, "min_prefixlen"),
            changedInt(previous, props, "max_prefixlen"), changedInt(previous, props, "default_quota"), scopeChanged,
            scopeChanged && scope != null ? neutron.lookup.id(owner, Lookup.Kind.ADDRESS_SCOPE, scope) : null, null,
            Read.changed(previous, props, "is_default") ? Read.bool(props, "is_default") : null);
    if (!spec.equals(new SubnetPools.Spec(null, null, null, null, null, null, null, null, false, null, null, null))) {
      NeutronErrors.call(() -> neutron.net.subnetPools().update(owner, id, spec, null));
    }
  }

  private static Integer changedInt(JsonNode previous, JsonNode next, String key) {
    return Read.changed(previous, next, key) ? Read.integer(next, key) : null;
  }

  @Override
  ObjectNode show(Actor actor, String id) {
    return NeutronViews.subnetPool(neutron.net.subnetPools().visible(actor, id), tags(id));
  }

  @Override
  void remove(Actor actor, String id) {
    neutron.net.subnetPools().delete(actor, id);
  }
}
