package dev.kiln.volume.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.store.Sql;
import dev.kiln.volume.Group;
import dev.kiln.volume.GroupSnapshot;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The group and group snapshot tables, and group membership of volumes; the caller's transaction. */
public final class GroupStore {
  private static final String GROUP_COLUMNS =
      "id, project_id, user_id, name, description, status, availability_zone, group_type_id, group_snapshot_id,"
          + " source_group_id, created_at, updated_at";
  private static final String GROUP_SNAPSHOT_COLUMNS =
      "id, project_id, user_id, group_id, group_type_id, name, description, status, created_at, updated_at";

  private final Sql sql;

  public GroupStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  // Groups

  public void insertGroup(Group g) {
    sql.update(
        "INSERT INTO volume_group (" + GROUP_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        g.id(), g.projectId(), g.userId(), g.name(), g.description(), g.status(), g.availabilityZone(),
        g.groupTypeId(), g.groupSnapshotId(), g.sourceGroupId(), g.createdAt(), g.updatedAt());
    for (int i = 0; i < g.volumeTypeIds().size(); i++) {
      sql.update(
          "INSERT INTO volume_group_volume_type (group_id, type_order, volume_type_id) VALUES (?, ?, ?)",
          g.id(), i, g.volumeTypeIds().get(i));
    }
  }

  public Optional<Group> findGroup(String id) {
    return loadGroups(" WHERE id = ?", id).stream().findFirst();
  }

  /** Locks the group's row until the transaction ends; answers the group as it is then. */
  public Optional<Group> lockGroup(String id) {
    return loadGroups(" WHERE id = ? FOR UPDATE", id).stream().findFirst();
  }

  /** A project's groups, or every project's when {@code projectId} is null, oldest first. */
  public List<Group> listGroups(String projectId) {
    return projectId == null
        ? loadGroups(" ORDER BY created_at, id")
        : loadGroups(" WHERE project_id = ? ORDER BY created_at, id", projectId);
  }

  /** Moves the group to {@code status} if it is in one of {@code expected}; answers whether it did. */
  public boolean groupTransition(String id, List<String> expected, String status, Instant now) {
    List<Object> args = new ArrayList<>(List.of(status, now, id));
    args.addAll(expected);
    return sql.update(
            "UPDATE volume_group SET status = ?, updated_at = ? WHERE id = ? AND status IN " + Sql.placeholders(expected.size()),
            args.toArray())
        == 1;
  }

  public void describeGroup(String id, String name, String description, Instant now) {
    sql.update("UPDATE volume_group SET name = ?, description = ?, updated_at = ? WHERE id = ?", name, description, now, id);
  }

  public int deleteGroup(String id) {
    return sql.update("DELETE FROM volume_group WHERE id = ?", id);
  }

  public boolean groupTypeInUse(String groupTypeId) {
    return !sql.query("SELECT id FROM volume_group WHERE group_type_id = ? FETCH FIRST 1 ROWS ONLY", r -> r.getString("id"), groupTypeId)
        .isEmpty();
  }

  /** The ids of the group's volumes, oldest first. */
  public List<String> memberIds(String groupId) {
    return sql.query(
        "SELECT id FROM volume_volume WHERE group_id = ? ORDER BY created_at, id", r -> r.getString("id"), groupId);
  }

  /** Puts a volume into a group, or out of any ({@code groupId} null), if its membership is still {@code expected}. */
  public boolean setMembership(String volumeId, String expected, String groupId, Instant now) {
    return expected == null
        ? sql.update("UPDATE volume_volume SET group_id = ?, updated_at = ? WHERE id = ? AND group_id IS NULL", groupId, now, volumeId) == 1
        : sql.update("UPDATE volume_volume SET group_id = ?, updated_at = ? WHERE id = ? AND group_id = ?", groupId, now, volumeId, expected) == 1;
  }

  private List<Group> loadGroups(String where, Object... args) {
    List<Group> bare = sql.query("SELECT " + GROUP_COLUMNS + " FROM volume_group" + where, GroupStore::group, args);
    if (bare.isEmpty()) {
      return bare;
    }
    Object[] ids = bare.stream().map(Group::id).toArray();
    Map<String, List<String>> types = new LinkedHashMap<>();
    sql.query(
        "SELECT group_id, volume_type_id FROM volume_group_volume_type WHERE group_id IN " + Sql.placeholders(ids.length)
            + " ORDER BY group_id, type_order",
        r -> types.computeIfAbsent(r.getString("group_id"), k -> new ArrayList<>()).add(r.getString("volume_type_id")),
        ids);
    List<Group> full = new ArrayList<>(bare.size());
    for (Group g : bare) {
      full.add(new Group(
          g.id(), g.projectId(), g.userId(), g.name(), g.description(), g.status(), g.availabilityZone(),
          g.groupTypeId(), types.getOrDefault(g.id(), List.of()), g.groupSnapshotId(), g.sourceGroupId(),
          g.createdAt(), g.updatedAt()));
    }
    return full;
  }

  // Group snapshots

  public void insertGroupSnapshot(GroupSnapshot s) {
    sql.update(
        "INSERT INTO volume_group_snapshot (" + GROUP_SNAPSHOT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        s.id(), s.projectId(), s.userId(), s.groupId(), s.groupTypeId(), s.name(), s.description(), s.status(),
        s.createdAt(), s.updatedAt());
  }

  public Optional<GroupSnapshot> findGroupSnapshot(String id) {
    return sql.queryOne(
        "SELECT " + GROUP_SNAPSHOT_COLUMNS + " FROM volume_group_snapshot WHERE id = ?", GroupStore::groupSnapshot, id);
  }

  public Optional<GroupSnapshot> lockGroupSnapshot(String id) {
    return sql.queryOne(
        "SELECT " + GROUP_SNAPSHOT_COLUMNS + " FROM volume_group_snapshot WHERE id = ? FOR UPDATE",
        GroupStore::groupSnapshot, id);
  }

  public List<GroupSnapshot> listGroupSnapshots(String projectId) {
    String select = "SELECT " + GROUP_SNAPSHOT_COLUMNS + " FROM volume_group_snapshot";
    return projectId == null
        ? sql.query(select + " ORDER BY created_at, id", GroupStore::groupSnapshot)
        : sql.query(select + " WHERE project_id = ? ORDER BY created_at, id", GroupStore::groupSnapshot, projectId);
  }

  public boolean hasGroupSnapshots(String groupId) {
    return !sql.query(
            "SELECT id FROM volume_group_snapshot WHERE group_id = ? FETCH FIRST 1 ROWS ONLY", r -> r.getString("id"), groupId)
        .isEmpty();
  }

  public boolean groupSnapshotTransition(String id, List<String> expected, String status, Instant now) {
    List<Object> args = new ArrayList<>(List.of(status, now, id));
    args.addAll(expected);
    return sql.update(
            "UPDATE volume_group_snapshot SET status = ?, updated_at = ? WHERE id = ? AND status IN "
                + Sql.placeholders(expected.size()),
            args.toArray())
        == 1;
  }

  public int deleteGroupSnapshot(String id) {
    return sql.update("DELETE FROM volume_group_snapshot WHERE id = ?", id);
  }

  /** The ids of the snapshots taken as part of a group snapshot. */
  public List<String> memberSnapshotIds(String groupSnapshotId) {
    return sql.query(
        "SELECT id FROM volume_snapshot WHERE group_snapshot_id = ? ORDER BY created_at, id", r -> r.getString("id"),
        groupSnapshotId);
  }

  // Row mappers

  private static Group group(Sql.Row r) throws SQLException {
    return new Group(
        r.getString("id"), r.getString("project_id"), r.getString("user_id"), r.getString("name"),
        r.getString("description"), r.getString("status"), r.getString("availability_zone"),
        r.getString("group_type_id"), List.of(), r.getString("group_snapshot_id"), r.getString("source_group_id"),
        r.getInstant("created_at"), r.getInstant("updated_at"));
  }

  private static GroupSnapshot groupSnapshot(Sql.Row r) throws SQLException {
    return new GroupSnapshot(
        r.getString("id"), r.getString("project_id"), r.getString("user_id"), r.getString("group_id"),
        r.getString("group_type_id"), r.getString("name"), r.getString("description"), r.getString("status"),
        r.getInstant("created_at"), r.getInstant("updated_at"));
  }
}
