package dev.kiln.orchestration.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.kiln.orchestration.template.schema.Constraint;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code OS::Heat::ResourceGroup}: {@code count} identical resources, named 0, 1, 2, … in a
 * nested stack, each from {@code resource_def} with {@code %index%} (or {@code index_var})
 * replaced by its name. Names listed in {@code removal_policies}' {@code resource_list} are never
 * used again, as in Heat. Its {@code update_policy} makes the members a batch at a time ({@code
 * batch_create}) and takes a changed {@code resource_def} to them a batch at a time, keeping
 * {@code min_in_service} ({@code rolling_update}); {@link GroupRollout} computes the batches.
 */
public final class ResourceGroup implements ResourceType {
  public static final String TYPE = "OS::Heat::ResourceGroup";
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final ResourceSchema SCHEMA =
      Schemas.of(
          TYPE,
          "Makes count resources from one definition, as a nested stack, replacing the index variable in each with its index.",
          "2014.1",
          Props.properties(
              "count",
              Props.integer("The number of resources to create.").defaultValue(1).range(0.0, null).updatable(),
              "index_var",
              Props.string(
                      "The placeholder replaced by each member's index in its definition.")
                  .defaultValue("%index%")
                  .constraint(new Constraint.Length(3, null, null))
                  .since("2014.2"),
              "resource_def",
              Props.map("The definition every member is made from: type, properties and metadata, with the index placeholder substituted.")
                  .required()
                  .updatable()
                  .key("type", Props.string("The type of the resources in the group.").required())
                  .key("properties", Props.map("The properties each member gets."))
                  .key("metadata", Props.map("The metadata each member gets.").since("5.0.0")),
              "removal_policies",
              Props.list("Which members an update that shrinks or changes the group removes first.")
                  .item(
                      Props.map("One removal policy.")
                          .key("resource_list", Props.list("Members (by name or physical id) to remove, and never to reuse the names of.").defaultValue(JSON.arrayNode())))
                  .defaultValue(JSON.arrayNode())
                  .updatable()
                  .since("2015.1"),
              "removal_policies_mode",
              Props.string("Whether an update's removal_policies add to the recorded ones (append) or take their place (update).")
                  .allowed("append", "update")
                  .defaultValue("append")
                  .updatable()
                  .since("10.0.0")),
          Props.attributes(
              "refs", Props.attribute("The physical ids of the members, by index.", "list"),
              "refs_map", Props.attribute("Each member's name with its physical id.", "map"),
              "attributes", Props.attribute("For each member, the value of the attribute named by the path that follows: get_attr [r, attributes, name].", "map"),
              "removed_rsrc_list", Props.attribute("A list of removed resource names.", "list")));

  @Override
  public ResourceSchema schema() {
    return SCHEMA;
  }

  @Override
  public boolean nestedStack() {
    return true;
  }

  /** The sections Heat's group takes, checked before anything is made. */
  @Override
  public void validateUpdatePolicy(dev.kiln.orchestration.template.KnownProperties policy) {
    for (String pending : policy.pending()) {
      GroupUpdatePolicy.of(JSON.objectNode().set(pending, JSON.objectNode())); // refuses an unknown section
    }
    GroupUpdatePolicy.of(policy.known());
  }

  /**
   * Makes the members: all at once, or with {@code batch_create} as Heat does, an empty child
   * stack first, then updates of it that add {@code max_batch_size} members each, {@code
   * pause_time} apart.
   */
  @Override
  public void create(ResourceContext context) throws Exception {
    Set<String> skipped = new TreeSet<>();
    for (JsonNode policy : context.properties().path("removal_policies")) {
      policy.path("resource_list").forEach(r -> skipped.add(r.asText()));
    }
    record(context, skipped);
    GroupUpdatePolicy.Batching batching = GroupUpdatePolicy.of(context.updatePolicy()).batchCreate();
    JsonNode props = context.properties();
    if (batching == null || props.path("count").asInt(1) == 0) {
      context.physicalId(context.nested().create(context.nestedSource(members(props, skipped)), Map.of(), null));
      return;
    }
    ObjectNode empty = JSON.objectNode().put("heat_template_version", "2015-04-30");
    empty.putObject("resources");
    String childId = context.nested().create(context.nestedSource(empty), Map.of(), null);
    context.physicalId(childId);
    rollOut(context, childId, skipped, 0, batching, true);
  }

  /**
   * Heat's {@code _replace}: the batches that take the child from its members now to {@code count}
   * members of the new definition, each applied as an update of the child (so each member is
   * changed, replaced, added or removed by its own rules), with the pause between two batches.
   *
   * @return false when there was nothing to do in batches
   */
  private static boolean rollOut(
      ResourceContext context, String childId, Set<String> skipped, int minInService,
      GroupUpdatePolicy.Batching batching, boolean creating) throws Exception {
    JsonNode props = context.properties();
    int target = props.path("count").asInt(1);
    List<GroupRollout.Batch> batches;
    if (creating) {
      // Heat's batches from an empty child. A create carried on after a crash finds the child
      // grown by some of them: it goes on from the batch the child's template is at (that batch's
      // update is carried on, or found done), so the batches and the pauses between them stay
      // Heat's.
      batches = GroupRollout.batches(target, 0, batching.maxBatchSize(), 0);
      JsonNode template = context.nested().template(childId);
      int reached = template == null ? 0 : template.path("resources").size();
      int first = 0;
      while (first < batches.size() - 1 && batches.get(first).capacity() < reached) {
        first++;
      }
      batches = batches.subList(first, batches.size());
    } else {
      Map<String, ResourceState> members = context.nested().resources(childId);
      long skippedLive = members.values().stream()
          .filter(m -> skipped.contains(m.name()) && m.status() != dev.kiln.orchestration.StackStatus.FAILED).count();
      int current = (int) (members.size() - skippedLive);
      batches = GroupRollout.batches(target, current, batching.maxBatchSize(), minInService);
    }
    if (batches.isEmpty()) {
      return false;
    }
    java.time.Duration pauses = batching.pause().multipliedBy(batches.size() - 1);
    if (!context.clock().instant().plus(pauses).isBefore(context.deadline())) {
      throw new ResourceError("ValueError", "The current update policy will result in stack update timeout.");
    }
    for (int i = 0; i < batches.size(); i++) {
      GroupRollout.Batch batch = batches.get(i);
      ObjectNode template =
          GroupRollout.batchTemplate(
              definitions(context, childId, skipped), names(skipped, batch.capacity()), target, batch.updates(),
              name -> member(props, name));
      context.nested().update(childId, context.nestedSource(template), Map.of(), null);
      if (i < batches.size() - 1 && !batching.pause().isZero()) {
        context.pause(batching.pause());
      }
    }
    return true;
  }

  /** The child's members that are not skipped, name to definition as its template has them, failed ones first. */
  private static Map<String, JsonNode> definitions(ResourceContext context, String childId, Set<String> skipped) {
    JsonNode template = context.nested().template(childId);
    JsonNode written = template == null ? JSON.objectNode() : template.path("resources");
    List<ResourceState> members = new ArrayList<>(context.nested().resources(childId).values());
    members.sort(Comparator
        .comparing((ResourceState m) -> m.status() != dev.kiln.orchestration.StackStatus.FAILED)
        .thenComparing(m -> indexOf(m.name())));
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (ResourceState member : members) {
      if (!skipped.contains(member.name())) {
        out.put(member.name(), written.has(member.name()) ? written.get(member.name()) : JSON.objectNode());
      }
    }
    return out;
  }

  private static long indexOf(String name) {
    try {
      return Long.parseLong(name);
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  /** The first {@code size} member names not skipped: 0, 1, 2, … */
  private static List<String> names(Set<String> skipped, int size) {
    List<String> names = new ArrayList<>();
    for (int i = 0; names.size() < size; i++) {
      if (!skipped.contains(Integer.toString(i))) {
        names.add(Integer.toString(i));
      }
    }
    return names;
  }

  /**
   * Heat's group update: the members are the first {@code count} names not skipped (so a smaller
   * count removes the highest, a larger one adds the next), each from the new definition; the
   * child stack's update then changes, replaces, adds or removes each member by its own rules.
   * Names the removal policies give (a member's name or physical id) are removed and never used
   * again; mode {@code update} forgets the names skipped before.
   */
  @Override
  public void update(ResourceContext context, JsonNode previous) throws Exception {
    JsonNode props = context.properties();
    String childId = context.physicalId();
    Set<String> recorded = new TreeSet<>();
    context.data().path("removed").forEach(n -> recorded.add(n.asText()));
    Set<String> skipped = props.path("removal_policies_mode").asText("append").equals("update")
        ? new TreeSet<>() : new TreeSet<>(recorded);
    Set<String> members = context.nested().resources(childId).keySet();
    for (JsonNode policy : props.path("removal_policies")) {
      for (JsonNode entry : policy.path("resource_list")) {
        String wanted = entry.asText();
        if (recorded.contains(wanted) || members.contains(wanted)) {
          skipped.add(wanted);
        } else {
          for (String member : members) {
            if (wanted.equals(context.nested().referenceId(childId, member))) {
              skipped.add(member);
              break;
            }
          }
        }
      }
    }
    record(context, skipped);
    GroupUpdatePolicy.Batching rolling = GroupUpdatePolicy.of(context.updatePolicy()).rollingUpdate();
    boolean definitionChanged =
        previous == null || !GroupRollout.sameDefinition(previous.path("resource_def"), props.path("resource_def"));
    if (rolling != null && definitionChanged
        && rollOut(context, childId, skipped, rolling.minInService(), rolling, false)) {
      return;
    }
    context.nested().update(childId, context.nestedSource(members(props, skipped)), Map.of(), null);
  }

  private static void record(ResourceContext context, Set<String> skipped) {
    ArrayNode list = context.data().putArray("removed");
    skipped.forEach(list::add);
  }

  /** The child template a group with these properties makes at create (its removal list skipped). */
  public static ObjectNode childTemplate(JsonNode props) {
    Set<String> skipped = new TreeSet<>();
    for (JsonNode policy : props.path("removal_policies")) {
      policy.path("resource_list").forEach(r -> skipped.add(r.asText()));
    }
    return members(props, skipped);
  }

  /**
   * The template of a group of one member with these properties (count aside), as Heat validates
   * a group's nested stack.
   */
  public static ObjectNode oneMember(JsonNode props) {
    ObjectNode one = props.isObject() ? ((ObjectNode) props).deepCopy() : JSON.objectNode();
    one.put("count", 1);
    return members(one, Set.of());
  }

  /** The child template: {@code count} members named 0, 1, … skipping {@code skipped}. */
  private static ObjectNode members(JsonNode props, Set<String> skipped) {
    ObjectNode template = JSON.objectNode();
    template.put("heat_template_version", "2015-04-30");
    ObjectNode resources = template.putObject("resources");
    for (String name : names(skipped, props.path("count").asInt(1))) {
      resources.set(name, member(props, name));
    }
    return template;
  }

  /** The definition of the member called {@code name}: resource_def with the index put in. */
  private static ObjectNode member(JsonNode props, String name) {
    String indexVar = props.path("index_var").asText("%index%");
    JsonNode definition = props.path("resource_def");
    ObjectNode member = JSON.objectNode();
    member.put("type", definition.path("type").asText());
    if (definition.hasNonNull("properties")) {
      member.set("properties", replaceIndex(definition.get("properties"), indexVar, name));
    }
    if (definition.hasNonNull("metadata")) {
      member.set("metadata", replaceIndex(definition.get("metadata"), indexVar, name));
    }
    return member;
  }

  static JsonNode replaceIndex(JsonNode node, String indexVar, String index) {
    if (node.isTextual()) {
      return TextNode.valueOf(node.asText().replace(indexVar, index));
    }
    if (node.isArray()) {
      ArrayNode out = JSON.arrayNode();
      node.forEach(item -> out.add(replaceIndex(item, indexVar, index)));
      return out;
    }
    if (node.isObject()) {
      ObjectNode out = JSON.objectNode();
      node.fields().forEachRemaining(e -> out.set(e.getKey(), replaceIndex(e.getValue(), indexVar, index)));
      return out;
    }
    return node;
  }

  @Override
  public void delete(ResourceContext context) throws Exception {
    context.nested().delete(context.physicalId());
  }

  @Override
  public void suspend(ResourceContext context) throws Exception {
    context.nested().suspend(context.physicalId());
  }

  @Override
  public void resume(ResourceContext context) throws Exception {
    context.nested().resume(context.physicalId());
  }

  @Override
  public JsonNode attribute(ResourceState resource, String name, NestedStacks nested) {
    return GroupAttributes.of(resource, name, nested);
  }
}
