package dev.kiln.compute.actions;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.fleet.HypervisorDriver;
import dev.kiln.compute.fleet.HypervisorException;
import dev.kiln.compute.quotas.ComputeQuotas;
import dev.kiln.compute.servers.InstanceAction;
import dev.kiln.compute.servers.Server;
import dev.kiln.compute.servers.ServerChecks;
import dev.kiln.compute.servers.Servers;
import dev.kiln.compute.servers.store.InstanceActionStore;
import dev.kiln.compute.servers.store.ServerStore;
import dev.kiln.image.Image;
import dev.kiln.image.ImageData;
import dev.kiln.image.ImageService;
import dev.kiln.image.ImageStatus;
import dev.kiln.store.Database;
import dev.kiln.tasks.Task;
import dev.kiln.tasks.TaskHandler;
import dev.kiln.tasks.TaskRunner;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Nova's {@code createImage} (and {@code createBackup}): a snapshot of the server's disk, stored
 * as a Glance image through Image's interface, with the properties Nova gives a snapshot ({@code
 * image_type}, {@code instance_uuid}, {@code base_image_ref}, {@code user_id}, the original
 * image's formats and minimums, and the request's metadata).
 *
 * <p>The request takes the server (task state {@code image_snapshot}), records a durable {@code
 * server.snapshot} task naming the image and creates the image (queued), all in one commit. A task
 * that finds no image (deleted by its owner meanwhile) gives the server back and stops, as Nova's
 * does. The task moves the server through {@code image_pending_upload} and {@code
 * image_uploading}, uploads the data (the original image's bytes, the simulated disk; none for a
 * server booted from a volume) and gives the server back as it was. A snapshot that fails deletes
 * its image, as Nova's does.
 */
public final class ServerSnapshots {
  static final String TASK = "server.snapshot";
  /** The property that orders a server's backups for rotation (the instant each was asked for). */
  static final String BACKUP_ORDER = "kiln_backup_requested_at";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> ALLOWED_VM_STATES = List.of("active", "stopped", "paused", "suspended");
  /** The original image's properties a snapshot does not inherit (Nova's non-inheritable ones). */
  private static final Set<String> NOT_INHERITED =
      Set.of("image_type", "instance_uuid", "base_image_ref", "user_id", "image_location", "owner_id", "backup_type");

  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  private final HypervisorDriver driver;
  private final Servers servers;
  private final ComputeQuotas quotas;
  private final ImageService image;
  private final TaskRunner tasks;

  public ServerSnapshots(
      Database db,
      Clock clock,
      IdGenerator ids,
      HypervisorDriver driver,
      Servers servers,
      ComputeQuotas quotas,
      ImageService image,
      TaskRunner tasks) {
    this.driver = requireNonNull(driver, "driver is null");
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.servers = requireNonNull(servers, "servers is null");
    this.quotas = requireNonNull(quotas, "quotas is null");
    this.image = requireNonNull(image, "image is null");
    this.tasks = requireNonNull(tasks, "tasks is null");
    tasks.register(TASK, TaskHandler.withGiveUp(this::perform, this::giveUp));
  }

  /** What a backup adds to a snapshot: its type ({@code daily}, …) and how many to keep. */
  public record Backup(String type, int rotation) {}

  /**
   * Starts a snapshot of the server as image {@code name} with {@code metadata} (a backup when
   * {@code backup} is given); answers the new image's id at once, as Nova does.
   */
  public String snapshot(Actor actor, String serverId, String name, Map<String, String> metadata, Backup backup) {
    Server server = servers.visible(actor, serverId);
    ServerChecks.requireUnlocked(actor, server);
    if (!ALLOWED_VM_STATES.contains(server.vmState())) {
      throw ServerChecks.invalidState(backup == null ? "createImage" : "createBackup", serverId, "vm_state", server.vmState());
    }
    if (server.taskState() != null) {
      throw ServerChecks.invalidState(backup == null ? "createImage" : "createBackup", serverId, "task_state", server.taskState());
    }
    Map<String, String> properties = properties(server, metadata, backup);
    String imageId = ids.uuid();
    String requestId = InstanceAction.currentRequestId(ids);
    ObjectNode payload = JSON.createObjectNode().put("server_id", serverId).put("image_id", imageId).put("name", name);
    ObjectNode props = payload.putObject("properties");
    properties.forEach(props::put);
    if (backup != null) {
      payload.put("backup_type", backup.type()).put("rotation", backup.rotation());
    }
    payload.put("status", server.status()).put("vm_state", server.vmState()).put("power_state", server.powerState());
    Instant now = now();
    // The image is made in the same transaction as the task: a worker that claims the task at
    // once (woken by anyone's submit) must find the image, or it would give the server back and
    // leave the image queued for good. Glance refusing the image undoes the whole request.
    boolean begun =
        db.inTransactionJoinedByNestedWork(
            sql -> {
              quotas.checkMetadataItems(sql, server.projectId(), metadata.size());
              if (!new ServerStore(sql).beginAction(serverId, server.vmState(), null, "image_snapshot", server.status(), now)) {
                return false;
              }
              new InstanceActionStore(sql)
                  .insert(serverId, requestId, backup == null ? "createImage" : "createBackup", server.projectId(), actor.userId(), now);
              tasks.submit(sql, TASK, payload.toString(), now, 3);
              createImage(server, payload);
              return true;
            });
    if (!begun) {
      Server current = servers.visible(actor, serverId);
      throw ServerChecks.invalidState("createImage", serverId, "task_state", current.taskState());
    }
    tasks.wake();
    return imageId;
  }

  /** Nova's snapshot properties: the original image's (inheritable) ones, the server's, the request's. */
  private Map<String, String> properties(Server server, Map<String, String> metadata, Backup backup) {
    Map<String, String> properties = new LinkedHashMap<>();
    original(server).ifPresent(
        original -> original.properties().forEach((k, v) -> {
          if (!NOT_INHERITED.contains(k)) {
            properties.put(k, v);
          }
        }));
    properties.put("image_type", backup == null ? "snapshot" : "backup");
    properties.put("instance_uuid", server.id());
    properties.put("user_id", server.userId());
    properties.put("base_image_ref", server.imageId() == null ? "" : server.imageId());
    properties.put("image_location", "snapshot");
    properties.put("owner_id", server.projectId());
    if (backup != null) {
      properties.put("backup_type", backup.type());
      // Glance's created_at is shown to the second; backups made within one second still rotate
      // in the order they were made by this property (Kiln's own; Nova has none).
      properties.put(BACKUP_ORDER, now().toString());
    }
    properties.putAll(metadata);
    return properties;
  }

  private Optional<Image> original(Server server) {
    if (server.imageId() == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(image.images().visible(Servers.system(server), server.imageId()));
    } catch (ServiceException e) {
      return Optional.empty(); // deleted since the server booted
    }
  }

  private Optional<Image> existing(Server server, String imageId) {
    try {
      return Optional.of(image.images().visible(new Actor(server.projectId(), server.userId(), false), imageId));
    } catch (ServiceException e) {
      if (e.kind() != ServiceException.Kind.NOT_FOUND) {
        throw e;
      }
      return Optional.empty();
    }
  }

  /** Creates the snapshot's image (queued), as the request does before it answers. */
  private Image createImage(Server server, JsonNode payload) {
    Actor owner = new Actor(server.projectId(), server.userId(), false);
    String imageId = payload.path("image_id").asText();
    Optional<Image> original = original(server);
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("id", imageId);
    request.put("name", payload.path("name").asText());
    request.put("disk_format", original.map(Image::diskFormat).orElse("raw"));
    request.put("container_format", original.map(Image::containerFormat).orElse("bare"));
    request.put("min_disk", Math.max(server.flavor().diskGb(), original.map(Image::minDisk).orElse(0)));
    request.put("min_ram", original.map(Image::minRam).orElse(0));
    request.put("visibility", "private");
    for (Iterator<Map.Entry<String, JsonNode>> it = payload.path("properties").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> p = it.next();
      request.put(p.getKey(), p.getValue().asText());
    }
    return image.images().create(owner, request);
  }

  /** The {@code server.snapshot} task: uploads the image's data and gives the server back. */
  String perform(Task task) throws Exception {
    JsonNode payload = JSON.readTree(task.payload());
    String serverId = payload.path("server_id").asText();
    Server server = servers.find(serverId).orElse(null);
    if (server == null || server.taskState() == null || !server.taskState().startsWith("image_")) {
      return null; // deleted, taken over by a delete, or an earlier attempt finished
    }
    ServerStore store = new ServerStore(db.sql());
    store.advanceTaskState(serverId, "image_snapshot", "image_pending_upload", now());
    // The request made the image before it answered; one that is gone was deleted by its owner
    // (or the request's node died first): the snapshot stops there, as Nova's does.
    Optional<Image> made = existing(server, payload.path("image_id").asText());
    if (made.isPresent() && made.get().status() == ImageStatus.QUEUED && server.host() != null) {
      try {
        // The disk is captured while the image is queued (Nova's proxy shows it SAVING).
        driver.snapshot(new HypervisorDriver.InstanceRef(serverId, server.host()));
      } catch (HypervisorException e) {
        fail(server, payload, e.getMessage());
        return null;
      }
    }
    store.advanceTaskState(serverId, "image_pending_upload", "image_uploading", now());
    if (made.isPresent() && made.get().status() == ImageStatus.QUEUED) {
      Actor owner = new Actor(server.projectId(), server.userId(), false);
      try (Disk disk = disk(server)) {
        image.images().upload(owner, made.get().id(), disk.data(), disk.length());
      } catch (ServiceException e) {
        if (e.kind() != ServiceException.Kind.NOT_FOUND && e.kind() != ServiceException.Kind.CONFLICT) {
          throw e;
        }
        // Deleted while it was being saved (Nova then just stops), or an attempt uploaded it.
      }
    }
    if (payload.has("backup_type")) {
      rotate(server, payload.path("backup_type").asText(), payload.path("rotation").asInt());
    }
    finish(server, payload, null);
    return null;
  }

  /**
   * Nova's backup rotation: of the server's backups of this type, the newest {@code rotation}
   * stay and the older ones are deleted.
   */
  private void rotate(Server server, String type, int rotation) {
    Actor owner = new Actor(server.projectId(), server.userId(), false);
    List<Image> backups =
        image.images().list(owner, dev.kiln.image.ImageQuery.all()).images().stream()
            .filter(i -> server.id().equals(i.properties().get("instance_uuid")))
            .filter(i -> "backup".equals(i.properties().get("image_type")) && type.equals(i.properties().get("backup_type")))
            .sorted(
                java.util.Comparator.comparing((Image i) -> i.properties().getOrDefault(BACKUP_ORDER, i.createdAt().toString()))
                    .reversed())
            .toList();
    for (Image old : backups.subList(Math.min(rotation, backups.size()), backups.size())) {
      try {
        image.images().delete(owner, old.id());
      } catch (ServiceException e) {
        // deleted meanwhile
      }
    }
  }

  /** The simulated disk: the bytes of the image the server booted from, or none. */
  private record Disk(InputStream data, long length) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      data.close();
    }
  }

  private Disk disk(Server server) {
    if (server.imageId() != null) {
      try {
        Optional<ImageData> data = image.images().download(Servers.system(server), server.imageId());
        if (data.isPresent()) {
          return new Disk(data.get().data(), data.get().length());
        }
      } catch (ServiceException e) {
        // the original is gone: an empty disk
      }
    }
    return new Disk(new ByteArrayInputStream(new byte[0]), 0);
  }

  /** After the task's last attempt failed: the image goes (as Nova deletes a failed snapshot). */
  private void giveUp(Task task, String error) {
    try {
      JsonNode payload = JSON.readTree(task.payload());
      Server server = servers.find(payload.path("server_id").asText()).orElse(null);
      if (server != null) {
        fail(server, payload, error);
      }
    } catch (IOException e) {
      throw new IllegalStateException("unreadable snapshot task " + task.id(), e);
    }
  }

  /** A snapshot that failed: its image is deleted and the server given back as it was. */
  private void fail(Server server, JsonNode payload, String error) {
    try {
      image.images().delete(Servers.system(server), payload.path("image_id").asText());
    } catch (ServiceException e) {
      // already gone
    }
    finish(server, payload, error);
  }

  private void finish(Server server, JsonNode payload, String error) {
    String taskState = new ServerStore(db.sql()).findRow(server.id()).map(Server::taskState).orElse(null);
    if (taskState == null || !taskState.startsWith("image_")) {
      return;
    }
    new ServerStore(db.sql())
        .finishAction(
            server.id(), taskState, payload.path("status").asText(), payload.path("vm_state").asText(),
            payload.path("power_state").asInt(), false, now());
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
