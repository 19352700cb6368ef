package dev.kiln.volume;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.store.Database;
import dev.kiln.store.StoreException;
import dev.kiln.volume.store.QosSpecStore;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cinder's QoS specs ({@code qos_specs_manage} policy: admins only): create, list, show, set and
 * unset keys, delete, and association with volume types. A type has at most one QoS specs (the
 * association is a conditional update of the type's row); QoS specs with types are deleted only
 * with {@code force}, which lets the types go first, all under the QoS specs' row lock.
 */
public final class QosSpecs {
  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;

  public QosSpecs(Database db, Clock clock, IdGenerator ids) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
  }

  /**
   * Creates QoS specs; {@code specs} may hold {@code consumer} (default back-end), every other key
   * is a spec. A name already taken is a 409, as in Cinder.
   */
  public QosSpec create(Actor actor, String name, Map<String, String> specs) {
    authorize(actor, "create");
    Map<String, String> rest = new LinkedHashMap<>(specs);
    String consumer = rest.remove("consumer");
    if (consumer == null || consumer.isEmpty()) {
      consumer = QosSpec.BACK_END;
    }
    checkConsumer(consumer);
    QosSpec made = new QosSpec(ids.uuid(), name, consumer, rest);
    Instant now = now();
    try {
      db.inTransaction(
          sql -> {
            new QosSpecStore(sql).insert(made, now);
            return null;
          });
    } catch (StoreException e) {
      if (e.kind() == StoreException.Kind.DUPLICATE) {
        throw ServiceException.conflict("QoSSpecsExists", "QoS Specs " + name + " already exists.");
      }
      throw e;
    }
    return made;
  }

  public List<QosSpec> list(Actor actor) {
    authorize(actor, "get_all");
    return new QosSpecStore(db.sql()).list();
  }

  public QosSpec show(Actor actor, String id) {
    authorize(actor, "get");
    return new QosSpecStore(db.sql()).find(id).orElseThrow(() -> notFound(id));
  }

  /**
   * Sets specs (a null value is kept as null, as Cinder does); a {@code consumer} key changes the
   * consumer instead.
   */
  public void set(Actor actor, String id, Map<String, String> specs) {
    authorize(actor, "update");
    Map<String, String> rest = new LinkedHashMap<>(specs);
    boolean changesConsumer = rest.containsKey("consumer");
    String consumer = rest.remove("consumer");
    if (changesConsumer) {
      checkConsumer(consumer);
    }
    db.inTransaction(
        sql -> {
          QosSpecStore store = new QosSpecStore(sql);
          if (!store.lock(id)) {
            throw notFound(id);
          }
          Instant now = now();
          if (changesConsumer) {
            store.setConsumer(id, consumer, now);
          }
          rest.forEach((key, value) -> store.putSpec(id, key, value));
          store.touch(id, now);
          return null;
        });
  }

  /**
   * Removes keys: all of them or, when one is missing, none (Cinder removes the keys before the
   * first missing one and then refuses; Kiln leaves nothing half-done).
   */
  public void unset(Actor actor, String id, List<String> keys) {
    authorize(actor, "delete");
    db.inTransaction(
        sql -> {
          QosSpecStore store = new QosSpecStore(sql);
          if (!store.lock(id)) {
            throw notFound(id);
          }
          Map<String, String> specs = store.specs(id);
          for (String key : keys) {
            if (!specs.containsKey(key)) {
              throw ServiceException.notFound(
                  "QoSSpecsKeyNotFound", "QoS spec " + id + " has no spec with key " + key + ".");
            }
          }
          keys.forEach(key -> store.deleteSpec(id, key));
          store.touch(id, now());
          return null;
        });
  }

  /** Deletes QoS specs; with types associated only when {@code force}, which disassociates them. */
  public void delete(Actor actor, String id, boolean force) {
    authorize(actor, "delete");
    db.inTransaction(
        sql -> {
          QosSpecStore store = new QosSpecStore(sql);
          if (!store.lock(id)) {
            throw notFound(id);
          }
          if (!store.associations(id).isEmpty()) {
            if (!force) {
              throw ServiceException.invalid("HTTPBadRequest", "Qos specs still in use.");
            }
            store.disassociateAll(id);
          }
          store.delete(id);
          return null;
        });
  }

  public List<QosSpec.Association> associations(Actor actor, String id) {
    authorize(actor, "get_all");
    return db.inTransaction(
        sql -> {
          QosSpecStore store = new QosSpecStore(sql);
          if (store.find(id).isEmpty()) {
            throw notFound(id);
          }
          return store.associations(id);
        });
  }

  /**
   * Associates a type with the QoS specs. A type associated with other QoS specs is refused (400
   * InvalidVolumeType), as in Cinder; associating it again with the same ones is accepted.
   */
  public void associate(Actor actor, String id, String typeId) {
    authorize(actor, "update");
    requireType(typeId);
    db.inTransaction(
        sql -> {
          QosSpecStore store = new QosSpecStore(sql);
          // Locked, the QoS specs cannot be deleted between this check and the association.
          if (!store.lock(id)) {
            throw notFound(id);
          }
          if (!store.associate(id, typeId)) {
            Optional<String> other = store.qosOfType(typeId).orElseThrow(() -> typeNotFound(typeId));
            throw ServiceException.invalid(
                "InvalidVolumeType",
                "Invalid volume type: Type " + typeId + " is already associated with another qos specs: "
                    + other.orElse("none"));
          }
          return null;
        });
  }

  /** Lets one type go; a type that is not associated with them is left as it is, as in Cinder. */
  public void disassociate(Actor actor, String id, String typeId) {
    authorize(actor, "update");
    requireType(typeId);
    db.inTransaction(
        sql -> {
          QosSpecStore store = new QosSpecStore(sql);
          if (!store.lock(id)) {
            throw notFound(id);
          }
          store.disassociate(id, typeId);
          return null;
        });
  }

  public void disassociateAll(Actor actor, String id) {
    authorize(actor, "update");
    db.inTransaction(
        sql -> {
          QosSpecStore store = new QosSpecStore(sql);
          if (!store.lock(id)) {
            throw notFound(id);
          }
          store.disassociateAll(id);
          return null;
        });
  }

  private void requireType(String typeId) {
    if (new QosSpecStore(db.sql()).qosOfType(typeId).isEmpty()) {
      throw typeNotFound(typeId);
    }
  }

  private static void checkConsumer(String consumer) {
    if (consumer == null || !QosSpec.CONSUMERS.contains(consumer)) {
      throw ServiceException.invalid(
          "InvalidQoSSpecs", "Invalid qos specs: Valid consumer of QoS specs are: ['back-end', 'front-end', 'both']");
    }
  }

  private static void authorize(Actor actor, String action) {
    if (!actor.admin()) {
      throw VolumeTypes.policy("volume_extension:qos_specs_manage:" + action);
    }
  }

  private static ServiceException notFound(String id) {
    return ServiceException.notFound("QoSSpecsNotFound", "No such QoS spec " + id + ".");
  }

  private static ServiceException typeNotFound(String typeId) {
    return ServiceException.notFound("VolumeTypeNotFound", "Volume type " + typeId + " could not be found.");
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
