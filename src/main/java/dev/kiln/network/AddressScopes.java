package dev.kiln.network;

import static java.util.Objects.requireNonNull;
import static java.util.Objects.requireNonNullElse;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.network.store.SubnetPoolStore;
import dev.kiln.store.Database;
import java.time.Instant;
import java.util.List;

/** Neutron address scopes ({@code address-scope}): named, per IP version, shared by admins. */
public final class AddressScopes {
  private final Database db;
  private final IdGenerator ids;
  private final Networks networks;

  public AddressScopes(Database db, IdGenerator ids, Networks networks) {
    this.db = requireNonNull(db, "db is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.networks = requireNonNull(networks, "networks is null");
  }

  public AddressScope create(Actor actor, String projectId, String name, Integer ipVersion, Boolean shared) {
    String project = Ownership.ownerProject(actor, projectId);
    if (name == null) {
      throw ServiceException.invalid("HTTPBadRequest", "Failed to parse request. Required attribute 'name' not specified");
    }
    if (ipVersion == null || (ipVersion != 4 && ipVersion != 6)) {
      throw ServiceException.invalid(
          "InvalidInput", "Invalid input for ip_version. Reason: '" + ipVersion + "' is not in [4, 6].");
    }
    if (Boolean.TRUE.equals(shared) && !actor.admin()) {
      throw NetworkErrors.policy("create_address_scope:shared");
    }
    Instant now = networks.now();
    AddressScope scope = new AddressScope(ids.uuid(), project, name, ipVersion, requireNonNullElse(shared, false), 1, now, now);
    new SubnetPoolStore(db.sql()).insertScope(scope);
    return scope;
  }

  public AddressScope visible(Actor actor, String id) {
    return new SubnetPoolStore(db.sql())
        .findScope(id)
        .filter(s -> actor.owns(s.projectId()) || s.shared())
        .orElseThrow(() -> notFound(id));
  }

  public List<AddressScope> list(Actor actor) {
    return new SubnetPoolStore(db.sql()).listScopes().stream().filter(s -> actor.owns(s.projectId()) || s.shared()).toList();
  }

  public AddressScope update(Actor actor, String id, String name, Boolean shared) {
    AddressScope old = visible(actor, id);
    if (!actor.owns(old.projectId())) {
      throw NetworkErrors.policy("update_address_scope");
    }
    if (shared != null && shared != old.shared() && !actor.admin()) {
      throw NetworkErrors.policy("update_address_scope:shared");
    }
    AddressScope updated =
        new AddressScope(
            id, old.projectId(), requireNonNullElse(name, old.name()), old.ipVersion(), requireNonNullElse(shared, old.shared()),
            old.revision() + 1, old.createdAt(), networks.now());
    if (!new SubnetPoolStore(db.sql()).updateScope(updated, old.revision())) {
      throw NetworkErrors.concurrentChange("Address scope", id);
    }
    return updated;
  }

  /** Deletes a scope no subnet pool is in (else 409 AddressScopeInUse). */
  public void delete(Actor actor, String id) {
    AddressScope scope = visible(actor, id);
    if (!actor.owns(scope.projectId())) {
      throw NetworkErrors.policy("delete_address_scope");
    }
    try {
      db.inTransaction(
        sql -> {
          SubnetPoolStore store = new SubnetPoolStore(sql);
          if (!store.lockScope(id)) {
            throw notFound(id);
          }
          if (store.countInScope(id) > 0) {
            throw ServiceException.conflict(
                "AddressScopeInUse",
                "Unable to complete operation on address scope " + id
                    + ". There are one or more subnet pools in use on the address scope");
          }
          return store.deleteScope(id);
        });
    } catch (dev.kiln.store.StoreException e) {
      // A pool joined the scope between the count and the delete.
      if (e.kind() == dev.kiln.store.StoreException.Kind.REFERENCED) {
        throw ServiceException.conflict(
            "AddressScopeInUse",
            "Unable to complete operation on address scope " + id
                + ". There are one or more subnet pools in use on the address scope");
      }
      throw e;
    }
  }

  static ServiceException notFound(String id) {
    return ServiceException.notFound("AddressScopeNotFound", "Address scope " + id + " could not be found");
  }
}
