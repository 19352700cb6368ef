package dev.kiln.compute.servers;

import static java.util.Objects.requireNonNull;
import static java.util.Objects.requireNonNullElse;

import dev.kiln.common.ServiceException;
import dev.kiln.compute.quotas.ComputeQuotas;
import dev.kiln.compute.servers.store.ServerStore;
import dev.kiln.store.Database;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/** Edits of a server the caller may see: name, description, access addresses, metadata. */
final class ServerEdits {
  private final Database db;
  private final Clock clock;
  private final ComputeQuotas quotas;

  ServerEdits(Database db, Clock clock, ComputeQuotas quotas) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.quotas = requireNonNull(quotas, "quotas is null");
  }

  /**
   * Renames the server, sets its description, and (when {@code attributes} is given) its access
   * addresses and disk config, all in one commit.
   */
  Server update(Server old, String name, String description, boolean setDescription, Server.Attributes attributes) {
    String id = old.id();
    Instant now = now();
    db.inTransaction(
        sql -> {
          ServerStore store = new ServerStore(sql);
          store.rename(id, requireNonNullElse(name, old.name()), setDescription ? description : old.description(), now);
          if (attributes != null) {
            store.setAttributes(id, attributes, now);
          }
          return null;
        });
    return new ServerStore(db.sql()).find(id).orElseThrow(() -> Servers.notFound(id));
  }

  /** Sets metadata: {@code replace} drops the keys not given (PUT), else they are kept (POST). */
  Map<String, String> setMetadata(Server old, Map<String, String> metadata, boolean replace) {
    String id = old.id();
    Map<String, String> merged = new LinkedHashMap<>(replace ? Map.of() : old.metadata());
    merged.putAll(metadata);
    db.inTransaction(
        sql -> {
          quotas.checkMetadataItems(sql, old.projectId(), merged.size());
          new ServerStore(sql).replaceMetadata(id, merged);
          new ServerStore(sql).touch(id, now());
          return null;
        });
    return new ServerStore(db.sql()).find(id).orElseThrow(() -> Servers.notFound(id)).metadata();
  }

  void deleteMetadataKey(Server old, String key) {
    String id = old.id();
    if (!old.metadata().containsKey(key)) {
      throw ServiceException.notFound("MetadataItemNotFound", "Metadata item was not found");
    }
    Map<String, String> remaining = new LinkedHashMap<>(old.metadata());
    remaining.remove(key);
    db.inTransaction(
        sql -> {
          new ServerStore(sql).replaceMetadata(id, remaining);
          new ServerStore(sql).touch(id, now());
          return null;
        });
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
