package dev.kiln.orchestration.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code OS::Heat::WaitCondition}: waits until its handle has {@code count} SUCCESS signals (fails
 * at the first FAILURE, or when {@code timeout} seconds pass), woken by each signal rather than
 * polling. Its {@code data} attribute is the signals' data by id, as JSON text.
 */
public final class WaitCondition implements ResourceType {
  public static final String TYPE = "OS::Heat::WaitCondition";
  private static final ResourceSchema SCHEMA =
      Schemas.of(
          TYPE,
          "Waits until its handle has received count success signals, or fails on a failure signal or when the timeout passes.",
          "2014.2",
          Props.properties(
              "handle",
              Props.string("The handle whose signals are counted.").required(),
              "timeout",
              Props.number("Seconds to wait for the signals before failing.")
                  .required()
                  .range(1.0, 43200.0),
              "count",
              Props.integer("How many success signals complete the wait.")
                  .defaultValue(1)
                  .range(1.0, null)
                  .updatable()),
          Props.attributes(
              "data",
              Props.attribute("The data of the signals received, as JSON keyed by each signal's id.", "string")));

  @Override
  public ResourceSchema schema() {
    return SCHEMA;
  }

  @Override
  public void create(ResourceContext context) throws Exception {
    JsonNode props = context.properties();
    String reference = props.path("handle").asText();
    int count = props.path("count").asInt(1);
    Instant until = context.startedAt().plusMillis((long) (props.path("timeout").asDouble() * 1000));
    if (until.isAfter(context.deadline())) {
      until = context.deadline();
    }
    ResourceState handle =
        context.siblingByReference(reference)
            .orElseThrow(() -> new ResourceError("ValueError", "WaitCondition invalid Handle " + reference));
    context.physicalId(context.physicalName());
    while (true) {
      context.awaitSignal(List.of(handle.name()), until); // first call returns at once
      List<WaitConditionHandle.Signal> signals = WaitConditionHandle.signals(context.sibling(handle.name()));
      List<String> failures = new ArrayList<>();
      List<String> successes = new ArrayList<>();
      for (WaitConditionHandle.Signal s : signals) {
        (s.status().equals("FAILURE") ? failures : successes).add(s.reason());
      }
      if (!failures.isEmpty()) {
        throw new ResourceError("WaitConditionFailure", String.join(";", failures));
      }
      if (successes.size() >= count) {
        context.data().set("data", dataOf(signals));
        return;
      }
      if (!context.clock().instant().isBefore(until)) {
        String received = successes.size() + " of " + count + " received";
        throw new ResourceError(
            "WaitConditionTimeout", successes.isEmpty() ? received : received + " - " + String.join(";", successes));
      }
      context.awaitSignal(List.of(handle.name()), until);
    }
  }

  @Override
  public JsonNode attribute(ResourceState resource, String name, NestedStacks nested) {
    JsonNode data = resource.data().get("data");
    return name.equals("data") && data != null ? data : NullNode.instance;
  }

  /** The {@code data} attribute: the signals' data by id, {@code {"1": data, ...}}, as JSON text. */
  static JsonNode dataOf(List<WaitConditionHandle.Signal> signals) {
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    for (WaitConditionHandle.Signal s : signals) {
      data.set(s.id(), s.data());
    }
    return TextNode.valueOf(data.toString());
  }
}
