package dev.kiln.orchestration.resources.software;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.ServiceException;
import dev.kiln.orchestration.resources.Cloud;
import dev.kiln.orchestration.resources.NestedStacks;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.ResourceError;
import dev.kiln.orchestration.resources.ResourceState;
import dev.kiln.orchestration.resources.ResourceType;
import dev.kiln.orchestration.software.SoftwareConfig;
import dev.kiln.orchestration.software.SoftwareDeployment;
import dev.kiln.orchestration.software.SoftwareService;
import dev.kiln.orchestration.software.StackUsers;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code OS::Heat::SoftwareDeployment} and {@code OS::Heat::StructuredDeployment}. For each action
 * in {@code actions} it derives a config (the source's config for that action, its inputs with
 * values and the {@code deploy_*} inputs), points its deployment at it, which puts it in the
 * server's metadata, and waits until the server signals COMPLETE or FAILED, woken by the signal and
 * never past the stack's deadline (then the deployment is failed, so a late signal changes
 * nothing). The derived config and deployment ids come from the resource row, so a step repeated
 * after a crash adopts them.
 */
final class SoftwareDeploymentResource implements ResourceType {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final Cloud cloud;
  private final SoftwareService software;
  private final StackUsers users;
  private final boolean structured;
  private final SwiftSignals swiftSignals;

  SoftwareDeploymentResource(Cloud cloud, SoftwareService software, StackUsers users, boolean structured) {
    this.cloud = requireNonNull(cloud, "cloud is null");
    this.swiftSignals = new SwiftSignals(cloud.objectStore(), software);
    this.software = requireNonNull(software, "software is null");
    this.users = requireNonNull(users, "users is null");
    this.structured = structured;
  }

  @Override
  public ResourceSchema schema() {
    return structured ? DeploymentSchemas.STRUCTURED : DeploymentSchemas.PLAIN;
  }

  @Override
  public void create(ResourceContext context) throws Exception {
    run(context, "CREATE");
  }

  @Override
  public void update(ResourceContext context, JsonNode previous) throws Exception {
    run(context, "UPDATE");
  }

  @Override
  public void suspend(ResourceContext context) throws Exception {
    run(context, "SUSPEND");
  }

  @Override
  public void resume(ResourceContext context) throws Exception {
    run(context, "RESUME");
  }

  @Override
  public void delete(ResourceContext context) throws Exception {
    String id = DerivedIds.deployment(context.id());
    Optional<SoftwareDeployment> existing = software.find(id);
    if (existing.isPresent() && context.properties() != null && serverExists(context.properties().path("server").asText())) {
      run(context, "DELETE");
    }
    existing = software.find(id);
    if (existing.isPresent()) {
      try {
        software.deleteDeployment(context.owner(), id);
        software.deleteConfig(context.owner(), existing.get().configId());
      } catch (ServiceException e) {
        if (e.kind() != ServiceException.Kind.NOT_FOUND) {
          throw e;
        }
      }
    }
    users.delete(context.id());
    swiftSignals.remove(context);
  }

  /** Deploys for {@code action} if the resource's {@code actions} name it, and waits for the outcome. */
  private void run(ResourceContext context, String action) throws Exception {
    JsonNode p = context.properties();
    if (!DeploymentSchemas.actions(p).contains(action)) {
      return;
    }
    String configRef = p.path("config").asText(null);
    String serverId = p.path("server").asText();
    if (!serverExists(serverId)) {
      throw new ResourceError("NotFound", "The server (" + serverId + ") could not be found.");
    }
    SoftwareConfig source = source(context, configRef);
    JsonNode config = ActionConfigs.choose(context, configRef, action, source.config());
    JsonNode inputValues = p.path("input_values").isObject() ? p.get("input_values") : JSON.objectNode();
    if (structured) {
      config = StructuredInputs.substitute(config, inputValues, p.path("input_key").asText("get_input"),
          p.path("input_values_validation").asText("LAX"));
    }
    String transport = p.path("signal_transport").asText(DeploymentSchemas.DEFAULT_TRANSPORT);
    boolean tempUrl = transport.equals("TEMP_URL_SIGNAL");
    boolean cfn = transport.equals("CFN_SIGNAL");
    if (transport.equals("ZAQAR_SIGNAL") || (tempUrl && cloud.objectStore() == null)
        || (cfn && cloud.credentials() == null)) {
      throw new ResourceError(
          "StackValidationFailed",
          "signal_transport " + transport + " is not available in this Kiln (it needs EC2 credentials, Object Storage"
              + " or Zaqar); use HEAT_SIGNAL, CFN_SIGNAL, TEMP_URL_SIGNAL or NO_SIGNAL.");
    }
    StackUsers.Credentials credentials = transport.equals("HEAT_SIGNAL") || cfn ? credentials(context) : null;
    // TEMP_URL_SIGNAL: the object is emptied before the deployment is (re)started, so only a signal
    // written for this action counts. CFN_SIGNAL: a URL pre-signed with the stack user's EC2 key.
    String signalUrl = tempUrl ? swiftSignals.reset(context)
        : cfn ? new CfnSignalUrls(cloud.credentials()).signalUrl(context, credentials) : context.signalUrl();
    DerivedInputs.Signal signal = new DerivedInputs.Signal(transport, credentials, authUrl(context), signalUrl);
    String name = p.hasNonNull("name") ? p.get("name").asText() : source.name() != null ? source.name() : context.physicalName();
    SoftwareConfig derived =
        software.createConfig(
            context.owner(),
            new SoftwareService.ConfigSpec(
                DerivedIds.config(context.id(), action, context.startedAt()), name, source.group(), config,
                DerivedInputs.build(source, inputValues, serverId, action, context.stackName() + "/" + context.stackId(),
                    context.name(), signal),
                source.outputs(), source.options()));
    boolean noSignal = transport.equals("NO_SIGNAL");
    String status = noSignal ? SoftwareDeployment.COMPLETE : SoftwareDeployment.IN_PROGRESS;
    String reason = noSignal ? "Not waiting for outputs signal" : "Deploy data available";
    String id = DerivedIds.deployment(context.id());
    Optional<SoftwareDeployment> existing = software.find(id);
    if (existing.isEmpty()) {
      software.createDeployment(
          context.owner(),
          new SoftwareService.DeploymentSpec(
              id, derived.id(), serverId, inputValues, action, status, reason, StackUsers.projectIdOf(context.stackId())));
    } else if (!existing.get().configId().equals(derived.id())) {
      software.updateDeployment(
          context.owner(), id,
          new SoftwareService.DeploymentChange(derived.id(), inputValues, null, action, status, reason));
      try {
        software.deleteConfig(context.owner(), existing.get().configId());
      } catch (ServiceException e) {
        // Only the previous derived config goes; one still referenced elsewhere stays.
      }
    }
    context.physicalId(id);
    if (!noSignal) {
      await(context, id, serverId, tempUrl);
    }
  }

  private void await(ResourceContext context, String id, String serverId, boolean tempUrl) throws Exception {
    // Give up a little before the stack's deadline: the engine interrupts steps at the deadline,
    // and failing the deployment is a write that should not race that interrupt.
    Instant until = context.deadline().minusSeconds(2);
    while (true) {
      SoftwareDeployment d = software.find(id)
          .orElseThrow(() -> new ResourceError("NotFound", "Deployment with id " + id + " not found"));
      if (d.status().equals(SoftwareDeployment.COMPLETE)) {
        return;
      }
      if (d.status().equals(SoftwareDeployment.FAILED)) {
        throw new ResourceError("Error", "Deployment to server failed: " + d.statusReason());
      }
      if (tempUrl && swiftSignals.take(context, id)) {
        continue;
      }
      Instant now = context.clock().instant();
      if (!now.isBefore(until)) {
        String reason = "Deployment to server " + serverId + " timed out waiting for its signal";
        software.failInProgress(id, reason);
        throw new ResourceError("Timeout", reason);
      }
      // Woken by a signal; a deployment completed through the API (PUT) is seen within a second, a
      // signal written to the temp-URL object (which Kiln polls, as Heat does) within a fifth.
      Instant next = tempUrl ? now.plusMillis(200) : now.plusSeconds(1);
      try {
        context.awaitSignal(List.of(), next.isBefore(until) ? next : until);
      } catch (InterruptedException e) {
        // Cancelled or let go: a signal that comes later must not count. The write runs on a thread
        // of its own, since database I/O on an interrupted thread can break the embedded store's file.
        Thread.ofVirtual().start(
            () -> software.failInProgress(id, "Deployment to server " + serverId + " was stopped before its signal came"));
        throw e;
      }
    }
  }

  private SoftwareConfig source(ResourceContext context, String configRef) throws ResourceError {
    if (configRef == null || configRef.isEmpty()) {
      // Heat deploys an empty config when none is given: only the deploy_* inputs reach the server.
      return new SoftwareConfig(null, context.owner().projectId(), null, "Heat::Ungrouped", JSON.textNode(""),
          JSON.arrayNode(), JSON.arrayNode(), JSON.objectNode(), context.clock().instant());
    }
    try {
      return software.config(context.owner(), configRef);
    } catch (ServiceException e) {
      throw new ResourceError("NotFound", e.getMessage());
    }
  }

  /** The deployment's stack user, made at its first action and kept in its data after. */
  private StackUsers.Credentials credentials(ResourceContext context) {
    JsonNode saved = context.data().get("stack_user");
    if (saved != null && saved.hasNonNull("password")) {
      return new StackUsers.Credentials(
          saved.path("user_id").asText(), saved.path("password").asText(), saved.path("project_id").asText());
    }
    StackUsers.Credentials c = users.ensure(context.stackId(), context.id(), context.physicalName(), context.random());
    ObjectNode record = context.data().putObject("stack_user");
    record.put("user_id", c.userId());
    record.put("password", c.password());
    record.put("project_id", c.projectId());
    return c;
  }

  /** Identity's v3 URL, from the public URL the signal URL is made of. */
  static String authUrl(ResourceContext context) {
    String signal = context.signalUrl();
    int at = signal.indexOf("/heat-api/");
    return (at < 0 ? signal : signal.substring(0, at)) + "/identity/v3";
  }

  private boolean serverExists(String serverId) {
    return serverId != null && !serverId.isEmpty() && cloud.servers().servers().find(serverId).isPresent();
  }

  /**
   * As Heat: a changed value of an input that the (new) config declares {@code replace_on_change:
   * true} replaces the deployment instead of updating it, so the new value reaches a new
   * deployment (and its server runs the CREATE action again).
   */
  @Override
  public boolean needsReplacement(JsonNode previous, JsonNode next) {
    if (previous == null || next == null) {
      return false;
    }
    String configRef = next.path("config").asText("");
    if (configRef.isEmpty()) {
      return false;
    }
    Optional<SoftwareConfig> config = software.configById(configRef);
    if (config.isEmpty()) {
      return false;
    }
    JsonNode before = previous.path("input_values");
    JsonNode after = next.path("input_values");
    for (JsonNode input : config.get().inputs()) {
      JsonNode flag = input.path("replace_on_change");
      boolean replace = flag.isBoolean() ? flag.booleanValue() : "true".equalsIgnoreCase(flag.asText());
      String name = input.path("name").asText();
      if (replace && !before.path(name).equals(after.path(name))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean signalable() {
    return true;
  }

  @Override
  public String signal(ResourceState resource, JsonNode details) {
    String outcome = software.signal(DerivedIds.deployment(resource.id()), details);
    return outcome != null ? "Signal: " + outcome : "Signal: ignored, the deployment is not in progress";
  }

  @Override
  public JsonNode attribute(ResourceState resource, String name, NestedStacks nested) {
    return software.find(DerivedIds.deployment(resource.id()))
        .map(d -> d.outputValues().get(name))
        .filter(v -> v != null)
        .orElse(NullNode.instance);
  }
}
