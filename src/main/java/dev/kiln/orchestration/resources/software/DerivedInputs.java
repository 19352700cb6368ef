package dev.kiln.orchestration.resources.software;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.orchestration.software.SoftwareConfig;
import dev.kiln.orchestration.software.StackUsers;
import java.util.Iterator;
import java.util.Map;

/**
 * The inputs of a deployment's derived config, in Heat's order and shape ({@code name}, {@code
 * type}, {@code description}, {@code value}): the source config's inputs with the deployment's
 * values (or their defaults), any undeclared input values as String inputs, then the {@code
 * deploy_*} inputs the in-instance tools read: the server, action, stack, resource, signal
 * transport, and what that transport needs to signal back.
 */
final class DerivedInputs {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private DerivedInputs() {}

  /** Where and how the server signals back. */
  record Signal(String transport, StackUsers.Credentials credentials, String authUrl, String signalUrl) {}

  static ArrayNode build(
      SoftwareConfig source, JsonNode inputValues, String serverId, String action, String stackPath,
      String resourceName, Signal signal) {
    ObjectNode values = inputValues != null && inputValues.isObject() ? (ObjectNode) inputValues.deepCopy() : JSON.objectNode();
    ArrayNode out = JSON.arrayNode();
    for (JsonNode input : source.inputs()) {
      ObjectNode copy = (ObjectNode) input.deepCopy();
      String name = input.path("name").asText();
      JsonNode value = values.remove(name);
      copy.set("value", value != null ? value : input.has("default") ? input.get("default") : JSON.nullNode());
      out.add(copy);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.add(input(e.getKey(), null, e.getValue()));
    }
    out.add(input("deploy_server_id", "ID of the server being deployed to", JSON.textNode(serverId)));
    out.add(input("deploy_action", "Name of the current action being deployed", JSON.textNode(action)));
    out.add(input("deploy_stack_id", "ID of the stack this deployment belongs to", JSON.textNode(stackPath)));
    out.add(input("deploy_resource_name", "Name of this deployment resource in the stack", JSON.textNode(resourceName)));
    out.add(input("deploy_signal_transport", "How the server should signal to heat with the deployment output values.",
        JSON.textNode(signal.transport())));
    switch (signal.transport()) {
      case "HEAT_SIGNAL" -> {
        out.add(input("deploy_auth_url", "URL for API authentication", JSON.textNode(signal.authUrl())));
        out.add(input("deploy_user_id", "ID of the user that may signal this deployment",
            JSON.textNode(signal.credentials().userId())));
        out.add(input("deploy_password", "Password of the user that may signal this deployment",
            JSON.textNode(signal.credentials().password())));
        out.add(input("deploy_project_id", "ID of the project the signalling user is scoped to",
            JSON.textNode(signal.credentials().projectId())));
      }
      case "CFN_SIGNAL", "TEMP_URL_SIGNAL" -> {
        out.add(input("deploy_signal_id", "ID of signal to use for signaling output values", JSON.textNode(signal.signalUrl())));
        out.add(input("deploy_signal_verb", "HTTP verb to use for signaling output values",
            JSON.textNode(signal.transport().equals("CFN_SIGNAL") ? "POST" : "PUT")));
      }
      default -> {}
    }
    return out;
  }

  private static ObjectNode input(String name, String description, JsonNode value) {
    ObjectNode o = JSON.objectNode();
    o.put("name", name);
    if (description != null) {
      o.put("description", description);
    }
    o.put("type", "String");
    o.set("value", value);
    return o;
  }
}
