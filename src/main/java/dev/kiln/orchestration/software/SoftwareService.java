package dev.kiln.orchestration.software;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.store.Database;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Heat's software configs and deployments: configs are immutable; a deployment points a server at
 * one and moves IN_PROGRESS → COMPLETE/FAILED when the server signals its outputs. A server's
 * metadata {@code deployments} list is computed from its deployments whenever it is read, so it
 * can never lag a change. Refusals are {@link ServiceException}s with Heat's types and messages.
 */
public final class SoftwareService {
  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  private final MetadataObjects objects;

  /** A service with no Object Storage: POLL_TEMP_URL servers are not possible. */
  public SoftwareService(Database db, Clock clock, IdGenerator ids) {
    this(db, clock, ids, new MetadataObjects(db, null));
  }

  /** A service that rewrites POLL_TEMP_URL servers' metadata objects whenever their deployments change. */
  public SoftwareService(Database db, Clock clock, IdGenerator ids, MetadataObjects objects) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.objects = requireNonNull(objects, "objects is null");
  }

  /** The POLL_TEMP_URL metadata objects this service keeps current. */
  public MetadataObjects metadataObjects() {
    return objects;
  }

  /** Rewrites the server's metadata object, when it is a POLL_TEMP_URL server, as Heat pushes metadata. */
  private void publish(String serverId) {
    objects.publish(serverId, () -> metadata(null, serverId));
  }

  /** What a config is made from; {@code id} null for a new random id (a resource passes its own). */
  public record ConfigSpec(String id, String name, String group, JsonNode config, JsonNode inputs, JsonNode outputs,
      JsonNode options) {}

  /** What a deployment is made from; null members take Heat's defaults. */
  public record DeploymentSpec(String id, String configId, String serverId, JsonNode inputValues, String action,
      String status, String statusReason, String stackUserProjectId) {}

  /** A deployment update; null members keep their value, as Heat's update_software_deployment. */
  public record DeploymentChange(String configId, JsonNode inputValues, JsonNode outputValues, String action,
      String status, String statusReason) {}

  private SoftwareStore store() {
    return new SoftwareStore(db.sql());
  }

  // Configs

  public SoftwareConfig createConfig(Actor actor, ConfigSpec spec) {
    ConfigShape.Checked checked = ConfigShape.check(spec);
    String id = spec.id() != null ? spec.id() : ids.uuid();
    if (spec.id() != null) {
      var existing = store().config(id);
      if (existing.isPresent()) {
        return existing.get(); // a resource's create repeated after a crash
      }
    }
    SoftwareConfig config =
        new SoftwareConfig(
            id, actor.projectId(), spec.name(), checked.group(), checked.config(), checked.inputs(), checked.outputs(),
            checked.options(), clock.instant());
    store().insertConfig(config);
    return config;
  }

  public SoftwareConfig config(Actor actor, String id) {
    return store().config(id).filter(c -> actor.owns(c.projectId()))
        .orElseThrow(() -> ServiceException.notFound("NotFound", "Software config with id " + id + " not found"));
  }

  /** The config by id with no access check (for the resource that made it), if it exists. */
  public java.util.Optional<SoftwareConfig> configById(String id) {
    return store().config(id);
  }

  /** Fails an IN_PROGRESS deployment (a resource that stopped waiting); false if it was no longer in progress. */
  public boolean failInProgress(String id, String reason) {
    SoftwareStore store = store();
    return store.deployment(id).filter(d -> d.status().equals(SoftwareDeployment.IN_PROGRESS))
        .map(d -> store.updateDeployment(
            new SoftwareDeployment(d.id(), d.projectId(), d.stackUserProjectId(), d.configId(), d.serverId(),
                d.inputValues(), d.outputValues(), d.action(), SoftwareDeployment.FAILED, reason, d.createdAt(),
                clock.instant()),
            SoftwareDeployment.IN_PROGRESS))
        .orElse(false);
  }

  /** The project's configs oldest first, from after {@code marker}, at most {@code limit}. */
  public List<SoftwareConfig> configs(Actor actor, boolean allProjects, Integer limit, String marker) {
    List<SoftwareConfig> all = store().configs(allProjects && actor.admin() ? null : actor.projectId());
    int start = 0;
    if (marker != null) {
      start = -1;
      for (int i = 0; i < all.size(); i++) {
        if (all.get(i).id().equals(marker)) {
          start = i + 1;
        }
      }
      if (start < 0) {
        throw ServiceException.notFound("NotFound", "Software config with id " + marker + " not found");
      }
    }
    int end = limit == null ? all.size() : Math.min(all.size(), start + limit);
    return List.copyOf(all.subList(start, Math.max(start, end)));
  }

  public void deleteConfig(Actor actor, String id) {
    config(actor, id);
    SoftwareStore store = store();
    if (store.configInUse(id)) {
      throw ServiceException.invalid(
          "InvalidRestrictedAction", "Software config with id " + id + " can not be deleted as it is referenced.");
    }
    store.deleteConfig(id);
  }

  // Deployments

  public SoftwareDeployment createDeployment(Actor actor, DeploymentSpec spec) {
    if (spec.configId() == null || spec.configId().isBlank()) {
      throw ServiceException.invalid("HTTPBadRequest", "A software deployment needs a config_id.");
    }
    if (spec.serverId() == null || spec.serverId().isBlank()) {
      throw ServiceException.invalid("HTTPBadRequest", "A software deployment needs a server_id.");
    }
    config(actor, spec.configId());
    ObjectNode inputs = objectOrEmpty(spec.inputValues(), "input_values");
    String status = spec.status() == null ? SoftwareDeployment.COMPLETE : checkStatus(spec.status());
    SoftwareDeployment d =
        new SoftwareDeployment(
            spec.id() != null ? spec.id() : ids.uuid(), actor.projectId(), spec.stackUserProjectId(), spec.configId(),
            spec.serverId(), inputs, JsonNodeFactory.instance.objectNode(),
            spec.action() == null ? "INIT" : spec.action(), status,
            spec.statusReason() == null ? "" : spec.statusReason(), clock.instant(), null);
    SoftwareStore store = store();
    if (!store.insertDeployment(d)) {
      return deployment(actor, d.id());
    }
    publish(d.serverId());
    return d;
  }

  public SoftwareDeployment deployment(Actor actor, String id) {
    return find(id).filter(d -> visible(actor, d))
        .orElseThrow(() -> ServiceException.notFound("NotFound", "Deployment with id " + id + " not found"));
  }

  /** The deployment by id with no access check (for the resource that made it), if it exists. */
  public java.util.Optional<SoftwareDeployment> find(String id) {
    return store().deployment(id);
  }

  public List<SoftwareDeployment> deployments(Actor actor, String serverId) {
    return store().deployments(actor.admin() ? null : actor.projectId(), serverId);
  }

  public SoftwareDeployment updateDeployment(Actor actor, String id, DeploymentChange change) {
    if (change.configId() != null) {
      config(actor, change.configId());
    }
    String status = change.status() == null ? null : checkStatus(change.status());
    ObjectNode inputs = change.inputValues() == null ? null : objectOrEmpty(change.inputValues(), "input_values");
    ObjectNode outputs = change.outputValues() == null ? null : objectOrEmpty(change.outputValues(), "output_values");
    SoftwareStore store = store();
    for (int attempt = 0; ; attempt++) {
      SoftwareDeployment d = deployment(actor, id);
      SoftwareDeployment next =
          new SoftwareDeployment(
              d.id(), d.projectId(), d.stackUserProjectId(), or(change.configId(), d.configId()), d.serverId(),
              inputs != null ? inputs : d.inputValues(), outputs != null ? outputs : d.outputValues(),
              or(change.action(), d.action()), or(status, d.status()), or(change.statusReason(), d.statusReason()),
              d.createdAt(), clock.instant());
      if (store.updateDeployment(next, d.status()) || attempt > 10) {
        if (!next.configId().equals(d.configId())) {
          publish(next.serverId());
        }
        return next;
      }
    }
  }

  public void deleteDeployment(Actor actor, String id) {
    SoftwareDeployment d = deployment(actor, id);
    store().deleteDeployment(id);
    publish(d.serverId());
  }

  /**
   * Takes a server's signal for an IN_PROGRESS deployment, as heat-config-notify sends it: {@code
   * deploy_stdout}, {@code deploy_stderr}, {@code deploy_status_code} and declared outputs. A
   * non-zero status code or a present {@code error_output} fails it. Returns a short description
   * of the outcome; a deployment not in progress ignores the signal (null).
   */
  public String signal(String deploymentId, JsonNode details) {
    SoftwareStore store = store();
    SoftwareDeployment d = store.deployment(deploymentId)
        .orElseThrow(() -> ServiceException.notFound("NotFound", "Deployment with id " + deploymentId + " not found"));
    if (!d.status().equals(SoftwareDeployment.IN_PROGRESS)) {
      return null;
    }
    SoftwareConfig config = store.config(d.configId()).orElseThrow();
    SignalOutcome outcome = SignalOutcome.of(config, d.outputValues(), details);
    SoftwareDeployment next =
        new SoftwareDeployment(
            d.id(), d.projectId(), d.stackUserProjectId(), d.configId(), d.serverId(), d.inputValues(),
            outcome.outputs(), d.action(), outcome.status(), outcome.reason(), d.createdAt(), clock.instant());
    // Only the first signal of an IN_PROGRESS deployment counts; a racing one finds it done.
    return store.updateDeployment(next, SoftwareDeployment.IN_PROGRESS) ? outcome.eventReason() : null;
  }

  /**
   * The server's metadata {@code deployments} list: the config of each of its deployments, as
   * Heat formats a config in detail, ordered by config name so the order is under the user's
   * control. {@code actor} null reads for the server's stack (already authorised).
   */
  public ArrayNode metadata(Actor actor, String serverId) {
    if (serverId == null || serverId.isBlank()) {
      throw ServiceException.invalid("HTTPBadRequest", "server_id must be specified");
    }
    SoftwareStore store = store();
    List<SoftwareDeployment> ds = store.deployments(actor == null || actor.admin() ? null : actor.projectId(), serverId);
    Map<String, SoftwareConfig> configs = new HashMap<>();
    store.configs(ds.stream().map(SoftwareDeployment::configId).distinct().toList()).forEach(c -> configs.put(c.id(), c));
    List<SoftwareConfig> ordered = new ArrayList<>();
    for (SoftwareDeployment d : ds) {
      SoftwareConfig c = configs.get(d.configId());
      if (c != null) {
        ordered.add(c);
      }
    }
    ordered.sort(Comparator.comparing(c -> Objects.requireNonNullElse(c.name(), "")));
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    ordered.forEach(c -> out.add(SoftwareViews.config(c, true)));
    return out;
  }

  private static boolean visible(Actor actor, SoftwareDeployment d) {
    return actor.owns(d.projectId()) || (actor.projectId() != null && actor.projectId().equals(d.stackUserProjectId()));
  }

  private static String checkStatus(String status) {
    if (!status.equals(SoftwareDeployment.IN_PROGRESS) && !status.equals(SoftwareDeployment.COMPLETE)
        && !status.equals(SoftwareDeployment.FAILED)) {
      throw ServiceException.invalid(
          "HTTPBadRequest", "Invalid status \"" + status + "\": it must be IN_PROGRESS, COMPLETE or FAILED.");
    }
    return status;
  }

  private static ObjectNode objectOrEmpty(JsonNode node, String field) {
    if (node == null || node.isNull()) {
      return JsonNodeFactory.instance.objectNode();
    }
    if (!node.isObject()) {
      throw ServiceException.invalid("HTTPBadRequest", "The " + field + " of a software deployment must be a map.");
    }
    return ((ObjectNode) node).deepCopy();
  }

  private static String or(String value, String fallback) {
    return value != null ? value : fallback;
  }

  Instant now() {
    return clock.instant();
  }
}
