package dev.kiln.orchestration.resources.software;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kiln.orchestration.resources.Props;
import dev.kiln.orchestration.resources.Schemas;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The schemas of the deployment types, as Heat's (property names, defaults, update rules). */
final class DeploymentSchemas {
  static final String TYPE = "OS::Heat::SoftwareDeployment";
  static final String STRUCTURED_TYPE = "OS::Heat::StructuredDeployment";
  static final String GROUP_TYPE = "OS::Heat::SoftwareDeploymentGroup";
  static final String STRUCTURED_GROUP_TYPE = "OS::Heat::StructuredDeploymentGroup";
  /**
   * Heat takes its default from the operator's {@code default_deployment_signal_transport}, which
   * is CFN_SIGNAL unless changed; so is Kiln's.
   */
  static final String DEFAULT_TRANSPORT = "CFN_SIGNAL";
  static final List<String> ACTIONS = List.of("CREATE", "UPDATE", "DELETE", "SUSPEND", "RESUME");

  static final ResourceSchema PLAIN = schema(TYPE, false, false);
  static final ResourceSchema STRUCTURED = schema(STRUCTURED_TYPE, true, false);
  static final ResourceSchema GROUP = schema(GROUP_TYPE, false, true);
  static final ResourceSchema STRUCTURED_GROUP = schema(STRUCTURED_GROUP_TYPE, true, true);

  private DeploymentSchemas() {}

  static ResourceSchema deprecatedGroup(boolean structured) {
    return schema(structured ? "OS::Heat::StructuredDeployments" : "OS::Heat::SoftwareDeployments", structured, true);
  }

  static List<String> actions(JsonNode properties) {
    JsonNode actions = properties.get("actions");
    if (actions == null || !actions.isArray()) {
      return List.of("CREATE", "UPDATE");
    }
    List<String> out = new ArrayList<>();
    actions.forEach(a -> out.add(a.asText()));
    return out;
  }

  private static ResourceSchema schema(String type, boolean structured, boolean group) {
    List<Object> props = new ArrayList<>(List.of(
        "config",
        group
            ? Props.string("The software config (its id) every member deploys.").updatable()
            : Props.string("The software config (its id) to deploy; each action deploys the config for that action.").updatable(),
        group ? "servers" : "server",
        group
            ? Props.map("The servers to deploy to: a key for each deployment, with the server's id.").required().updatable()
            : Props.string("The id of the server to deploy to.").required(),
        "input_values",
        Props.map("The values of the config's inputs.").defaultValue(JsonNodeFactory.instance.objectNode()).updatable(),
        "actions",
        Props.list("The lifecycle actions of this resource that run a deployment.")
            .item(Props.string("An action.").allowed(ACTIONS.toArray(String[]::new)))
            .defaultValue(JsonNodeFactory.instance.arrayNode().add("CREATE").add("UPDATE")),
        "signal_transport",
        Props.string("How the server signals the deployment's outputs back.")
            .allowed("CFN_SIGNAL", "TEMP_URL_SIGNAL", "HEAT_SIGNAL", "NO_SIGNAL", "ZAQAR_SIGNAL")
            .defaultValue(DEFAULT_TRANSPORT),
        "name",
        Props.string("The name of the derived config, which orders the server's deployments (default: the config's name).")));
    if (structured) {
      props.addAll(List.of(
          "input_key",
          Props.string("The function name that marks an input in the structured config.").defaultValue("get_input"),
          "input_values_validation",
          Props.string("STRICT refuses an input referenced in the config but given no value; LAX leaves it null.")
              .allowed("LAX", "STRICT")
              .defaultValue("LAX")));
    }
    Map<String, dev.kiln.orchestration.template.schema.AttributeSchema> attrs =
        group
            ? Props.attributes(
                "deploy_stdouts", Props.attribute("The stdout of each deployment, by server key.", "map"),
                "deploy_stderrs", Props.attribute("The stderr of each deployment, by server key.", "map"),
                "deploy_status_codes", Props.attribute("The exit status of each deployment, by server key.", "map"))
            : Props.attributes(
                "deploy_stdout", Props.attribute("What the config wrote to standard output.", "string"),
                "deploy_stderr", Props.attribute("What the config wrote to standard error.", "string"),
                "deploy_status_code", Props.attribute("The config's exit status (0 for success).", "string"));
    return Schemas.of(
        type,
        group
            ? "Deploys one config to several servers, one deployment per entry of servers, as a nested stack."
            : structured
                ? "Deploys a structured config to a server, filling in its get_input references from input_values."
                : "Deploys a software config to a server and waits for the server to signal its outputs.",
        "2014.1",
        Props.properties(props.toArray()),
        attrs);
  }
}
