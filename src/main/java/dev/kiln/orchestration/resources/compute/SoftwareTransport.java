package dev.kiln.orchestration.resources.compute;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.ResourceError;
import dev.kiln.orchestration.software.StackUsers;

/**
 * A SOFTWARE_CONFIG server's side of software deployments, as Heat's server does it: a stack user
 * for the server, and the {@code os-collect-config} section telling the in-instance tools how to
 * poll the server resource's metadata (POLL_SERVER_HEAT: the heat collector with that user's
 * credentials). The section is recorded in the resource's data, from where the resource's metadata
 * shows it next to the {@code deployments} list, and goes into the boot user data (cfn-init-data).
 */
final class SoftwareTransport {
  static final String SECTION = "os-collect-config";

  private final StackUsers users;

  SoftwareTransport(StackUsers users) {
    this.users = requireNonNull(users, "users is null");
  }

  /** The boot metadata of a SOFTWARE_CONFIG server (recording the section), or null for other formats. */
  ObjectNode prepare(ResourceContext context, JsonNode properties) throws ResourceError {
    if (!"SOFTWARE_CONFIG".equals(properties.path("user_data_format").asText())) {
      return null;
    }
    String transport = properties.path("software_config_transport").asText("POLL_SERVER_HEAT");
    if (!transport.equals("POLL_SERVER_HEAT")) {
      throw new ResourceError(
          "StackValidationFailed",
          "software_config_transport " + transport + " is not available in Kiln (POLL_SERVER_CFN needs Heat's CFN API,"
              + " POLL_TEMP_URL Object Storage, ZAQAR_MESSAGE Zaqar); use POLL_SERVER_HEAT.");
    }
    ObjectNode section = (ObjectNode) context.data().get(SECTION);
    if (section == null) {
      StackUsers.Credentials c = users.ensure(context.stackId(), context.id(), context.physicalName(), context.random());
      section = JsonNodeFactory.instance.objectNode();
      ObjectNode heat = section.putObject("heat");
      heat.put("user_id", c.userId());
      heat.put("password", c.password());
      heat.put("auth_url", authUrl(context));
      heat.put("project_id", c.projectId());
      heat.put("stack_id", context.stackName() + "/" + context.stackId());
      heat.put("resource_name", context.name());
      context.data().set(SECTION, section);
    }
    ObjectNode metadata = JsonNodeFactory.instance.objectNode();
    metadata.putArray("deployments");
    metadata.set(SECTION, section.deepCopy());
    return metadata;
  }

  /** Removes the server's stack user, if it has one. */
  void release(ResourceContext context) {
    if (context.data().has(SECTION)) {
      users.delete(context.id());
    }
  }

  private static String authUrl(ResourceContext context) {
    String signal = context.signalUrl();
    int at = signal.indexOf("/heat-api/");
    return (at < 0 ? signal : signal.substring(0, at)) + "/identity/v3";
  }
}
