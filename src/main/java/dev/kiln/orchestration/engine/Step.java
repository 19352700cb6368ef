package dev.kiln.orchestration.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.orchestration.resources.NestedStacks;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.ResourceState;
import dev.kiln.orchestration.resources.ShortId;
import dev.kiln.orchestration.store.ResourceRow;
import dev.kiln.orchestration.store.StackRow;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/** The {@link ResourceContext} of one step of one resource. */
final class Step implements ResourceContext {
  static final String SEED_KEY = "_seed";

  private final Engine engine;
  private final LiveStack live;
  private final ResourceRow row;
  private final JsonNode properties;
  private final ObjectNode data;
  private final Instant deadline;
  private final NestedStacks nested;
  private final Interruption interruption;
  private String physicalId;
  private long seen = -1;
  private JsonNode updatePolicy = com.fasterxml.jackson.databind.node.NullNode.instance;

  Step(
      Engine engine, LiveStack live, ResourceRow row, JsonNode properties, Instant deadline, NestedStacks nested,
      Interruption interruption) {
    this.engine = engine;
    this.live = live;
    this.row = row;
    this.properties = properties;
    this.data = row.data().deepCopy();
    this.deadline = deadline;
    this.nested = nested;
    this.interruption = java.util.Objects.requireNonNull(interruption, "interruption is null");
    this.physicalId = row.physicalId();
  }

  @Override
  public String id() {
    return row.id();
  }

  @Override
  public String name() {
    return row.name();
  }

  @Override
  public String stackId() {
    return live.stack().id();
  }

  @Override
  public String stackName() {
    return live.stack().name();
  }

  @Override
  public String physicalName() {
    return ShortId.physicalName(live.stack().name(), row.name(), row.id());
  }

  @Override
  public Actor owner() {
    StackRow s = live.stack();
    return new Actor(s.projectId(), s.userId(), s.ownerAdmin());
  }

  @Override
  public JsonNode properties() {
    return properties;
  }

  @Override
  public JsonNode updatePolicy() {
    return updatePolicy;
  }

  /** Gives the step the resource's resolved update policy (creates and in-place updates read it). */
  Step updatePolicy(JsonNode policy) {
    this.updatePolicy = policy == null ? com.fasterxml.jackson.databind.node.NullNode.instance : policy;
    return this;
  }

  @Override
  public String physicalId() {
    return physicalId;
  }

  @Override
  public void physicalId(String physicalId) {
    this.physicalId = physicalId;
  }

  @Override
  public ObjectNode data() {
    return data;
  }

  @Override
  public RandomGenerator random() {
    return new SeededRandom(data.path(SEED_KEY).asText(row.id()));
  }

  @Override
  public Clock clock() {
    return engine.clock();
  }

  @Override
  public Instant deadline() {
    return deadline;
  }

  @Override
  public NestedStacks nested() {
    return nested;
  }

  @Override
  public ResourceState sibling(String name) {
    ResourceRow sibling = live.slot(name).row();
    return LiveStack.state(live.stack(), sibling, engine.signals(sibling.id()));
  }

  @Override
  public boolean awaitSignal(List<String> watched, Instant until) throws InterruptedException {
    List<String> ids = new ArrayList<>();
    ids.add(row.id());
    for (String name : watched) {
      ids.add(live.slot(name).row().id());
    }
    long now = engine.bus().version(ids);
    if (seen == -1 || now != seen) {
      seen = now;
      return true;
    }
    boolean inTime = interruption.parked(() -> engine.bus().await(ids, seen, until, engine.clock()));
    seen = engine.bus().version(ids);
    return inTime;
  }

  @Override
  public void pause(java.time.Duration duration) throws InterruptedException {
    interruption.pause(duration);
  }

  @Override
  public dev.kiln.orchestration.resources.ChangeWatch watch(String key) {
    return engine.taskEnds().watch(key, interruption);
  }

  @Override
  public dev.kiln.orchestration.template.ResolvedType implementation() {
    LiveStack.Slot slot = live.slot(row.name());
    return slot.definition == null ? null : slot.definition.implementation();
  }

  @Override
  public dev.kiln.orchestration.template.TemplateSource nestedSource(JsonNode template) {
    dev.kiln.orchestration.store.TemplateRow parent =
        new dev.kiln.orchestration.store.TemplateStore(engine.db().sql())
            .find(live.stack().templateId())
            .orElseThrow(() -> new IllegalStateException("the stack's template is missing"));
    return new dev.kiln.orchestration.template.TemplateSource(
        template, null, parent.files(), parent.environment(), parent.environmentFiles());
  }

  @Override
  public Instant startedAt() {
    return row.updatedAt() != null ? row.updatedAt() : row.createdAt();
  }

  @Override
  public String signalUrl() {
    StackRow s = live.stack();
    return engine.publicUrl().get() + "/heat-api/v1/" + s.projectId() + "/stacks/" + s.name() + "/" + s.id()
        + "/resources/" + row.name() + "/signal";
  }

  @Override
  public java.util.Optional<ResourceState> siblingByReference(String reference) {
    for (LiveStack.Slot slot : live.slots()) {
      ResourceState state = live.state(slot.row().name());
      if (reference != null && reference.equals(slot.type.referenceId(state))) {
        return java.util.Optional.of(sibling(slot.row().name()));
      }
    }
    return java.util.Optional.empty();
  }

  /** The row as this step leaves it: physical id and data as the type set them. */
  ResourceRow outcome(ResourceRow current, JsonNode metadata, String nestedStackId) {
    return current.withOutcome(
        physicalId, properties, data, metadata, nestedStackId != null ? nestedStackId : current.nestedStackId());
  }
}
