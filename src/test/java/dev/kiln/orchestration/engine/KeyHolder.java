package dev.kiln.orchestration.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.orchestration.resources.Props;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.ResourceType;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import dev.kiln.orchestration.template.schema.SupportStatus;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code Kiln::Test::KeyHolder}, a test-only type that holds {@code keys} exclusively, as a server
 * holds its ports: taking a key another resource holds fails ({@code "key k is held by r"}), as
 * attaching a port that is still attached elsewhere does. Keys change in place. It claims
 * {@code "key:<k>"} for each, so the engine must release before it takes within an update.
 */
final class KeyHolder implements ResourceType {
  static final String TYPE = "Kiln::Test::KeyHolder";
  private static final ResourceSchema SCHEMA =
      new ResourceSchema(
          TYPE, "Holds keys exclusively.", new SupportStatus("SUPPORTED", "1.0", null),
          Props.properties(
              "keys", Props.list("The keys held.").item(Props.string("A key.")).updatable(),
              "delay", Props.number("Milliseconds each step takes.").defaultValue(0).updatable()),
          Props.attributes());

  /** Who holds each key now, across every stack of the test (a cloud's ports). */
  final Map<String, String> holders = new ConcurrentHashMap<>();
  /** Every "take k by r" and "release k by r", in order. */
  final java.util.List<String> log = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

  @Override
  public ResourceSchema schema() {
    return SCHEMA;
  }

  @Override
  public void create(ResourceContext context) throws Exception {
    take(context, keys(context.properties()));
    context.physicalId(context.id());
  }

  @Override
  public void update(ResourceContext context, JsonNode previous) throws Exception {
    Set<String> now = keys(context.properties());
    for (String key : keys(previous)) {
      if (!now.contains(key)) {
        release(context, key);
      }
    }
    take(context, now);
  }

  @Override
  public void delete(ResourceContext context) throws Exception {
    if (context.properties() != null) {
      for (String key : keys(context.properties())) {
        release(context, key);
      }
    }
  }

  @Override
  public Set<String> claims(JsonNode properties) {
    Set<String> out = new LinkedHashSet<>();
    keys(properties).forEach(k -> out.add("key:" + k));
    return out;
  }

  private void take(ResourceContext context, Set<String> keys) throws Exception {
    pause(context);
    for (String key : keys) {
      String holder = holders.putIfAbsent(key, context.id());
      if (holder != null && !holder.equals(context.id())) {
        throw new IllegalStateException("key " + key + " is held by " + holder);
      }
      if (holder == null) {
        log.add("take " + key + " by " + context.name());
      }
    }
  }

  private void release(ResourceContext context, String key) throws Exception {
    pause(context);
    if (holders.remove(key, context.id())) {
      log.add("release " + key + " by " + context.name());
    }
  }

  private static void pause(ResourceContext context) throws InterruptedException {
    long delay = context.properties() == null ? 0 : context.properties().path("delay").asLong(0);
    if (delay > 0) {
      Thread.sleep(delay);
    }
  }

  private static Set<String> keys(JsonNode properties) {
    Set<String> out = new LinkedHashSet<>();
    if (properties != null) {
      properties.path("keys").forEach(k -> out.add(k.asText()));
    }
    return out;
  }
}
