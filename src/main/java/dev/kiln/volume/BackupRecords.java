package dev.kiln.volume;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.store.Database;
import dev.kiln.tasks.Task;
import dev.kiln.tasks.TaskRunner;
import dev.kiln.volume.store.BackupStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Backup records (admins only): an export is everything the database knows of an available
 * backup, base64-encoded JSON, which an import turns back into a backup (under the id the record
 * names, in the importing admin's project) after the database lost it, as Cinder's export_record
 * and import_record do. An import counts against the project's backup quotas and is checked by a
 * durable task ({@code creating}, then {@code available}).
 */
public final class BackupRecords {
  /** The backup driver Kiln's records name; an import of another driver's record is refused. */
  public static final String SERVICE = "cinder.backup.drivers.kiln.SimulatedBackupDriver";
  static final String IMPORT_TASK = "backup.import";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Database db;
  private final Clock clock;
  private final VolumeQuotas quotas;
  private final Backups backups;
  private final TaskRunner tasks;

  public BackupRecords(Database db, Clock clock, VolumeQuotas quotas, Backups backups, TaskRunner tasks) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.quotas = requireNonNull(quotas, "quotas is null");
    this.backups = requireNonNull(backups, "backups is null");
    this.tasks = requireNonNull(tasks, "tasks is null");
    tasks.register(IMPORT_TASK, this::finishImport);
  }

  /** An exported record: the driver that holds the data and the record itself. */
  public record Exported(String backupService, String backupUrl) {}

  public Exported export(Actor actor, String id) {
    requireAdmin(actor, "backup:export-import");
    Backup b = backups.visible(actor, id);
    if (!b.status().equals(Backup.Status.AVAILABLE)) {
      throw Backups.invalidBackup("Backup status must be available and not " + b.status() + ".");
    }
    ObjectNode record = JSON.createObjectNode();
    record.put("id", b.id());
    record.put("volume_id", b.volumeId());
    record.put("snapshot_id", b.snapshotId());
    record.put("display_name", b.name());
    record.put("display_description", b.description());
    record.put("container", b.container());
    record.put("availability_zone", b.availabilityZone());
    record.put("size", b.size());
    record.put("object_count", b.objectCount());
    record.put("parent_id", b.parentId());
    record.put("service", SERVICE);
    record.put("data_timestamp", b.dataTimestamp().toString());
    record.put("created_at", b.createdAt().toString());
    record.set("metadata", JSON.valueToTree(b.metadata()));
    ObjectNode volume = record.putObject("volume");
    volume.put("bootable", b.source().bootable());
    volume.set("metadata", JSON.valueToTree(b.source().metadata()));
    volume.set("image_metadata", JSON.valueToTree(b.source().imageMetadata()));
    String url = Base64.getEncoder().encodeToString(record.toString().getBytes(StandardCharsets.UTF_8));
    return new Exported(SERVICE, url);
  }

  /** Imports a record; answers the backup, {@code creating} until the import task checks it. */
  public Backup importRecord(Actor actor, String backupService, String backupUrl) {
    requireAdmin(actor, "backup:backup-import");
    if (actor.projectId() == null) {
      throw VolumeErrors.invalidInput("a project-scoped token is needed to import a backup.");
    }
    if (!SERVICE.equals(backupService)) {
      throw Backups.invalidBackup("Import record failed, cannot find backup service to perform the import. Request service "
          + backupService + ".");
    }
    JsonNode record = decode(backupUrl);
    String id = record.path("id").asText("");
    if (id.isEmpty()) {
      throw Backups.invalidBackup("Provided backup record is missing an id");
    }
    Instant now = now();
    Backup imported;
    try {
      imported = new Backup(
          id, actor.projectId(), actor.userId(), text(record, "volume_id"), text(record, "snapshot_id"),
          text(record, "display_name"), text(record, "display_description"), text(record, "container"),
          text(record, "availability_zone"), record.path("size").asInt(), record.path("object_count").asInt(),
          Backup.Status.CREATING, null, text(record, "parent_id"), 0, null, null,
          new Backup.Source(record.at("/volume/bootable").asBoolean(), strings(record.at("/volume/metadata")),
              strings(record.at("/volume/image_metadata"))),
          strings(record.path("metadata")), Instant.parse(record.path("data_timestamp").asText()), now, now);
    } catch (RuntimeException e) {
      throw unparsable();
    }
    if (imported.volumeId() == null || imported.size() < 1) {
      throw unparsable();
    }
    db.inTransaction(sql -> {
      BackupStore store = new BackupStore(sql);
      if (store.lock(id).isPresent()) {
        throw Backups.invalidBackup("Backup already exists in database.");
      }
      quotas.reserveBackups(sql, actor.projectId(), 1, imported.size());
      store.insert(imported);
      if (imported.parentId() != null && store.lock(imported.parentId()).isPresent()) {
        store.addDependents(imported.parentId(), 1, now);
      }
      tasks.submit(sql, IMPORT_TASK, Backups.idPayload(id), now, 3);
      return null;
    });
    tasks.wake();
    return backups.visible(actor, id);
  }

  /** The simulated check of the imported record against the backup store: its data is there. */
  private String finishImport(Task task) {
    new BackupStore(db.sql())
        .transition(Backups.idOf(task), java.util.List.of(Backup.Status.CREATING), Backup.Status.AVAILABLE, null, now());
    return null;
  }

  private static JsonNode decode(String url) {
    try {
      return JSON.readTree(new String(Base64.getDecoder().decode(url), StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw unparsable();
    }
  }

  private static String text(JsonNode record, String field) {
    JsonNode value = record.path(field);
    return value.isTextual() ? value.asText() : null;
  }

  private static Map<String, String> strings(JsonNode object) {
    Map<String, String> out = new LinkedHashMap<>();
    object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  private static ServiceException unparsable() {
    return VolumeErrors.invalidInput("Can't parse backup record.");
  }

  private static void requireAdmin(Actor actor, String rule) {
    if (!actor.admin()) {
      throw VolumeTypes.policy(rule);
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
