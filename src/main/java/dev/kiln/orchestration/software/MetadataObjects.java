package dev.kiln.orchestration.software;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.objectstore.ObjectStoreService;
import dev.kiln.orchestration.store.JsonColumns;
import dev.kiln.store.Database;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The POLL_TEMP_URL transport's side of a server's metadata: the Swift object (in the stack
 * owner's account) that holds the server's {@code deployments} and {@code os-collect-config}, which
 * the guest reads through a GET temp URL. Heat rewrites the object whenever the server's
 * deployments change; so does Kiln, from {@link SoftwareService}, so the object never lags a
 * deployment by more than the write that changed it.
 */
public final class MetadataObjects {
  private final Database db;
  private final ObjectStoreService objectStore;

  /** @param objectStore Kiln's Object Storage, or null when this Kiln has none (nothing is published) */
  public MetadataObjects(Database db, ObjectStoreService objectStore) {
    this.db = requireNonNull(db, "db is null");
    this.objectStore = objectStore;
  }

  /** Where one server's metadata object is. */
  public record Location(String serverId, String projectId, String container, String objectName, ObjectNode section) {}

  public boolean available() {
    return objectStore != null;
  }

  /** Records the server's object (replacing any earlier record) and writes its first content. */
  public void register(Location location, ArrayNode deployments) {
    requireNonNull(location, "location is null");
    db.sql().update("DELETE FROM heat_metadata_object WHERE server_id = ?", location.serverId());
    db.sql().update(
        "INSERT INTO heat_metadata_object (server_id, project_id, container, object_name, section) VALUES (?, ?, ?, ?, ?)",
        location.serverId(), location.projectId(), location.container(), location.objectName(),
        JsonColumns.write(location.section()));
    write(location, deployments);
  }

  /** The server's object, if it has one. */
  public Optional<Location> find(String serverId) {
    return db.sql().queryOne(
        "SELECT server_id, project_id, container, object_name, section FROM heat_metadata_object WHERE server_id = ?",
        row -> new Location(row.getString("server_id"), row.getString("project_id"), row.getString("container"),
            row.getString("object_name"), (ObjectNode) JsonColumns.read(row.getString("section"))),
        serverId);
  }

  /** Rewrites the server's object with its current deployments; nothing when it has none. */
  void publish(String serverId, java.util.function.Supplier<ArrayNode> deployments) {
    if (objectStore == null || serverId == null) {
      return;
    }
    find(serverId).ifPresent(location -> write(location, deployments.get()));
  }

  /** Forgets the server's object and deletes it, and its container once that is empty. */
  public void remove(String serverId) {
    Optional<Location> location = find(serverId);
    db.sql().update("DELETE FROM heat_metadata_object WHERE server_id = ?", serverId);
    if (location.isEmpty() || objectStore == null) {
      return;
    }
    Location l = location.get();
    objectStore.deleteObject(l.projectId(), l.container(), l.objectName());
    objectStore.deleteContainerIfEmpty(l.projectId(), l.container());
  }

  private void write(Location location, ArrayNode deployments) {
    ObjectNode metadata = JsonColumns.object();
    metadata.set("deployments", deployments);
    metadata.set("os-collect-config", location.section());
    objectStore.ensureContainer(location.projectId(), location.container());
    objectStore.putObject(location.projectId(), location.container(), location.objectName(),
        JsonColumns.write(metadata).getBytes(StandardCharsets.UTF_8), "application/json");
  }
}
