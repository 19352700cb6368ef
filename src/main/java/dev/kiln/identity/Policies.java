package dev.kiln.identity;

import static dev.kiln.common.ServiceException.notFound;
import static java.util.Objects.requireNonNull;

import dev.kiln.common.IdGenerator;
import dev.kiln.identity.store.PolicyStore;
import dev.kiln.store.Database;
import java.util.List;

/**
 * Keystone's {@code /v3/policies}: documents kept for other services to fetch. Kiln stores and
 * serves them; its own services do not read them (their rules are in code).
 */
public final class Policies {
  private final Database db;
  private final IdGenerator ids;

  public Policies(Database db, IdGenerator ids) {
    this.db = requireNonNull(db, "db is null");
    this.ids = requireNonNull(ids, "ids is null");
  }

  private PolicyStore store() {
    return new PolicyStore(db.sql());
  }

  public Policy create(String type, String blob, String extra) {
    Policy p = new Policy(ids.hex(), type, blob, extra);
    store().insert(p);
    return p;
  }

  public Policy policy(String id) {
    return store().find(id).orElseThrow(() -> notFound("PolicyNotFound", "Could not find policy: " + id + "."));
  }

  public List<Policy> policies(ListFilter filter) {
    return store().list(filter);
  }

  /** Changes a policy; a null argument keeps what was there. */
  public Policy update(String id, String type, String blob, String extra) {
    Policy old = policy(id);
    Policy updated =
        new Policy(id, type == null ? old.type() : type, blob == null ? old.blob() : blob, extra == null ? old.extra() : extra);
    if (store().update(updated) == 0) {
      throw notFound("PolicyNotFound", "Could not find policy: " + id + ".");
    }
    return updated;
  }

  public void delete(String id) {
    if (store().delete(id) == 0) {
      throw notFound("PolicyNotFound", "Could not find policy: " + id + ".");
    }
  }
}
