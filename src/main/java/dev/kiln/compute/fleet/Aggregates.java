package dev.kiln.compute.fleet;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.fleet.store.AggregateStore;
import dev.kiln.store.Database;
import dev.kiln.store.StoreException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Host aggregates, as Nova's {@code os-aggregates} manages them: create, rename, delete, add and
 * remove hosts of the fleet, set metadata. An aggregate whose metadata has {@value
 * Aggregate#ZONE_KEY} is an availability zone: its hosts are in that zone (for the scheduler, the
 * zone list and the services), instead of the zone the configuration gives them.
 *
 * <p>Nova's rules that keep a host's zone unambiguous hold here under row locks: a change locks
 * the aggregate, then the hosts whose zone it may move (in name order), so two changes racing to
 * put one host in two zones are serialised and the second is refused. A host is in at most one
 * zone; an aggregate's zone does not change while servers run on its hosts (their recorded zone
 * would become false), as in Nova since Stein.
 */
public final class Aggregates {
  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  private final Fleet fleet;

  public Aggregates(Database db, Clock clock, IdGenerator ids, Fleet fleet) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.fleet = requireNonNull(fleet, "fleet is null");
  }

  public List<Aggregate> list() {
    return new AggregateStore(db.sql()).list();
  }

  public Aggregate get(int id) {
    return new AggregateStore(db.sql()).find(id).orElseThrow(() -> notFound(id));
  }

  /**
   * Creates an aggregate, an availability zone when {@code zone} is not null.
   *
   * @throws ServiceException CONFLICT when the name is taken, INVALID for the internal zone
   */
  public Aggregate create(String name, String zone) {
    requireNonNull(name, "name is null");
    if (Fleet.INTERNAL_ZONE.equals(zone)) {
      throw ServiceException.invalid(
          "InvalidAggregateActionCreate",
          "Cannot create aggregate " + name + ". Reason: '" + Fleet.INTERNAL_ZONE
              + "' is the zone of Nova's internal services.");
    }
    Instant now = now();
    try {
      int id =
          db.inTransaction(
              sql -> {
                AggregateStore store = new AggregateStore(sql);
                int created = store.insert(ids.uuid(), name, now);
                if (zone != null) {
                  store.putMetadata(created, Aggregate.ZONE_KEY, zone);
                }
                return created;
              });
      return get(id);
    } catch (StoreException e) {
      throw nameTakenOr(e, name);
    }
  }

  /**
   * Renames the aggregate and/or changes its zone; a null {@code name} keeps the name, a false
   * {@code zoneGiven} keeps the zone (a null {@code zone} with it is refused, as in Nova).
   */
  public Aggregate update(int id, String name, boolean zoneGiven, String zone) {
    Instant now = now();
    try {
      db.inTransaction(
          sql -> {
            AggregateStore store = new AggregateStore(sql);
            Aggregate aggregate = locked(store, id);
            if (name != null && !name.equals(aggregate.name())) {
              if (store.nameTaken(name, id)) {
                throw nameExists(name);
              }
              store.rename(id, name, now);
            }
            if (zoneGiven) {
              changeZone(store, aggregate, zone, "InvalidAggregateActionUpdate", "Cannot update aggregate ");
            }
            store.touch(id, now);
            return null;
          });
    } catch (StoreException e) {
      throw nameTakenOr(e, name);
    }
    return get(id);
  }

  /**
   * Sets the metadata keys given, and removes the keys whose value is null; the zone key is
   * checked as a zone change is.
   */
  public Aggregate setMetadata(int id, Map<String, String> changes) {
    Map<String, String> copy = new LinkedHashMap<>(changes);
    Instant now = now();
    db.inTransaction(
        sql -> {
          AggregateStore store = new AggregateStore(sql);
          Aggregate aggregate = locked(store, id);
          if (copy.containsKey(Aggregate.ZONE_KEY)) {
            String zone = copy.remove(Aggregate.ZONE_KEY);
            changeZone(
                store, aggregate, zone, "InvalidAggregateActionUpdateMeta", "Cannot update metadata of aggregate ");
          }
          copy.forEach((key, value) -> store.putMetadata(id, key, value));
          store.touch(id, now);
          return null;
        });
    return get(id);
  }

  /**
   * Deletes an aggregate that has no hosts.
   *
   * @throws ServiceException INVALID while it has hosts
   */
  public void delete(int id) {
    db.inTransaction(
        sql -> {
          AggregateStore store = new AggregateStore(sql);
          Aggregate aggregate = locked(store, id);
          if (!aggregate.hosts().isEmpty()) {
            throw ServiceException.invalid(
                "InvalidAggregateActionDelete",
                "Cannot delete aggregate " + id + ". Reason: Host aggregate is not empty.");
          }
          store.delete(id);
          return null;
        });
  }

  /**
   * Adds a fleet host to the aggregate.
   *
   * @throws ServiceException NOT_FOUND for an unknown host, CONFLICT when it is a member already
   *     or is in another zone than the aggregate's
   */
  public Aggregate addHost(int id, String host) {
    db.inTransaction(
        sql -> {
          AggregateStore store = new AggregateStore(sql);
          Aggregate aggregate = locked(store, id);
          if (!fleet.isKnown(host) || !store.lockHost(host)) {
            throw Fleet.hostNotFound(host);
          }
          if (aggregate.hosts().contains(host)) {
            throw ServiceException.conflict(
                "AggregateHostExists", "Aggregate " + id + " already has host " + host + ".");
          }
          String zone = aggregate.availabilityZone();
          if (zone != null) {
            List<String> others = store.zonesOf(host, id);
            if (!others.isEmpty() && !others.equals(List.of(zone))) {
              throw ServiceException.conflict(
                  "InvalidAggregateActionAdd",
                  "Cannot add host to aggregate " + id + ". Reason: Host already in availability zone "
                      + String.join(", ", others) + ".");
            }
          }
          store.addHost(id, host);
          store.refreshZone(host);
          return null;
        });
    return get(id);
  }

  /**
   * Takes a host out of the aggregate. As in Nova, servers on it do not prevent this; they keep
   * the zone they were placed in as their recorded zone.
   *
   * @throws ServiceException NOT_FOUND when the aggregate or the host is unknown, or the host is
   *     not a member
   */
  public Aggregate removeHost(int id, String host) {
    String cannot = "Cannot remove host " + host + " in aggregate " + id;
    db.inTransaction(
        sql -> {
          AggregateStore store = new AggregateStore(sql);
          if (!store.lock(id)) {
            throw ServiceException.notFound("AggregateNotFound", cannot);
          }
          Aggregate aggregate = store.find(id).orElseThrow(() -> notFound(id));
          if (!aggregate.hosts().contains(host) || !store.lockHost(host)) {
            throw ServiceException.notFound("AggregateHostNotFound", cannot);
          }
          store.removeHost(id, host);
          store.refreshZone(host);
          return null;
        });
    return get(id);
  }

  /**
   * Moves the aggregate's hosts to {@code zone}, refusing no zone, a host in another aggregate's
   * zone, and hosts holding servers whose zone would change.
   */
  private void changeZone(AggregateStore store, Aggregate aggregate, String zone, String type, String cannot) {
    String refused = cannot + aggregate.id() + ". Reason: ";
    if (zone == null || zone.isBlank()) {
      // Nova takes no zone away: an aggregate that is a zone stays one (with another name at most).
      throw ServiceException.invalid(
          type, refused + "Aggregate " + aggregate.name() + " does not support empty named availability zone.");
    }
    if (zone.equals(aggregate.availabilityZone())) {
      return;
    }
    if (Fleet.INTERNAL_ZONE.equals(zone)) {
      throw ServiceException.invalid(
          type, refused + "'" + Fleet.INTERNAL_ZONE + "' is the zone of Nova's internal services.");
    }
    Set<String> conflicting = new TreeSet<>();
    boolean hostsRunServers = false;
    for (String host : new TreeSet<>(aggregate.hosts())) {
      store.lockHost(host);
      List<String> others = store.zonesOf(host, aggregate.id());
      if (!others.isEmpty() && !others.equals(List.of(zone))) {
        conflicting.addAll(others);
      }
      hostsRunServers |= store.claimsOn(host) > 0;
    }
    if (!conflicting.isEmpty()) {
      throw ServiceException.invalid(
          type, refused + "One or more hosts already in availability zone(s) " + conflicting + ".");
    }
    if (hostsRunServers) {
      throw ServiceException.invalid(type, refused + "One or more hosts contain instances in this zone.");
    }
    store.putMetadata(aggregate.id(), Aggregate.ZONE_KEY, zone);
    aggregate.hosts().forEach(store::refreshZone);
  }

  private static Aggregate locked(AggregateStore store, int id) {
    if (!store.lock(id)) {
      throw notFound(id);
    }
    return store.find(id).orElseThrow(() -> notFound(id));
  }

  private static ServiceException notFound(int id) {
    return ServiceException.notFound("AggregateNotFound", "Aggregate " + id + " could not be found.");
  }

  private static ServiceException nameExists(String name) {
    return ServiceException.conflict("AggregateNameExists", "Aggregate " + name + " already exists.");
  }

  private static RuntimeException nameTakenOr(StoreException e, String name) {
    return e.kind() == StoreException.Kind.DUPLICATE ? nameExists(name) : e;
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
