package dev.kiln.orchestration.resources.compute;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.objectstore.ObjectStoreService;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.ResourceError;
import dev.kiln.orchestration.software.MetadataObjects;
import dev.kiln.orchestration.software.StackUsers;
import java.time.Instant;
import java.util.UUID;

/**
 * A SOFTWARE_CONFIG server's side of software deployments, as Heat's server does it: the {@code
 * os-collect-config} section telling the in-instance tools how to poll the server's metadata.
 * POLL_SERVER_HEAT: the heat collector with a stack user's credentials. POLL_TEMP_URL: the request
 * collector with a Swift temp URL (GET) of an object in the stack owner's account that holds the
 * metadata, rewritten whenever the server's deployments change ({@link MetadataObjects}). The
 * section is recorded in the resource's data, from where the resource's metadata shows it next to
 * the {@code deployments} list, and goes into the boot user data (cfn-init-data).
 */
final class SoftwareTransport {
  static final String SECTION = "os-collect-config";
  /** Heat's Swift client plugin signs temp URLs to just before the end of 32-bit epoch time. */
  private static final Instant FOREVER = Instant.ofEpochSecond(Integer.MAX_VALUE - 60L);

  private final StackUsers users;
  private final ObjectStoreService objectStore;
  private final MetadataObjects metadataObjects;
  private final dev.kiln.identity.UserCredentials credentials;

  /**
   * @param objectStore Object Storage for POLL_TEMP_URL, or null when this Kiln has none
   * @param metadataObjects the record of metadata objects, or null when this Kiln has no Object Storage
   * @param credentials Identity's credentials, for POLL_SERVER_CFN's EC2 keys, or null for none
   */
  SoftwareTransport(StackUsers users, ObjectStoreService objectStore, MetadataObjects metadataObjects,
      dev.kiln.identity.UserCredentials credentials) {
    this.users = requireNonNull(users, "users is null");
    this.credentials = credentials;
    this.objectStore = objectStore;
    this.metadataObjects = metadataObjects;
  }

  /** The boot metadata of a SOFTWARE_CONFIG server (recording the section), or null for other formats. */
  ObjectNode prepare(ResourceContext context, JsonNode properties) throws ResourceError {
    if (!"SOFTWARE_CONFIG".equals(properties.path("user_data_format").asText())) {
      return null;
    }
    String transport = properties.path("software_config_transport").asText("POLL_SERVER_HEAT");
    boolean tempUrl = transport.equals("POLL_TEMP_URL") && objectStore != null && metadataObjects != null;
    boolean cfn = transport.equals("POLL_SERVER_CFN") && credentials != null;
    if (!transport.equals("POLL_SERVER_HEAT") && !tempUrl && !cfn) {
      throw new ResourceError(
          "StackValidationFailed",
          "software_config_transport " + transport + " is not available in this Kiln (ZAQAR_MESSAGE needs Zaqar);"
              + " use POLL_SERVER_HEAT, POLL_SERVER_CFN or POLL_TEMP_URL.");
    }
    ObjectNode section = (ObjectNode) context.data().get(SECTION);
    if (section == null) {
      section = tempUrl ? tempUrlSection(context, properties) : cfn ? cfnSection(context) : heatSection(context);
      context.data().set(SECTION, section);
    }
    ObjectNode metadata = JsonNodeFactory.instance.objectNode();
    metadata.putArray("deployments");
    metadata.set(SECTION, section.deepCopy());
    return metadata;
  }

  /** Once the server exists: a POLL_TEMP_URL server's object is recorded under its id and written. */
  void booted(ResourceContext context, String serverId) {
    JsonNode swift = context.data().path("metadata_swift");
    if (!swift.isObject() || metadataObjects == null) {
      return;
    }
    metadataObjects.register(
        new MetadataObjects.Location(serverId, context.owner().projectId(), swift.path("container").asText(),
            swift.path("object").asText(), (ObjectNode) context.data().get(SECTION)),
        JsonNodeFactory.instance.arrayNode());
  }

  /** Removes the server's stack user and its metadata object, if it has them. */
  void release(ResourceContext context) {
    if (context.data().has(SECTION)) {
      users.delete(context.id());
    }
    if (context.data().path("metadata_swift").isObject() && metadataObjects != null && context.physicalId() != null) {
      metadataObjects.remove(context.physicalId());
    }
  }

  /**
   * The cfn collector's section, as Heat's: the CFN API's URL, an EC2 key pair of the server's
   * stack user, the stack's name and {@code <resource>.Metadata} as the path to read.
   */
  private ObjectNode cfnSection(ResourceContext context) {
    StackUsers.Credentials c = users.ensure(context.stackId(), context.id(), context.physicalName(), context.random());
    dev.kiln.identity.UserCredential key = credentials.createEc2(c.userId(), c.projectId());
    JsonNode blob;
    try {
      blob = new com.fasterxml.jackson.databind.ObjectMapper().readTree(key.blob());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    ObjectNode section = JsonNodeFactory.instance.objectNode();
    ObjectNode cfn = section.putObject("cfn");
    cfn.put("metadata_url", authUrl(context).replace("/identity/v3", "/heat-api-cfn/v1/"));
    cfn.put("access_key_id", blob.path("access").asText());
    cfn.put("secret_access_key", blob.path("secret").asText());
    cfn.put("stack_name", context.stackName());
    cfn.put("path", context.name() + ".Metadata");
    return section;
  }

  private ObjectNode heatSection(ResourceContext context) {
    StackUsers.Credentials c = users.ensure(context.stackId(), context.id(), context.physicalName(), context.random());
    ObjectNode section = JsonNodeFactory.instance.objectNode();
    ObjectNode heat = section.putObject("heat");
    heat.put("user_id", c.userId());
    heat.put("password", c.password());
    heat.put("auth_url", authUrl(context));
    heat.put("project_id", c.projectId());
    heat.put("stack_id", context.stackName() + "/" + context.stackId());
    heat.put("resource_name", context.name());
    return section;
  }

  /**
   * As Heat: the container is {@code deployment_swift_data.container} or the server's physical
   * name, the object {@code deployment_swift_data.object} or a random UUID; the container is made
   * now, so the object can be written as soon as the server exists.
   */
  private ObjectNode tempUrlSection(ResourceContext context, JsonNode properties) throws ResourceError {
    JsonNode swiftData = properties.path("deployment_swift_data");
    String container = text(swiftData, "container", context.physicalName());
    String object = text(swiftData, "object", new UUID(context.random().nextLong(), context.random().nextLong()).toString());
    String url;
    try {
      objectStore.ensureContainer(context.owner().projectId(), container);
      url = objectStore.tempUrl(context.owner().projectId(), container, object, "GET", FOREVER);
    } catch (RuntimeException e) {
      throw new ResourceError("StackValidationFailed", "deployment_swift_data: " + e.getMessage());
    }
    ObjectNode swift = context.data().putObject("metadata_swift");
    swift.put("container", container);
    swift.put("object", object);
    ObjectNode section = JsonNodeFactory.instance.objectNode();
    section.putObject("request").put("metadata_url", url);
    return section;
  }

  private static String text(JsonNode node, String field, String fallback) {
    JsonNode v = node.path(field);
    return v.isTextual() && !v.asText().isEmpty() ? v.asText() : fallback;
  }

  private static String authUrl(ResourceContext context) {
    String signal = context.signalUrl();
    int at = signal.indexOf("/heat-api/");
    return (at < 0 ? signal : signal.substring(0, at)) + "/identity/v3";
  }
}
