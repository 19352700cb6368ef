package dev.kiln.identity;

import static dev.kiln.common.ServiceException.invalid;
import static dev.kiln.common.ServiceException.notFound;
import static java.util.Objects.requireNonNull;

import dev.kiln.identity.store.ProjectTagStore;
import dev.kiln.store.Database;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Keystone's project tags: at most {@value #MAX_TAGS} per project, each 1 to {@value #MAX_LENGTH}
 * characters without {@code /} or {@code ,} (they would break the tag paths and the comma-separated
 * list filters), no two alike.
 */
public final class ProjectTags {
  public static final int MAX_TAGS = 80;
  public static final int MAX_LENGTH = 255;

  private final Database db;
  private final Directory directory;

  public ProjectTags(Database db, Directory directory) {
    this.db = requireNonNull(db, "db is null");
    this.directory = requireNonNull(directory, "directory is null");
  }

  public List<String> tags(String projectId) {
    directory.project(projectId);
    return new ProjectTagStore(db.sql()).list(projectId);
  }

  /** The tags of each of {@code projects}, by project id, read in one query. */
  public Map<String, List<String>> tagsOf(Collection<Project> projects) {
    return new ProjectTagStore(db.sql()).listOf(projects.stream().map(Project::id).toList());
  }

  /** Replaces a project's tags; answers them as kept. */
  public List<String> replace(String projectId, List<String> tags) {
    directory.project(projectId);
    check(tags);
    db.inTransaction(
        sql -> {
          new ProjectTagStore(sql).replace(projectId, tags);
          return null;
        });
    return List.copyOf(tags);
  }

  /** Adds one tag (adding one already there changes nothing); the 81st is refused, atomically. */
  public void add(String projectId, String tag) {
    directory.project(projectId);
    check(List.of(tag));
    db.inTransaction(
        sql -> {
          if (new ProjectTagStore(sql).add(projectId, tag) > MAX_TAGS) {
            throw invalid("ValidationError", "A project has at most " + MAX_TAGS + " tags.");
          }
          return null;
        });
  }

  public boolean has(String projectId, String tag) {
    return tags(projectId).contains(tag);
  }

  public void remove(String projectId, String tag) {
    directory.project(projectId);
    if (new ProjectTagStore(db.sql()).remove(projectId, tag) == 0) {
      throw notFound("NotFound", "Project " + projectId + " has no tag " + tag + ".");
    }
  }

  /** Keystone's rules for a project's whole list of tags. */
  public static void check(List<String> tags) {
    if (tags.size() > MAX_TAGS) {
      throw invalid("ValidationError", "A project has at most " + MAX_TAGS + " tags.");
    }
    if (new HashSet<>(tags).size() != tags.size()) {
      throw invalid("ValidationError", "A project's tags must be unique.");
    }
    for (String tag : tags) {
      if (tag.isEmpty() || tag.length() > MAX_LENGTH || tag.contains("/") || tag.contains(",")) {
        throw invalid(
            "ValidationError",
            "Invalid project tag '" + tag + "': 1 to " + MAX_LENGTH + " characters, without '/' or ','.");
      }
    }
  }
}
