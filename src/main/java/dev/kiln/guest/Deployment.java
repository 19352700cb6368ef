package dev.kiln.guest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One item of a server's metadata {@code deployments} list, as Heat writes it: a derived config
 * (its {@code id}, {@code name}, {@code group}, {@code config}, {@code options}, declared {@code
 * outputs}) with the deployment's {@code inputs}, among them the {@code deploy_*} ones that say
 * which action this is and how to signal.
 *
 * @param item the item as read (what a hook and the deployed marker see)
 */
public record Deployment(
    String id, String name, String group, JsonNode config, List<Input> inputs, List<String> outputs, JsonNode options,
    JsonNode item) {

  /** Heat's group for configs no hook runs (os-apply-config merges them instead). */
  public static final String UNGROUPED = "Heat::Ungrouped";

  /** An input: its name, its value (strings for inputs typed String, as heat-config makes them), its type. */
  public record Input(String name, JsonNode value, String type) {
    /** The value as an environment variable would hold it: JSON for lists and maps, "" for null. */
    public String asText() {
      if (value == null || value.isNull() || value.isMissingNode()) {
        return "";
      }
      return value.isContainerNode() ? value.toString() : value.asText();
    }
  }

  public Deployment {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  /** The item's deployment, or empty when it has no id (nothing could remember having run it). */
  static Optional<Deployment> of(JsonNode item) {
    if (!item.isObject() || !item.path("id").isValueNode() || item.path("id").asText().isEmpty()) {
      return Optional.empty();
    }
    List<Input> inputs = new ArrayList<>();
    for (JsonNode i : item.path("inputs")) {
      if (!i.path("name").isTextual()) {
        continue;
      }
      String type = i.path("type").asText("String");
      JsonNode value = i.path("value");
      if (type.equals("String") && value.isValueNode() && !value.isNull() && !value.isTextual()) {
        value = TextNode.valueOf(value.asText());
      }
      inputs.add(new Input(i.get("name").asText(), value, type));
    }
    List<String> outputs = new ArrayList<>();
    for (JsonNode o : item.path("outputs")) {
      if (o.path("name").isTextual()) {
        outputs.add(o.get("name").asText());
      }
    }
    return Optional.of(new Deployment(
        item.get("id").asText(), item.path("name").asText(""), item.path("group").asText(UNGROUPED),
        item.path("config"), inputs, outputs, item.path("options"), item));
  }

  /** An input's value as text, if the deployment has it. */
  public Optional<String> input(String name) {
    return inputs.stream().filter(i -> i.name().equals(name)).findFirst().map(Input::asText);
  }

  /** The inputs by name, as text. */
  public Map<String, String> inputValues() {
    Map<String, String> values = new LinkedHashMap<>();
    inputs.forEach(i -> values.put(i.name(), i.asText()));
    return values;
  }

  /** The action this deployment runs for ({@code deploy_action}; CREATE when not said). */
  public String action() {
    return input("deploy_action").filter(a -> !a.isEmpty()).orElse("CREATE");
  }

  /**
   * For Heat's {@code component} group: the deployment as its config for this action (the first
   * of {@code configs} listing the action, run by that entry's {@code tool}); empty when none lists
   * it. Other groups: itself.
   */
  Optional<Deployment> forAction() {
    if (!group.equals("component")) {
      return Optional.of(this);
    }
    for (JsonNode c : config.path("configs")) {
      for (JsonNode a : c.path("actions")) {
        if (a.asText().equals(action())) {
          ObjectNode changed = ((ObjectNode) item).deepCopy();
          changed.set("config", c.path("config"));
          changed.put("group", c.path("tool").asText(""));
          return of(changed);
        }
      }
    }
    return Optional.empty();
  }
}
