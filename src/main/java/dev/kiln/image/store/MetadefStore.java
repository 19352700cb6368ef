package dev.kiln.image.store;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.image.metadef.MetadefNamespace;
import dev.kiln.image.metadef.MetadefObject;
import dev.kiln.image.metadef.MetadefProperty;
import dev.kiln.image.metadef.MetadefTag;
import dev.kiln.image.metadef.ResourceType;
import dev.kiln.image.metadef.ResourceTypeAssociation;
import dev.kiln.store.Sql;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The metadata definition tables. The caller decides the transaction; changes to one namespace's
 * contents run under that namespace's row lock ({@link #lockNamespace}). Object and property
 * definitions are kept as JSON text: Kiln stores them and gives them back, never reads inside them.
 */
public final class MetadefStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NS_COLUMNS =
      "id, namespace, display_name, description, owner, visibility, is_protected, created_at, updated_at";

  private final Sql sql;

  public MetadefStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  // Namespaces

  public void insertNamespace(MetadefNamespace n) {
    sql.update(
        "INSERT INTO image_metadef_namespace (" + NS_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        n.id(), n.namespace(), n.displayName(), n.description(), n.owner(), n.visibility(),
        n.protectedNamespace(), n.createdAt(), n.updatedAt());
  }

  public Optional<MetadefNamespace> findNamespace(String namespace) {
    return sql.queryOne(
        "SELECT " + NS_COLUMNS + " FROM image_metadef_namespace WHERE namespace = ?", MetadefStore::namespace, namespace);
  }

  /** Reads the namespace and locks its row until the transaction ends. */
  public Optional<MetadefNamespace> lockNamespace(String namespace) {
    return sql.queryOne(
        "SELECT " + NS_COLUMNS + " FROM image_metadef_namespace WHERE namespace = ? FOR UPDATE",
        MetadefStore::namespace, namespace);
  }

  public List<MetadefNamespace> listNamespaces() {
    return sql.query("SELECT " + NS_COLUMNS + " FROM image_metadef_namespace", MetadefStore::namespace);
  }

  /** Saves a namespace's attributes (its name too) under its id. */
  public void updateNamespace(MetadefNamespace n) {
    sql.update(
        "UPDATE image_metadef_namespace SET namespace = ?, display_name = ?, description = ?, owner = ?,"
            + " visibility = ?, is_protected = ?, updated_at = ? WHERE id = ?",
        n.namespace(), n.displayName(), n.description(), n.owner(), n.visibility(), n.protectedNamespace(),
        n.updatedAt(), n.id());
  }

  public void deleteNamespace(String id) {
    sql.update("DELETE FROM image_metadef_namespace WHERE id = ?", id);
  }

  // Objects

  public void insertObject(String namespaceId, MetadefObject o) {
    sql.update(
        "INSERT INTO image_metadef_object (namespace_id, name, description, required, properties, created_at,"
            + " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        namespaceId, o.name(), o.description(), write(o.required()), write(o.properties()), o.createdAt(),
        o.updatedAt());
  }

  public Optional<MetadefObject> findObject(String namespaceId, String name) {
    return sql.queryOne(
        "SELECT * FROM image_metadef_object WHERE namespace_id = ? AND name = ?", MetadefStore::object, namespaceId, name);
  }

  public List<MetadefObject> listObjects(String namespaceId) {
    return sql.query(
        "SELECT * FROM image_metadef_object WHERE namespace_id = ? ORDER BY created_at, name", MetadefStore::object,
        namespaceId);
  }

  /** Replaces the object named {@code oldName} (it may be renamed). */
  public void updateObject(String namespaceId, String oldName, MetadefObject o) {
    sql.update(
        "UPDATE image_metadef_object SET name = ?, description = ?, required = ?, properties = ?, updated_at = ?"
            + " WHERE namespace_id = ? AND name = ?",
        o.name(), o.description(), write(o.required()), write(o.properties()), o.updatedAt(), namespaceId, oldName);
  }

  public boolean deleteObject(String namespaceId, String name) {
    return sql.update("DELETE FROM image_metadef_object WHERE namespace_id = ? AND name = ?", namespaceId, name) == 1;
  }

  public void deleteObjects(String namespaceId) {
    sql.update("DELETE FROM image_metadef_object WHERE namespace_id = ?", namespaceId);
  }

  // Properties

  public void insertProperty(String namespaceId, MetadefProperty p, Instant now) {
    sql.update(
        "INSERT INTO image_metadef_property (namespace_id, name, definition, created_at, updated_at)"
            + " VALUES (?, ?, ?, ?, ?)",
        namespaceId, p.name(), write(p.definition()), now, now);
  }

  public Optional<MetadefProperty> findProperty(String namespaceId, String name) {
    return sql.queryOne(
        "SELECT name, definition FROM image_metadef_property WHERE namespace_id = ? AND name = ?",
        MetadefStore::property, namespaceId, name);
  }

  public List<MetadefProperty> listProperties(String namespaceId) {
    return sql.query(
        "SELECT name, definition FROM image_metadef_property WHERE namespace_id = ? ORDER BY name",
        MetadefStore::property, namespaceId);
  }

  public void updateProperty(String namespaceId, String oldName, MetadefProperty p, Instant now) {
    sql.update(
        "UPDATE image_metadef_property SET name = ?, definition = ?, updated_at = ? WHERE namespace_id = ? AND name = ?",
        p.name(), write(p.definition()), now, namespaceId, oldName);
  }

  public boolean deleteProperty(String namespaceId, String name) {
    return sql.update("DELETE FROM image_metadef_property WHERE namespace_id = ? AND name = ?", namespaceId, name) == 1;
  }

  public void deleteProperties(String namespaceId) {
    sql.update("DELETE FROM image_metadef_property WHERE namespace_id = ?", namespaceId);
  }

  // Tags

  public void insertTag(String namespaceId, MetadefTag t) {
    sql.update(
        "INSERT INTO image_metadef_tag (namespace_id, name, created_at, updated_at) VALUES (?, ?, ?, ?)",
        namespaceId, t.name(), t.createdAt(), t.updatedAt());
  }

  public Optional<MetadefTag> findTag(String namespaceId, String name) {
    return sql.queryOne(
        "SELECT name, created_at, updated_at FROM image_metadef_tag WHERE namespace_id = ? AND name = ?",
        MetadefStore::tag, namespaceId, name);
  }

  public List<MetadefTag> listTags(String namespaceId) {
    return sql.query(
        "SELECT name, created_at, updated_at FROM image_metadef_tag WHERE namespace_id = ? ORDER BY created_at, name",
        MetadefStore::tag, namespaceId);
  }

  public void renameTag(String namespaceId, String oldName, String newName, Instant now) {
    sql.update(
        "UPDATE image_metadef_tag SET name = ?, updated_at = ? WHERE namespace_id = ? AND name = ?",
        newName, now, namespaceId, oldName);
  }

  public boolean deleteTag(String namespaceId, String name) {
    return sql.update("DELETE FROM image_metadef_tag WHERE namespace_id = ? AND name = ?", namespaceId, name) == 1;
  }

  public void deleteTags(String namespaceId) {
    sql.update("DELETE FROM image_metadef_tag WHERE namespace_id = ?", namespaceId);
  }

  // Resource types

  public List<ResourceType> listResourceTypes() {
    return sql.query(
        "SELECT name, created_at, updated_at FROM image_metadef_resource_type ORDER BY name",
        r -> new ResourceType(r.getString("name"), r.getInstant("created_at"), r.getInstant("updated_at")));
  }

  /**
   * Creates an unprotected resource type unless one has the name. Two requests adding the same new
   * name at the same moment: one of them fails on the primary key (DUPLICATE).
   */
  public void ensureResourceType(String name, Instant now) {
    sql.update(
        "INSERT INTO image_metadef_resource_type (name, is_protected, created_at, updated_at)"
            + " SELECT ?, FALSE, ?, ? WHERE NOT EXISTS (SELECT 1 FROM image_metadef_resource_type WHERE name = ?)",
        name, now, now, name);
  }

  public void insertAssociation(String namespaceId, ResourceTypeAssociation a) {
    sql.update(
        "INSERT INTO image_metadef_resource_type_association (namespace_id, resource_type, prefix, properties_target,"
            + " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
        namespaceId, a.name(), a.prefix(), a.propertiesTarget(), a.createdAt(), a.updatedAt());
  }

  public List<ResourceTypeAssociation> listAssociations(String namespaceId) {
    return sql.query(
        "SELECT * FROM image_metadef_resource_type_association WHERE namespace_id = ? ORDER BY created_at, resource_type",
        MetadefStore::association, namespaceId);
  }

  /** Every namespace's associations, by namespace id, for lists. */
  public Map<String, List<ResourceTypeAssociation>> allAssociations() {
    Map<String, List<ResourceTypeAssociation>> byNamespace = new HashMap<>();
    sql.query(
        "SELECT * FROM image_metadef_resource_type_association ORDER BY created_at, resource_type",
        r -> byNamespace.computeIfAbsent(r.getString("namespace_id"), k -> new java.util.ArrayList<>())
            .add(association(r)));
    return byNamespace;
  }

  public boolean deleteAssociation(String namespaceId, String resourceType) {
    return sql.update(
            "DELETE FROM image_metadef_resource_type_association WHERE namespace_id = ? AND resource_type = ?",
            namespaceId, resourceType)
        == 1;
  }

  // Rows

  private static MetadefNamespace namespace(Sql.Row r) throws SQLException {
    return new MetadefNamespace(
        r.getString("id"), r.getString("namespace"), r.getString("display_name"), r.getString("description"),
        r.getString("owner"), "public".equals(r.getString("visibility")), r.getBoolean("is_protected"),
        r.getInstant("created_at"), r.getInstant("updated_at"));
  }

  private static MetadefObject object(Sql.Row r) throws SQLException {
    return new MetadefObject(
        r.getString("name"), r.getString("description"),
        read(r.getString("required"), new TypeReference<List<String>>() {}),
        read(r.getString("properties"), new TypeReference<Map<String, Object>>() {}),
        r.getInstant("created_at"), r.getInstant("updated_at"));
  }

  private static MetadefProperty property(Sql.Row r) throws SQLException {
    return new MetadefProperty(
        r.getString("name"), read(r.getString("definition"), new TypeReference<Map<String, Object>>() {}));
  }

  private static MetadefTag tag(Sql.Row r) throws SQLException {
    return new MetadefTag(r.getString("name"), r.getInstant("created_at"), r.getInstant("updated_at"));
  }

  private static ResourceTypeAssociation association(Sql.Row r) throws SQLException {
    return new ResourceTypeAssociation(
        r.getString("resource_type"), r.getString("prefix"), r.getString("properties_target"),
        r.getInstant("created_at"), r.getInstant("updated_at"));
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static <T> T read(String text, TypeReference<T> type) {
    try {
      return JSON.readValue(text, type);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
