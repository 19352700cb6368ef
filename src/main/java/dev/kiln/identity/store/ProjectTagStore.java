package dev.kiln.identity.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.store.Sql;
import dev.kiln.store.StoreException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Project tags. Tags change no token, so nothing here moves identity's revision. */
public final class ProjectTagStore {
  private final Sql sql;

  public ProjectTagStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  public List<String> list(String projectId) {
    return sql.query(
        "SELECT tag FROM identity_project_tag WHERE project_id = ? ORDER BY tag",
        r -> r.getString("tag"),
        projectId);
  }

  /** The tags of many projects in one query; a project without tags is absent from the map. */
  public Map<String, List<String>> listOf(Collection<String> projectIds) {
    Map<String, List<String>> tags = new HashMap<>();
    if (projectIds.isEmpty()) {
      return tags;
    }
    List<String> ids = List.copyOf(projectIds);
    sql.query(
            "SELECT project_id, tag FROM identity_project_tag WHERE project_id IN "
                + Sql.placeholders(ids.size())
                + " ORDER BY project_id, tag",
            r -> new String[] {r.getString("project_id"), r.getString("tag")},
            ids.toArray())
        .forEach(row -> tags.computeIfAbsent(row[0], k -> new ArrayList<>()).add(row[1]));
    return tags;
  }

  /** Replaces every tag of a project; the caller holds the transaction. */
  public void replace(String projectId, List<String> tags) {
    sql.update("DELETE FROM identity_project_tag WHERE project_id = ?", projectId);
    List<Object[]> rows = new ArrayList<>();
    for (String tag : tags) {
      rows.add(new Object[] {projectId, tag});
    }
    sql.batch("INSERT INTO identity_project_tag (project_id, tag) VALUES (?, ?)", rows);
  }

  /** Adds one tag; one already there changes nothing. Answers how many tags the project has now. */
  public long add(String projectId, String tag) {
    try {
      sql.update("INSERT INTO identity_project_tag (project_id, tag) VALUES (?, ?)", projectId, tag);
    } catch (StoreException e) {
      if (e.kind() != StoreException.Kind.DUPLICATE) {
        throw e;
      }
    }
    return sql.count("SELECT COUNT(*) FROM identity_project_tag WHERE project_id = ?", projectId);
  }

  public int remove(String projectId, String tag) {
    return sql.update("DELETE FROM identity_project_tag WHERE project_id = ? AND tag = ?", projectId, tag);
  }
}
