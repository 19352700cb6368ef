package dev.kiln.orchestration.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.orchestration.StackAction;
import dev.kiln.orchestration.StackStatus;
import dev.kiln.store.Sql;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The SQL of {@code heat_stack} and {@code heat_stack_tag}.
 *
 * <p>Every change of a stack's state is a conditional update: {@link #begin} takes the stack only
 * when no operation is in progress (the stack lock), and every later write of that operation is
 * fenced on its traversal id ({@link #fence}, {@link #finish}), so a task that lost the stack to a
 * newer operation can change nothing.
 */
public final class StackStore {
  static final String COLUMNS =
      "s.id, s.name, s.project_id, s.user_id, s.owner_admin, s.action, s.status, s.status_reason, s.traversal,"
          + " s.operation_started_at, s.template_id, s.previous_template_id, s.description, s.parameters,"
          + " s.shown_parameters, s.timeout_mins, s.disable_rollback, s.tags, s.parent_id, s.parent_resource,"
          + " s.parent_resource_id, s.root_id, s.nested_depth, s.created_at, s.updated_at, s.deleted_at";

  /** A list's columns: the same, without the parameters a list does not show. */
  private static final String LIST_COLUMNS =
      COLUMNS.replace("s.parameters,", "'{}' AS parameters,").replace("s.shown_parameters,", "'{}' AS shown_parameters,");

  private final Sql sql;

  public StackStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  /**
   * Inserts a new stack; its name is taken among the project's live stacks.
   *
   * @throws dev.kiln.store.StoreException DUPLICATE when the project has a live stack of that name
   */
  public void insert(StackRow s) {
    sql.update(
        "INSERT INTO heat_stack (id, name, live_name, project_id, user_id, owner_admin, action, status,"
            + " status_reason, traversal, operation_started_at, template_id, previous_template_id, description,"
            + " parameters, shown_parameters, timeout_mins, disable_rollback, tags, parent_id, parent_resource,"
            + " parent_resource_id, root_id, nested_depth, created_at, updated_at, deleted_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        s.id(), s.name(), s.deleted() ? null : s.name(), s.projectId(), s.userId(), s.ownerAdmin(), s.action(),
        s.status(), s.statusReason(), s.traversal(), s.operationStartedAt(), s.templateId(),
        s.previousTemplateId(), s.description(), JsonColumns.write(s.parameters()),
        JsonColumns.write(s.shownParameters()), s.timeoutMins(), s.disableRollback(),
        JsonColumns.writeStrings(s.tags()), s.parentId(), s.parentResource(), s.parentResourceId(), s.rootId(),
        s.nestedDepth(), s.createdAt(), s.updatedAt(), s.deletedAt());
    if (!s.tags().isEmpty()) {
      List<Object[]> tags = new ArrayList<>();
      for (String tag : new java.util.LinkedHashSet<>(s.tags())) {
        tags.add(new Object[] {s.id(), tag});
      }
      sql.batch("INSERT INTO heat_stack_tag (stack_id, tag) VALUES (?, ?)", tags);
    }
  }

  /** A stack by id, deleted or not. */
  public Optional<StackRow> find(String id) {
    return sql.queryOne("SELECT " + COLUMNS + " FROM heat_stack s WHERE s.id = ?", StackStore::map, id);
  }

  /** The project's live stack of that name. */
  public Optional<StackRow> findLive(String projectId, String name) {
    return sql.queryOne(
        "SELECT " + COLUMNS + " FROM heat_stack s WHERE s.project_id = ? AND s.live_name = ?",
        StackStore::map,
        projectId,
        name);
  }

  /** Any project's live stacks of that name (an admin looking up by name). */
  public List<StackRow> findLiveAnyProject(String name) {
    return sql.query("SELECT " + COLUMNS + " FROM heat_stack s WHERE s.live_name = ?", StackStore::map, name);
  }

  /** The live stack that is the given parent resource row, if one was made. */
  public Optional<StackRow> findByParentResource(String resourceRowId) {
    return sql.queryOne(
        "SELECT " + COLUMNS + " FROM heat_stack s WHERE s.parent_resource_id = ?", StackStore::map, resourceRowId);
  }

  /** The live child stacks of a stack. */
  public List<StackRow> children(String parentId) {
    return sql.query(
        "SELECT " + COLUMNS + " FROM heat_stack s WHERE s.parent_id = ? AND s.deleted_at IS NULL ORDER BY s.created_at",
        StackStore::map,
        parentId);
  }

  /** Every stack of a tree (the root and all nested stacks), deleted ones too. */
  public List<StackRow> tree(String rootId) {
    return sql.query(
        "SELECT " + COLUMNS + " FROM heat_stack s WHERE s.root_id = ? ORDER BY s.nested_depth, s.created_at",
        StackStore::map,
        rootId);
  }

  /**
   * Starts an operation: the stack lock. Succeeds only if the stack is live and no operation is in
   * progress; the stack then carries {@code traversal}.
   *
   * @return whether this caller got the stack
   */
  public boolean begin(String id, StackAction action, String reason, String traversal, Instant now) {
    return sql.update(
            "UPDATE heat_stack SET action = ?, status = 'IN_PROGRESS', status_reason = ?, traversal = ?,"
                + " operation_started_at = ?, updated_at = ?"
                + " WHERE id = ? AND status <> 'IN_PROGRESS' AND deleted_at IS NULL",
            action, reason, traversal, now, now, id)
        == 1;
  }

  /**
   * Starts an update: the stack lock as {@link #begin} takes it, and the stack pointed at the
   * update's template, parameters and options ({@code next}, as {@link StackRow#retargeted} made it).
   *
   * @return whether this caller got the stack
   */
  public boolean beginUpdate(StackRow next) {
    boolean begun =
        sql.update(
                "UPDATE heat_stack SET " + RETARGET + " WHERE id = ? AND status <> 'IN_PROGRESS' AND deleted_at IS NULL",
                retargetArguments(next, next.id()))
            == 1;
    if (begun) {
      writeTags(next);
    }
    return begun;
  }

  /**
   * Points a stack that carries {@code expectedTraversal} at another template and operation: a
   * rollback (taken by the update's own task, or by a cancel that supersedes it).
   *
   * @return false when the stack no longer carries {@code expectedTraversal}
   */
  public boolean retarget(StackRow next, String expectedTraversal) {
    Object[] args = retargetArguments(next, next.id());
    Object[] withTraversal = java.util.Arrays.copyOf(args, args.length + 1);
    withTraversal[args.length] = expectedTraversal;
    boolean done =
        sql.update("UPDATE heat_stack SET " + RETARGET + " WHERE id = ? AND traversal = ? AND deleted_at IS NULL",
                withTraversal)
            == 1;
    if (done) {
      writeTags(next);
    }
    return done;
  }

  private static final String RETARGET =
      "action = ?, status = ?, status_reason = ?, traversal = ?, operation_started_at = ?, updated_at = ?,"
          + " template_id = ?, previous_template_id = ?, description = ?, parameters = ?, shown_parameters = ?,"
          + " timeout_mins = ?, disable_rollback = ?, tags = ?";

  private static Object[] retargetArguments(StackRow s, String id) {
    return new Object[] {
      s.action(), s.status(), s.statusReason(), s.traversal(), s.operationStartedAt(), s.updatedAt(), s.templateId(),
      s.previousTemplateId(), s.description(), JsonColumns.write(s.parameters()),
      JsonColumns.write(s.shownParameters()), s.timeoutMins(), s.disableRollback(),
      JsonColumns.writeStrings(s.tags()), id
    };
  }

  private void writeTags(StackRow s) {
    sql.update("DELETE FROM heat_stack_tag WHERE stack_id = ?", s.id());
    if (!s.tags().isEmpty()) {
      List<Object[]> tags = new ArrayList<>();
      for (String tag : new java.util.LinkedHashSet<>(s.tags())) {
        tags.add(new Object[] {s.id(), tag});
      }
      sql.batch("INSERT INTO heat_stack_tag (stack_id, tag) VALUES (?, ?)", tags);
    }
  }

  /**
   * Starts an operation on a nested stack: its root's lock covers it, so this takes the stack
   * whatever its state (a superseded operation may have left it IN_PROGRESS).
   */
  public void takeOver(String id, StackAction action, String reason, String traversal, Instant now) {
    sql.update(
        "UPDATE heat_stack SET action = ?, status = 'IN_PROGRESS', status_reason = ?, traversal = ?,"
            + " operation_started_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL",
        action, reason, traversal, now, now, id);
  }

  /**
   * Locks the stack's row for the rest of the transaction if it still carries {@code traversal}.
   *
   * @return false when another operation has taken the stack over: write nothing
   */
  public boolean fence(String id, String traversal) {
    return !sql.query(
            "SELECT id FROM heat_stack WHERE id = ? AND traversal = ? FOR UPDATE", row -> row.getString("id"), id, traversal)
        .isEmpty();
  }

  /** Records the end (or a new state) of the operation {@code traversal}; false if fenced off. */
  public boolean state(
      String id, String traversal, StackAction action, StackStatus status, String reason, Instant now, boolean deleted) {
    return sql.update(
            "UPDATE heat_stack SET action = ?, status = ?, status_reason = ?, updated_at = ?,"
                + " deleted_at = " + (deleted ? "?" : "deleted_at") + (deleted ? ", live_name = NULL" : "")
                + " WHERE id = ? AND traversal = ?",
            deleted
                ? new Object[] {action, status, reason, now, now, id, traversal}
                : new Object[] {action, status, reason, now, id, traversal})
        == 1;
  }

  /** Lists stacks; see {@link StackListing}. */
  public List<StackRow> list(StackListing listing) {
    return sql.query(
        "SELECT " + LIST_COLUMNS + " FROM heat_stack s" + listing.afterMarker().where() + listing.orderAndPage(),
        StackStore::map,
        listing.arguments());
  }

  public int count(StackListing listing) {
    return (int) sql.count("SELECT COUNT(*) FROM heat_stack s" + listing.where(), listing.arguments());
  }

  static StackRow map(Sql.Row row) throws SQLException {
    return new StackRow(
        row.getString("id"),
        row.getString("name"),
        row.getString("project_id"),
        row.getString("user_id"),
        row.getBoolean("owner_admin"),
        StackAction.valueOf(row.getString("action")),
        StackStatus.valueOf(row.getString("status")),
        row.getString("status_reason"),
        row.getString("traversal"),
        row.getInstant("operation_started_at"),
        row.getString("template_id"),
        row.getString("previous_template_id"),
        row.getString("description"),
        JsonColumns.read(row.getString("parameters")),
        JsonColumns.read(row.getString("shown_parameters")),
        row.getNullableInt("timeout_mins"),
        row.getBoolean("disable_rollback"),
        JsonColumns.readStrings(row.getString("tags")),
        row.getString("parent_id"),
        row.getString("parent_resource"),
        row.getString("parent_resource_id"),
        row.getString("root_id"),
        row.getInt("nested_depth"),
        row.getInstant("created_at"),
        row.getInstant("updated_at"),
        row.getInstant("deleted_at"));
  }
}
