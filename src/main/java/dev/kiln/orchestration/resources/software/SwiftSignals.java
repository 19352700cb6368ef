package dev.kiln.orchestration.resources.software;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.objectstore.ObjectStoreService;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.software.SoftwareService;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * The TEMP_URL_SIGNAL transport, as Heat has it: the deployment's signal is an object in a
 * container named after the stack id, in the stack owner's account, which the server writes with a
 * PUT temp URL (its {@code deploy_signal_id}); Kiln reads the object while it waits and takes what
 * was written as the deployment's signal (Heat's engine does the same when it checks a deployment).
 */
final class SwiftSignals {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Heat's Swift client plugin signs temp URLs to just before the end of 32-bit epoch time. */
  private static final Instant FOREVER = Instant.ofEpochSecond(Integer.MAX_VALUE - 60L);

  private final ObjectStoreService objectStore;
  private final SoftwareService software;

  /** @param objectStore Object Storage, or null when this Kiln has none (the transport is refused before use) */
  SwiftSignals(ObjectStoreService objectStore, SoftwareService software) {
    this.objectStore = objectStore;
    this.software = requireNonNull(software, "software is null");
  }

  /** Empties the signal object (making its container first) and answers its PUT temp URL. */
  String reset(ResourceContext context) {
    String project = context.owner().projectId();
    String container = context.stackId();
    String object = context.physicalName();
    objectStore.ensureContainer(project, container);
    objectStore.putObject(project, container, object, new byte[0], "application/octet-stream");
    ObjectNode record = context.data().putObject("swift_signal");
    record.put("container", container);
    record.put("object", object);
    String url = objectStore.tempUrl(project, container, object, "PUT", FOREVER);
    record.put("url", url);
    return url;
  }

  /**
   * Takes a signal written to the object, if there is one: true when the deployment was signalled
   * (or failed because what was written is not a JSON object), false when nothing was written yet.
   */
  boolean take(ResourceContext context, String deploymentId) {
    JsonNode record = context.data().path("swift_signal");
    Optional<byte[]> body =
        objectStore.readObject(context.owner().projectId(), record.path("container").asText(), record.path("object").asText());
    if (body.isEmpty() || body.get().length == 0) {
      return false;
    }
    JsonNode details;
    try {
      details = JSON.readTree(body.get());
    } catch (IOException e) {
      details = null;
    }
    if (details == null || !details.isObject()) {
      return software.failInProgress(deploymentId, "The signal written to the deployment's temp URL is not a JSON object");
    }
    software.signal(deploymentId, details);
    return true;
  }

  /** Deletes the signal object, and the stack's signal container once it is empty. */
  void remove(ResourceContext context) {
    JsonNode record = context.data().path("swift_signal");
    if (!record.isObject() || objectStore == null) {
      return;
    }
    String project = context.owner().projectId();
    objectStore.deleteObject(project, record.path("container").asText(), record.path("object").asText());
    objectStore.deleteContainerIfEmpty(project, record.path("container").asText());
  }
}
