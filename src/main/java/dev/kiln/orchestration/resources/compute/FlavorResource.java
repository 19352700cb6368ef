package dev.kiln.orchestration.resources.compute;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.catalog.Flavor;
import dev.kiln.compute.catalog.Flavors;
import dev.kiln.orchestration.resources.Cloud;
import dev.kiln.orchestration.resources.NestedStacks;
import dev.kiln.orchestration.resources.Props;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.ResourceState;
import dev.kiln.orchestration.resources.ResourceType;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code OS::Nova::Flavor} (administrators, by Nova's policy): a flavor with its extra specs and,
 * when private, the projects that may use it. {@code extra_specs} and {@code tenants} update in
 * place; anything else makes a new flavor. A create repeated after a crash adopts the flavor an
 * earlier attempt made (by its {@code flavorid}, or by the physical name).
 */
final class FlavorResource implements ResourceType {
  static final String TYPE = "OS::Nova::Flavor";
  private static final ResourceSchema SCHEMA =
      TypeSchemas.of(
          TYPE,
          "A Compute flavor (a server size). Creating flavors is for administrators, as Nova's policy has it.",
          "2014.2",
          Props.properties(
              "tenants",
              Props.list("Projects (names or ids) that may use the flavor when it is private.")
                  .item(Props.string(null).custom("keystone.project"))
                  .defaultValue(JsonNodeFactory.instance.arrayNode()).updatable().since("8.0.0"),
              "flavorid", Props.string("The flavor's id; a UUID is made when not given.").since("7.0.0"),
              "name", Props.string("The flavor's name; the physical resource name when not given.").since("7.0.0"),
              "ram", Props.integer("Memory in MB.").required(),
              "vcpus", Props.integer("Number of virtual CPUs.").required(),
              "disk", Props.integer("Size of the root disk in GB; 0 sizes it after the image.").defaultValue(0),
              "swap", Props.integer("Swap space in MB.").defaultValue(0),
              "ephemeral", Props.integer("Size of a second, ephemeral disk in GB.").defaultValue(0),
              "rxtx_factor", Props.number("RX/TX factor.").defaultValue(JsonNodeFactory.instance.numberNode(1.0)),
              "extra_specs", Props.map("Extra specs of the flavor, key to value.").updatable(),
              "is_public", Props.bool("Whether every project may use the flavor.").defaultValue(true).since("6.0.0")),
          Props.attributes(
              "is_public", Props.attribute("Whether every project may use the flavor.", "boolean"),
              "extra_specs", Props.attribute("The flavor's extra specs.", "map")));

  private final Cloud cloud;

  FlavorResource(Cloud cloud) {
    this.cloud = requireNonNull(cloud, "cloud is null");
  }

  @Override
  public ResourceSchema schema() {
    return SCHEMA;
  }

  private Flavors flavors() {
    return cloud.compute().flavors();
  }

  @Override
  public void create(ResourceContext context) {
    JsonNode p = context.properties();
    Actor owner = context.owner();
    String id = ServerProps.text(p, "flavorid");
    String name = Optional.ofNullable(ServerProps.text(p, "name")).orElse(context.physicalName());
    Optional<Flavor> earlier = earlier(owner, id, name);
    boolean isPublic = p.path("is_public").asBoolean(true);
    Flavor flavor =
        earlier.orElseGet(() -> flavors().create(
            owner,
            new Flavors.Spec(
                id, name, p.path("vcpus").asInt(), p.path("ram").asInt(), p.path("disk").asInt(0),
                p.path("ephemeral").asInt(0), p.path("swap").asInt(0), p.path("rxtx_factor").asDouble(1.0), isPublic,
                null)));
    context.physicalId(flavor.id());
    Map<String, String> specs = specs(p.get("extra_specs"));
    if (!specs.isEmpty()) {
      flavors().setExtraSpecs(owner, flavor.id(), specs);
    }
    if (!isPublic) {
      List<String> tenants = tenants(p);
      for (String project : tenants.isEmpty() ? List.of(owner.projectId()) : tenants) {
        if (!flavors().access(owner, flavor.id()).contains(project)) {
          flavors().addAccess(owner, flavor.id(), project, true);
        }
      }
    }
  }

  private Optional<Flavor> earlier(Actor owner, String id, String name) {
    if (id != null) {
      return flavors().find(owner, id).filter(f -> f.name().equals(name));
    }
    return flavors().list(owner, Flavors.ListQuery.all()).flavors().stream().filter(f -> f.name().equals(name)).findFirst();
  }

  @Override
  public void update(ResourceContext context, JsonNode previous) {
    JsonNode p = context.properties();
    Actor owner = context.owner();
    String id = context.physicalId();
    Map<String, String> wanted = specs(p.get("extra_specs"));
    Map<String, String> now = flavors().extraSpecs(owner, id);
    for (String key : now.keySet()) {
      if (!wanted.containsKey(key)) {
        flavors().deleteExtraSpec(owner, id, key);
      }
    }
    if (!wanted.isEmpty() && !wanted.equals(now)) {
      flavors().setExtraSpecs(owner, id, wanted);
    }
    if (!p.path("is_public").asBoolean(true)) {
      Set<String> want = new HashSet<>(tenants(p));
      Set<String> have = new HashSet<>(flavors().access(owner, id));
      for (String project : have) {
        if (!want.contains(project)) {
          flavors().removeAccess(owner, id, project);
        }
      }
      for (String project : want) {
        if (!have.contains(project)) {
          flavors().addAccess(owner, id, project, true);
        }
      }
    }
  }

  @Override
  public void delete(ResourceContext context) {
    String id = context.physicalId();
    if (id == null && context.properties() != null) {
      id = earlier(context.owner(), ServerProps.text(context.properties(), "flavorid"),
          Optional.ofNullable(ServerProps.text(context.properties(), "name")).orElse(context.physicalName()))
          .map(Flavor::id).orElse(null);
    }
    if (id == null) {
      return;
    }
    try {
      flavors().delete(context.owner(), id);
    } catch (ServiceException e) {
      if (e.kind() != ServiceException.Kind.NOT_FOUND) {
        throw e;
      }
    }
  }

  @Override
  public void check(ResourceContext context) throws Exception {
    ResourceType.super.check(context);
    flavors().get(context.owner(), context.physicalId());
  }

  @Override
  public JsonNode attribute(ResourceState resource, String name, NestedStacks nested) {
    if (resource.physicalId() == null) {
      return NullNode.instance;
    }
    Actor admin = new Actor(null, null, true);
    Optional<Flavor> flavor = flavors().find(admin, resource.physicalId());
    if (flavor.isEmpty()) {
      return NullNode.instance;
    }
    Flavor f = flavor.get();
    ObjectNode specs = JsonNodeFactory.instance.objectNode();
    f.extraSpecs().forEach(specs::put);
    return switch (name) {
      case "is_public" -> JsonNodeFactory.instance.booleanNode(f.isPublic());
      case "extra_specs" -> specs;
      case "show" -> {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", f.id()).put("name", f.name()).put("ram", f.ramMb()).put("vcpus", f.vcpus()).put("disk", f.diskGb())
            .put("OS-FLV-EXT-DATA:ephemeral", f.ephemeralGb()).put("swap", f.swapMb() == 0 ? "" : String.valueOf(f.swapMb()))
            .put("rxtx_factor", f.rxtxFactor()).put("os-flavor-access:is_public", f.isPublic())
            .put("OS-FLV-DISABLED:disabled", f.disabled());
        o.set("extra_specs", specs);
        yield o;
      }
      default -> NullNode.instance;
    };
  }

  private static Map<String, String> specs(JsonNode node) {
    Map<String, String> out = new LinkedHashMap<>();
    if (node != null && node.isObject()) {
      node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().isTextual() ? e.getValue().textValue() : e.getValue().toString()));
    }
    return out;
  }

  private static List<String> tenants(JsonNode p) {
    return java.util.stream.StreamSupport.stream(ServerProps.list(p.get("tenants")).spliterator(), false)
        .map(JsonNode::asText).toList();
  }
}
