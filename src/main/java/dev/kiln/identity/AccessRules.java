package dev.kiln.identity;

import static dev.kiln.common.ServiceException.forbidden;
import static dev.kiln.common.ServiceException.notFound;
import static java.util.Objects.requireNonNull;

import dev.kiln.identity.store.AccessRuleStore;
import dev.kiln.store.Database;
import java.util.List;

/**
 * A user's access rules ({@code /v3/users/{id}/access_rules}): made with application credentials,
 * listed, shown and deleted by their user; a rule some credential still names cannot be deleted.
 */
public final class AccessRules {
  private final Database db;
  private final Directory directory;

  public AccessRules(Database db, Directory directory) {
    this.db = requireNonNull(db, "db is null");
    this.directory = requireNonNull(directory, "directory is null");
  }

  public List<AccessRule> list(String userId) {
    directory.user(userId);
    return new AccessRuleStore(db.sql()).listOfUser(userId);
  }

  public AccessRule show(String userId, String id) {
    return new AccessRuleStore(db.sql())
        .find(id)
        .filter(r -> r.userId().equals(userId))
        .orElseThrow(() -> notFound("AccessRuleNotFound", "Could not find Access Rule: " + id + "."));
  }

  public void delete(String userId, String id) {
    show(userId, id);
    boolean deleted = db.inTransaction(sql -> new AccessRuleStore(sql).deleteIfUnused(id));
    if (!deleted) {
      throw forbidden(
          "ForbiddenAction",
          "You are not authorized to perform the requested action: cannot delete access rule " + id
              + " while an application credential uses it; delete the credential first.");
    }
  }
}
