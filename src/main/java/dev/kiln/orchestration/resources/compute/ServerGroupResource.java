package dev.kiln.orchestration.resources.compute;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.groups.ServerGroup;
import dev.kiln.orchestration.resources.Cloud;
import dev.kiln.orchestration.resources.NestedStacks;
import dev.kiln.orchestration.resources.Props;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.ResourceError;
import dev.kiln.orchestration.resources.ResourceState;
import dev.kiln.orchestration.resources.ResourceType;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import java.util.Optional;

/**
 * {@code OS::Nova::ServerGroup}: a server group whose policy servers join through their {@code
 * scheduler_hints: {group: …}}. Every property replaces the group on change, as in Heat. A create
 * repeated after a crash adopts the group an earlier attempt made under the physical name.
 */
final class ServerGroupResource implements ResourceType {
  static final String TYPE = "OS::Nova::ServerGroup";
  private static final ResourceSchema SCHEMA =
      TypeSchemas.of(
          TYPE,
          "A Compute server group: the servers that join it are placed on the same host or on different hosts.",
          "2014.2",
          Props.properties(
              "name", Props.string("The group's name; the physical resource name when not given."),
              "policies",
              Props.list("The group's placement policy, as a one-item list; anti-affinity when not given.")
                  .item(Props.string(null))
                  .defaultValue(JsonNodeFactory.instance.arrayNode().add("anti-affinity"))
                  .allowed("anti-affinity", "affinity", "soft-anti-affinity", "soft-affinity")),
          Props.attributes());

  private final Cloud cloud;

  ServerGroupResource(Cloud cloud) {
    this.cloud = requireNonNull(cloud, "cloud is null");
  }

  @Override
  public ResourceSchema schema() {
    return SCHEMA;
  }

  @Override
  public void create(ResourceContext context) throws Exception {
    JsonNode policies = context.properties().path("policies");
    if (policies.size() != 1) {
      // Nova (2.64) keeps one policy per group.
      throw new ResourceError("StackValidationFailed", "A server group takes exactly one policy, not " + policies.size() + ".");
    }
    ServerGroup.Policy policy = ServerGroup.Policy.of(policies.get(0).asText());
    String name = ServerProps.text(context.properties(), "name");
    Optional<ServerGroup> earlier =
        name != null ? Optional.empty() : mine(context);
    ServerGroup group =
        earlier.orElseGet(() -> cloud.servers().servers().groups().create(
            context.owner(), name != null ? name : context.physicalName(), policy, null));
    context.physicalId(group.id());
  }

  private Optional<ServerGroup> mine(ResourceContext context) {
    return cloud.servers().servers().groups().list(context.owner(), false).stream()
        .filter(g -> g.name().equals(context.physicalName()))
        .findFirst();
  }

  @Override
  public void delete(ResourceContext context) {
    String id = context.physicalId();
    if (id == null) {
      id = mine(context).map(ServerGroup::id).orElse(null);
    }
    if (id == null) {
      return;
    }
    try {
      cloud.servers().servers().groups().delete(context.owner(), id);
    } catch (ServiceException e) {
      if (e.kind() != ServiceException.Kind.NOT_FOUND) {
        throw e;
      }
    }
  }

  @Override
  public void check(ResourceContext context) throws Exception {
    ResourceType.super.check(context);
    cloud.servers().servers().groups().visible(context.owner(), context.physicalId());
  }

  @Override
  public JsonNode attribute(ResourceState resource, String name, NestedStacks nested) {
    if (!name.equals("show") || resource.physicalId() == null) {
      return NullNode.instance;
    }
    var owner = new dev.kiln.common.Actor(null, null, true);
    ServerGroup g;
    try {
      g = cloud.servers().servers().groups().visible(owner, resource.physicalId());
    } catch (ServiceException e) {
      return NullNode.instance;
    }
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("id", g.id()).put("name", g.name()).put("project_id", g.projectId()).put("user_id", g.userId());
    o.putArray("policies").add(g.policy().novaName());
    o.put("policy", g.policy().novaName());
    var members = o.putArray("members");
    g.members().forEach(members::add);
    o.putObject("metadata");
    return o;
  }
}
