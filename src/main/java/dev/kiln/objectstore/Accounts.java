package dev.kiln.objectstore;

import static java.util.Objects.requireNonNull;

import dev.kiln.objectstore.store.AccountStore;
import dev.kiln.objectstore.store.ContainerStore;
import dev.kiln.store.Database;
import java.time.Clock;
import java.util.List;

/**
 * Accounts: every project has one, {@code AUTH_<project id>}, without being created. Its row is
 * written on the first change (metadata, or a container).
 */
public final class Accounts {
  private final Database db;
  private final Clock clock;
  private final AccountStore accounts;
  private final ContainerStore containers;

  Accounts(Database db, Clock clock, AccountStore accounts, ContainerStore containers) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.accounts = requireNonNull(accounts, "accounts is null");
    this.containers = requireNonNull(containers, "containers is null");
  }

  /** The account with its totals; one never written shows as empty, created now. */
  public Account show(String account) {
    return db.inTransaction(
        sql -> {
          AccountStore.Row row =
              accounts.find(sql, account).orElse(new AccountStore.Row(account, Timestamps.now(clock), Metadata.EMPTY));
          long[] totals = accounts.totals(sql, account);
          return new Account(account, row.createdMicros(), row.metadata(), totals[0], totals[1], totals[2]);
        });
  }

  /** Sets and removes account metadata, under the account's row lock. */
  public void updateMetadata(String account, Metadata.Update update) {
    if (update.isEmpty()) {
      return;
    }
    db.inTransaction(
        sql -> {
          AccountStore.Row row = accounts.lockOrCreate(sql, account, Timestamps.now(clock));
          accounts.setMetadata(sql, account, row.metadata().merge(update));
          return null;
        });
  }

  /**
   * The account's temp URL key, set to {@code fresh} first if it has none; two callers racing
   * both get the one key that was stored.
   */
  String tempUrlKey(String account, String fresh) {
    return db.inTransaction(
        sql -> {
          AccountStore.Row row = accounts.lockOrCreate(sql, account, Timestamps.now(clock));
          String key = row.metadata().get(TempUrls.KEY);
          if (key != null && !key.isEmpty()) {
            return key;
          }
          accounts.setMetadata(
              sql, account, row.metadata().merge(new Metadata.Update(java.util.Map.of(TempUrls.KEY, fresh), java.util.Set.of())));
          return fresh;
        });
  }

  /** The account's containers, as Swift lists them. */
  public List<ListingEntry<Container>> listContainers(String account, ListingQuery query) {
    if (query.limit() == 0) {
      return List.of();
    }
    return Listings.list(query, range -> containers.page(db.sql(), account, range), Container::name);
  }
}
