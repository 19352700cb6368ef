package dev.kiln.image.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.image.Image;
import dev.kiln.image.ImageStatus;
import dev.kiln.image.Visibility;
import dev.kiln.store.Sql;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The image tables. Only the image service uses this class; the caller decides the transaction
 * and takes the row lock ({@link #lock}) before a read-modify-write.
 */
public final class ImageStore {
  private static final String COLUMNS =
      "id, name, owner, status, visibility, disk_format, container_format, min_disk, min_ram,"
          + " is_protected, os_hidden, data_size, virtual_size, checksum, os_hash_algo, os_hash_value,"
          + " revision, created_at, updated_at";

  private final Sql sql;

  public ImageStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  public void insert(Image i) {
    sql.update(
        "INSERT INTO image_image (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        i.id(), i.name(), i.owner(), i.status().apiName(), i.visibility().apiName(), i.diskFormat(),
        i.containerFormat(), i.minDisk(), i.minRam(), i.protectedImage(), i.hidden(), i.size(),
        i.virtualSize(), i.checksum(), i.hashAlgo(), i.hashValue(), i.revision(), i.createdAt(),
        i.updatedAt());
    insertChildren(i);
  }

  private void insertChildren(Image i) {
    for (Map.Entry<String, String> p : i.properties().entrySet()) {
      sql.update(
          "INSERT INTO image_property (image_id, prop_name, prop_value) VALUES (?, ?, ?)",
          i.id(), p.getKey(), p.getValue());
    }
    for (String tag : i.tags()) {
      sql.update("INSERT INTO image_tag (image_id, tag_value) VALUES (?, ?)", i.id(), tag);
    }
  }

  public Optional<Image> find(String id) {
    return load(" WHERE id = ?", id).stream().findFirst();
  }

  /** Reads the image and locks its row until the transaction ends. */
  public Optional<Image> lock(String id) {
    List<Row> rows =
        sql.query("SELECT " + COLUMNS + " FROM image_image WHERE id = ? FOR UPDATE", ImageStore::row, id);
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(rows.getFirst().image(properties(" WHERE image_id = ?", id), tags(" WHERE image_id = ?", id)));
  }

  /**
   * The images a project may see: public and community ones, its own, and shared ones it is a
   * member of with {@code memberStatus} (any status when null); every image when {@code all} (an
   * admin).
   *
   * @param projectId the project, or null for a caller without one (sees public and community)
   */
  public List<Image> listVisible(String projectId, boolean all, String memberStatus) {
    if (all) {
      return load("");
    }
    String shared =
        " OR (visibility = 'shared' AND id IN (SELECT image_id FROM image_member WHERE member_id = ?"
            + (memberStatus == null ? "" : " AND status = ?") + "))";
    Object[] args =
        memberStatus == null
            ? new Object[] {projectId, projectId}
            : new Object[] {projectId, projectId, memberStatus};
    return load(" WHERE visibility IN ('public', 'community') OR owner = ?" + shared, args);
  }

  private List<Image> load(String where, Object... args) {
    List<Row> rows = sql.query("SELECT " + COLUMNS + " FROM image_image" + where, ImageStore::row, args);
    if (rows.isEmpty()) {
      return List.of();
    }
    String children = " WHERE image_id IN (SELECT id FROM image_image" + where + ")";
    Map<String, Map<String, String>> properties = properties(children, args);
    Map<String, List<String>> tags = tags(children, args);
    List<Image> images = new ArrayList<>(rows.size());
    for (Row r : rows) {
      images.add(r.image(properties, tags));
    }
    return images;
  }

  private Map<String, Map<String, String>> properties(String where, Object... args) {
    Map<String, Map<String, String>> byImage = new HashMap<>();
    sql.query(
        "SELECT image_id, prop_name, prop_value FROM image_property" + where,
        r -> byImage.computeIfAbsent(r.getString("image_id"), k -> new TreeMap<>())
            .put(r.getString("prop_name"), r.getString("prop_value")),
        args);
    return byImage;
  }

  private Map<String, List<String>> tags(String where, Object... args) {
    Map<String, List<String>> byImage = new HashMap<>();
    sql.query(
        "SELECT image_id, tag_value FROM image_tag" + where,
        r -> byImage.computeIfAbsent(r.getString("image_id"), k -> new ArrayList<>()).add(r.getString("tag_value")),
        args);
    return byImage;
  }

  /**
   * Saves what a client may change (name, formats, visibility, owner, limits, flags, tags and
   * properties) if nobody changed the image since {@code expectedRevision}. Status and data
   * columns are left alone: uploads change those with their own conditional updates.
   */
  public boolean updateAttributes(Image i, long expectedRevision) {
    int updated =
        sql.update(
            "UPDATE image_image SET name = ?, owner = ?, visibility = ?, disk_format = ?,"
                + " container_format = ?, min_disk = ?, min_ram = ?, is_protected = ?, os_hidden = ?,"
                + " revision = ?, updated_at = ? WHERE id = ? AND revision = ?",
            i.name(), i.owner(), i.visibility().apiName(), i.diskFormat(), i.containerFormat(),
            i.minDisk(), i.minRam(), i.protectedImage(), i.hidden(), i.revision(), i.updatedAt(), i.id(),
            expectedRevision);
    if (updated != 1) {
      return false;
    }
    sql.update("DELETE FROM image_property WHERE image_id = ?", i.id());
    sql.update("DELETE FROM image_tag WHERE image_id = ?", i.id());
    insertChildren(i);
    return true;
  }

  /** Moves the image from one status to another if it is in {@code from}; false otherwise. */
  public boolean transition(String id, ImageStatus from, ImageStatus to, Instant now) {
    return sql.update(
            "UPDATE image_image SET status = ?, revision = revision + 1, updated_at = ?"
                + " WHERE id = ? AND status = ?",
            to.apiName(), now, id, from.apiName())
        == 1;
  }

  /** Records the uploaded data and makes a saving image active; false if it is no longer saving. */
  public boolean finishUpload(
      String id, long size, Long virtualSize, String checksum, String hashAlgo, String hashValue, Instant now) {
    return sql.update(
            "UPDATE image_image SET status = 'active', data_size = ?, virtual_size = ?, checksum = ?,"
                + " os_hash_algo = ?, os_hash_value = ?, revision = revision + 1, updated_at = ?"
                + " WHERE id = ? AND status = 'saving'",
            size, virtualSize, checksum, hashAlgo, hashValue, now, id)
        == 1;
  }

  /** Deletes an image unless it is protected; answers how many rows went. */
  public int deleteUnprotected(String id) {
    return sql.update("DELETE FROM image_image WHERE id = ? AND is_protected = FALSE", id);
  }

  public Optional<String> seededImage(String seedName) {
    return sql.queryOne("SELECT image_id FROM image_seed WHERE seed_name = ?", r -> r.getString("image_id"), seedName);
  }

  /** Records a seed; a second node seeding the same name at the same moment fails on the key. */
  public void insertSeed(String seedName, String imageId) {
    sql.update("INSERT INTO image_seed (seed_name, image_id) VALUES (?, ?)", seedName, imageId);
  }

  private static Row row(Sql.Row r) throws SQLException {
    long size = r.getLong("data_size");
    boolean sizeNull = r.getString("data_size") == null;
    long virtualSize = r.getLong("virtual_size");
    boolean virtualNull = r.getString("virtual_size") == null;
    return new Row(
        r.getString("id"), r.getString("name"), r.getString("owner"),
        ImageStatus.fromApiName(r.getString("status")), Visibility.fromApiName(r.getString("visibility")),
        r.getString("disk_format"), r.getString("container_format"), r.getInt("min_disk"),
        r.getInt("min_ram"), r.getBoolean("is_protected"), r.getBoolean("os_hidden"),
        sizeNull ? null : size, virtualNull ? null : virtualSize, r.getString("checksum"),
        r.getString("os_hash_algo"), r.getString("os_hash_value"), r.getLong("revision"),
        r.getInstant("created_at"), r.getInstant("updated_at"));
  }

  private record Row(
      String id, String name, String owner, ImageStatus status, Visibility visibility,
      String diskFormat, String containerFormat, int minDisk, int minRam, boolean protectedImage,
      boolean hidden, Long size, Long virtualSize, String checksum, String hashAlgo,
      String hashValue, long revision, Instant createdAt, Instant updatedAt) {

    Image image(Map<String, Map<String, String>> properties, Map<String, List<String>> tags) {
      return new Image(
          id, name, status, visibility, owner, diskFormat, containerFormat, minDisk, minRam,
          protectedImage, hidden, size, virtualSize, checksum, hashAlgo, hashValue,
          tags.getOrDefault(id, List.of()), new TreeMap<>(properties.getOrDefault(id, Map.of())),
          revision, createdAt, updatedAt);
    }
  }
}
