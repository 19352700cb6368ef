package dev.kiln.orchestration.engine;

import dev.kiln.orchestration.resources.Props;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.ResourceType;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import dev.kiln.orchestration.template.schema.SupportStatus;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code Kiln::Test::SlowMaker}, a test-only type that makes a "thing" (an entry in {@link
 * #things}, keyed by the row's id as a cloud type tags what it makes) and is slow about it: with
 * {@code make_first} it makes the thing and then waits for it to be "ready", else it waits before
 * making it. Both waits go through {@link ResourceContext#pause}, as the cloud types' waits do.
 * Delete removes the thing whenever it exists. A leak is a thing left once its stack is gone.
 */
final class SlowMaker implements ResourceType {
  static final String TYPE = "Kiln::Test::SlowMaker";
  private static final ResourceSchema SCHEMA =
      new ResourceSchema(
          TYPE, "Makes a thing slowly.", new SupportStatus("SUPPORTED", "1.0", null),
          Props.properties(
              "make_first", Props.bool("Make the thing before waiting, not after.").defaultValue(false),
              "wait_ms", Props.number("How long the create waits.").defaultValue(60_000)),
          Props.attributes());

  /** The things made and not deleted, by resource row id, across every stack of the test. */
  final Map<String, String> things = new ConcurrentHashMap<>();

  @Override
  public ResourceSchema schema() {
    return SCHEMA;
  }

  @Override
  public void create(ResourceContext context) throws Exception {
    boolean makeFirst = context.properties().path("make_first").asBoolean();
    Duration wait = Duration.ofMillis(context.properties().path("wait_ms").asLong());
    if (makeFirst) {
      things.put(context.id(), context.name());
    }
    context.pause(wait);
    things.put(context.id(), context.name());
    context.physicalId(context.id());
  }

  @Override
  public void delete(ResourceContext context) {
    things.remove(context.id());
  }
}
