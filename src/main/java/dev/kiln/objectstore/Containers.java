package dev.kiln.objectstore;

import static java.util.Objects.requireNonNull;

import dev.kiln.objectstore.store.AccountStore;
import dev.kiln.objectstore.store.ContainerStore;
import dev.kiln.objectstore.store.ObjectRowStore;
import dev.kiln.store.Database;
import java.time.Clock;
import java.util.List;

/**
 * Containers of an account. A create and a delete run under the account's row lock, so a delete
 * that finds the container empty and a PUT of an object into it (which locks the container's row)
 * cannot interleave: the object lands before the delete looks, or finds the container gone.
 */
public final class Containers {
  private final Database db;
  private final Clock clock;
  private final AccountStore accounts;
  private final ContainerStore containers;
  private final ObjectRowStore objects;

  Containers(Database db, Clock clock, AccountStore accounts, ContainerStore containers, ObjectRowStore objects) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.accounts = requireNonNull(accounts, "accounts is null");
    this.containers = requireNonNull(containers, "containers is null");
    this.objects = requireNonNull(objects, "objects is null");
  }

  /**
   * Creates the container, or updates the metadata of the one there is.
   *
   * @return true when it was created (Swift's 201), false when it was there (202)
   */
  public boolean create(String account, String name, Metadata.Update update) {
    return create(account, name, update, ContainerAcl.Update.NONE);
  }

  /** Like {@link #create(String, String, Metadata.Update)}, also changing its ACLs. */
  public boolean create(String account, String name, Metadata.Update update, ContainerAcl.Update acl) {
    SwiftLimits.checkContainerName(name);
    return db.inTransaction(
        sql -> {
          long now = Timestamps.now(clock);
          accounts.lockOrCreate(sql, account, now);
          var existing = containers.lock(sql, account, name);
          if (existing.isPresent()) {
            if (!update.isEmpty()) {
              containers.setMetadata(sql, account, name, existing.get().metadata().merge(update));
            }
            if (!acl.isEmpty()) {
              containers.setAcl(sql, account, name, acl.applyTo(existing.get().acl()));
            }
            return false;
          }
          ContainerAcl acls = acl.applyTo(ContainerAcl.NONE);
          containers.insert(sql, new Container(
              account, name, now, Metadata.EMPTY.merge(update), 0, 0, acls.read(), acls.write()));
          return true;
        });
  }

  /** The container's ACLs; none when the container does not exist (its requests then find that out). */
  public ContainerAcl acl(String account, String name) {
    return containers.find(db.sql(), account, name).map(Container::acl).orElse(ContainerAcl.NONE);
  }

  public Container show(String account, String name) {
    return containers.find(db.sql(), account, name).orElseThrow(() -> notFound(name));
  }

  public void updateMetadata(String account, String name, Metadata.Update update) {
    updateMetadata(account, name, update, ContainerAcl.Update.NONE);
  }

  /** Like {@link #updateMetadata(String, String, Metadata.Update)}, also changing its ACLs. */
  public void updateMetadata(String account, String name, Metadata.Update update, ContainerAcl.Update acl) {
    db.inTransaction(
        sql -> {
          Container c = containers.lock(sql, account, name).orElseThrow(() -> notFound(name));
          if (!update.isEmpty()) {
            containers.setMetadata(sql, account, name, c.metadata().merge(update));
          }
          if (!acl.isEmpty()) {
            containers.setAcl(sql, account, name, acl.applyTo(c.acl()));
          }
          return null;
        });
  }

  /** Deletes an empty container; one with objects is a 409, as in Swift. */
  public void delete(String account, String name) {
    db.inTransaction(
        sql -> {
          accounts.lockOrCreate(sql, account, Timestamps.now(clock));
          containers.lock(sql, account, name).orElseThrow(() -> notFound(name));
          if (!containers.deleteIfEmpty(sql, account, name)) {
            // Clients look for Swift's sentence for a 409; Kiln's own follows it.
            throw Refusal.conflict("There was a conflict when trying to complete your request. Container "
                + name + " still holds objects: delete them first.");
          }
          return null;
        });
  }

  /** The container's objects, as Swift lists them; 404 when the container does not exist. */
  public List<ListingEntry<StoredObject>> listObjects(String account, String name, ListingQuery query) {
    show(account, name);
    if (query.limit() == 0) {
      return List.of();
    }
    return Listings.list(query, range -> objects.page(db.sql(), account, name, range), StoredObject::name);
  }

  static Refusal notFound(String container) {
    return Refusal.notFound("There is no container " + container + " in this account.");
  }
}
