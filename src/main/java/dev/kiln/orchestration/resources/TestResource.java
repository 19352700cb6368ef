package dev.kiln.orchestration.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code OS::Heat::TestResource}: stores {@code value} and exposes it as {@code output}, with
 * Heat's knobs for testing: {@code fail} fails create and update after the wait, {@code wait_secs}
 * (or {@code action_wait_secs} per action; -1 waits for ever) delays each action, {@code
 * attr_wait_secs} delays resolving {@code output}. {@code client_name}/{@code entity_name} are
 * accepted; Kiln's simulated effort is the wait itself.
 */
public final class TestResource implements ResourceType {
  public static final String TYPE = "OS::Heat::TestResource";
  private static final ResourceSchema SCHEMA =
      Schemas.of(
          TYPE,
          "Keeps the value it is given and can be told to wait, fail or ask for replacement: a tool for testing templates and the engine, not for real stacks.",
          "5.0.0",
          Props.properties(
              "constraint_prop_secs",
              Props.number("Seconds the value's constraint check takes.").defaultValue(0).updatable()
                  .custom("test_constr").since("6.0.0"),
              "attr_wait_secs",
              Props.number("Seconds reading the output attribute takes.").defaultValue(0).updatable()
                  .since("6.0.0"),
              "value",
              Props.string("The input string to be stored.").defaultValue("test_string").updatable(),
              "update_replace_value",
              Props.string("A value kept from the create that no update may change.").since("7.0.0"),
              "fail",
              Props.bool("Make the resource's operations fail, to exercise failure handling.")
                  .updatable().defaultValue(false),
              "update_replace",
              Props.bool("Make any update of the resource a replacement.")
                  .updatable().defaultValue(false),
              "wait_secs",
              Props.number("Seconds each operation waits before it completes; -1 waits until cancelled.").updatable().defaultValue(0),
              "action_wait_secs",
              Props.map("Options for simulating waiting.")
                  .updatable()
                  .key("create", Props.number("Seconds a create waits; wait_secs when unset.").updatable())
                  .key("update", Props.number("Seconds an update waits; wait_secs when unset.").updatable())
                  .key("delete", Props.number("Seconds a delete waits; wait_secs when unset.").updatable()),
              "client_name",
              Props.string("Client to poll.").defaultValue("").updatable(),
              "entity_name",
              Props.string("Client entity to poll.").defaultValue("").updatable()),
          Props.attributes(
              "output",
              Props.attribute(
                  "The value kept; get_resource on the resource gives it too.", null)));

  @Override
  public ResourceSchema schema() {
    return SCHEMA;
  }

  @Override
  public void create(ResourceContext context) throws Exception {
    JsonNode props = context.properties();
    boolean fail = props.path("fail").asBoolean(false);
    if (!fail) {
      context.data().set("value", props.get("value"));
      context.physicalId(context.physicalName());
    }
    waitFor(context, "create");
    if (fail) {
      throw new ResourceError("ValueError", "Test Resource failed " + context.name());
    }
  }

  /**
   * Heat's in-place update: a new {@code value} is stored (unless {@code fail}) and the update's wait
   * runs; {@code fail} fails any update. Other properties change nothing but the recorded properties.
   */
  @Override
  public void update(ResourceContext context, JsonNode previous) throws Exception {
    JsonNode props = context.properties();
    boolean fail = props.path("fail").asBoolean(false);
    JsonNode value = props.get("value");
    boolean valueChanged = value != null && !value.equals(previous == null ? null : previous.get("value"));
    if (valueChanged && !value.asText().isEmpty()) {
      if (!fail) {
        context.data().set("value", value);
      }
      waitFor(context, "update"); // Heat waits only when the value changes
    }
    if (fail) {
      throw new ResourceError("ValueError", "Test Resource failed " + context.name());
    }
  }

  /** Heat's TestResource is replaced when {@code update_replace} changes to true. */
  @Override
  public boolean needsReplacement(JsonNode previous, JsonNode next) {
    boolean now = next.path("update_replace").asBoolean(false);
    return now && (previous == null || now != previous.path("update_replace").asBoolean(false));
  }

  @Override
  public void delete(ResourceContext context) throws Exception {
    waitFor(context, "delete");
  }

  @Override
  public JsonNode attribute(ResourceState resource, String name, NestedStacks nested) throws Exception {
    if (resource.properties() != null) {
      double secs = resource.properties().path("attr_wait_secs").asDouble(0);
      if (secs > 0) {
        Thread.sleep(Duration.ofMillis((long) (secs * 1000)));
      }
    }
    if (name.equals("output")) {
      JsonNode value = resource.data().get("value");
      return value == null ? NullNode.instance : value;
    }
    return NullNode.instance;
  }

  /** Heat's wait: {@code action_wait_secs[action]}, else {@code wait_secs}; negative is for ever. */
  private static void waitFor(ResourceContext context, String action) throws InterruptedException {
    JsonNode props = context.properties();
    if (props == null) {
      return;
    }
    JsonNode perAction = props.path("action_wait_secs").path(action);
    double secs = perAction.isNumber() || perAction.isTextual() ? perAction.asDouble() : props.path("wait_secs").asDouble(0);
    if (secs == 0) {
      return;
    }
    if (secs < 0) {
      // For ever: until the operation times out or is stopped, which wakes the pause.
      while (true) {
        context.pause(Duration.ofHours(1));
      }
    }
    Instant until = context.clock().instant().plusMillis((long) (secs * 1000));
    long millis = Duration.between(context.clock().instant(), until).toMillis();
    if (millis > 0) {
      context.pause(Duration.ofMillis(millis));
    }
  }
}
