package dev.kiln.volume.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.store.Sql;
import dev.kiln.volume.QosSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The QoS specs tables and the types' {@code qos_specs_id}: one statement a call (two for a
 * read with its specs), the caller's transaction.
 */
public final class QosSpecStore {
  private final Sql sql;

  public QosSpecStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  /** Inserts the QoS specs with their specs; a taken name is a duplicate key. */
  public void insert(QosSpec qos, Instant createdAt) {
    sql.update(
        "INSERT INTO volume_qos_specs (id, name, consumer, created_at, updated_at) VALUES (?, ?, ?, ?, NULL)",
        qos.id(), qos.name(), qos.consumer(), createdAt);
    qos.specs().forEach((key, value) -> putSpec(qos.id(), key, value));
  }

  public Optional<QosSpec> find(String id) {
    return sql.queryOne(
            "SELECT id, name, consumer FROM volume_qos_specs WHERE id = ?",
            r -> new QosSpec(r.getString("id"), r.getString("name"), r.getString("consumer"), Map.of()),
            id)
        .map(bare -> new QosSpec(bare.id(), bare.name(), bare.consumer(), specs(bare.id())));
  }

  /** Locks the QoS specs' row until the transaction ends; answers whether they exist. */
  public boolean lock(String id) {
    return !sql.query("SELECT id FROM volume_qos_specs WHERE id = ? FOR UPDATE", r -> r.getString("id"), id).isEmpty();
  }

  /** Every QoS specs, newest first as Cinder lists them, each with its specs. */
  public List<QosSpec> list() {
    List<QosSpec> bare =
        sql.query(
            "SELECT id, name, consumer FROM volume_qos_specs ORDER BY created_at DESC, id DESC",
            r -> new QosSpec(r.getString("id"), r.getString("name"), r.getString("consumer"), Map.of()));
    Map<String, Map<String, String>> specs = new LinkedHashMap<>();
    sql.query(
        "SELECT qos_specs_id, spec_key, spec_value FROM volume_qos_spec ORDER BY qos_specs_id, spec_key",
        r -> specs.computeIfAbsent(r.getString("qos_specs_id"), k -> new LinkedHashMap<>())
            .put(r.getString("spec_key"), r.getString("spec_value")));
    List<QosSpec> out = new ArrayList<>(bare.size());
    for (QosSpec q : bare) {
      out.add(new QosSpec(q.id(), q.name(), q.consumer(), specs.getOrDefault(q.id(), Map.of())));
    }
    return out;
  }

  public Map<String, String> specs(String id) {
    Map<String, String> specs = new LinkedHashMap<>();
    sql.query(
        "SELECT spec_key, spec_value FROM volume_qos_spec WHERE qos_specs_id = ? ORDER BY spec_key",
        r -> specs.put(r.getString("spec_key"), r.getString("spec_value")),
        id);
    return specs;
  }

  /** Sets one spec; run it holding the QoS specs' {@link #lock}, so two writers never insert one key. */
  public void putSpec(String id, String key, String value) {
    if (sql.update("UPDATE volume_qos_spec SET spec_value = ? WHERE qos_specs_id = ? AND spec_key = ?", value, id, key)
        == 0) {
      sql.update("INSERT INTO volume_qos_spec (qos_specs_id, spec_key, spec_value) VALUES (?, ?, ?)", id, key, value);
    }
  }

  public int deleteSpec(String id, String key) {
    return sql.update("DELETE FROM volume_qos_spec WHERE qos_specs_id = ? AND spec_key = ?", id, key);
  }

  public void setConsumer(String id, String consumer, Instant at) {
    sql.update("UPDATE volume_qos_specs SET consumer = ?, updated_at = ? WHERE id = ?", consumer, at, id);
  }

  public void touch(String id, Instant at) {
    sql.update("UPDATE volume_qos_specs SET updated_at = ? WHERE id = ?", at, id);
  }

  /** Deletes the QoS specs with their specs; types must have let go of them first. */
  public int delete(String id) {
    return sql.update("DELETE FROM volume_qos_specs WHERE id = ?", id);
  }

  // Associations (the volume type's qos_specs_id)

  /** The types associated with the QoS specs, by name. */
  public List<QosSpec.Association> associations(String id) {
    return sql.query(
        "SELECT id, name FROM volume_type WHERE qos_specs_id = ? ORDER BY name",
        r -> new QosSpec.Association(r.getString("id"), r.getString("name")),
        id);
  }

  /**
   * Associates a type with the QoS specs if it has none or already these: a conditional update, so
   * of two associations racing on one type exactly one wins. Answers whether the type now has them.
   */
  public boolean associate(String id, String typeId) {
    return sql.update(
            "UPDATE volume_type SET qos_specs_id = ? WHERE id = ? AND (qos_specs_id IS NULL OR qos_specs_id = ?)",
            id, typeId, id)
        == 1;
  }

  public int disassociate(String id, String typeId) {
    return sql.update("UPDATE volume_type SET qos_specs_id = NULL WHERE id = ? AND qos_specs_id = ?", typeId, id);
  }

  public int disassociateAll(String id) {
    return sql.update("UPDATE volume_type SET qos_specs_id = NULL WHERE qos_specs_id = ?", id);
  }

  /** The QoS specs a type is associated with, if the type exists. */
  public Optional<Optional<String>> qosOfType(String typeId) {
    return sql.queryOne(
        "SELECT qos_specs_id FROM volume_type WHERE id = ?", r -> Optional.ofNullable(r.getString("qos_specs_id")), typeId);
  }
}
