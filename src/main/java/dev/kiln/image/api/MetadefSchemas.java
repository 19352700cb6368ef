package dev.kiln.image.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Json;

/**
 * The JSON schemas Glance publishes under {@code /v2/schemas/metadefs/}: one for each kind of
 * metadata definition and one for each collection of them, with the shared property-definition
 * schema under {@code definitions}.
 */
final class MetadefSchemas {
  private MetadefSchemas() {}

  static ObjectNode namespace() {
    ObjectNode schema = named("namespace");
    ObjectNode p = schema.putObject("properties");
    text(p, "namespace", "The namespace's unique name").put("maxLength", 80);
    text(p, "display_name", "A friendlier name, for user interfaces").put("maxLength", 80);
    text(p, "description", "What the namespace defines").put("maxLength", 500);
    text(p, "visibility", "Who sees the namespace").putArray("enum").add("public").add("private");
    typed(p, "protected", "boolean").put("description", "Whether the namespace is safe from deletion");
    text(p, "owner", "The owning project").put("maxLength", 255);
    timestamps(p);
    readOnlyText(p, "schema");
    readOnlyText(p, "self");
    ObjectNode associations = typed(p, "resource_type_associations", "array");
    ObjectNode ap = associations.putObject("items").put("type", "object").putObject("properties");
    for (String name : new String[] {"name", "prefix", "properties_target"}) {
      typed(ap, name, "string");
    }
    p.putObject("properties").put("$ref", "#/definitions/property");
    ObjectNode objects = typed(p, "objects", "array");
    ObjectNode op = objects.putObject("items").put("type", "object").putObject("properties");
    typed(op, "name", "string");
    typed(op, "description", "string");
    op.putObject("required").put("$ref", "#/definitions/stringArray");
    op.putObject("properties").put("$ref", "#/definitions/property");
    ObjectNode tags = typed(p, "tags", "array");
    typed(tags.putObject("items").put("type", "object").putObject("properties"), "name", "string");
    schema.put("additionalProperties", false);
    schema.putArray("required").add("namespace");
    schema.set("definitions", definitions());
    return schema;
  }

  static ObjectNode namespaces() {
    return collectionWithDefinitions("namespaces", namespace());
  }

  static ObjectNode resourceTypeAssociation() {
    ObjectNode schema = named("resource_type_association");
    ObjectNode p = schema.putObject("properties");
    text(p, "name", "The resource type, such as OS::Nova::Flavor").put("maxLength", 80);
    text(p, "prefix", "What goes before the namespace's property names on this resource type").put("maxLength", 80);
    text(p, "properties_target", "Which part of the resource the properties apply to").put("maxLength", 80);
    timestamps(p);
    schema.put("additionalProperties", false);
    schema.putArray("required").add("name");
    return schema;
  }

  static ObjectNode resourceTypeAssociations() {
    return ImageSchemas.collection("resource_type_associations", resourceTypeAssociation());
  }

  static ObjectNode object() {
    ObjectNode schema = named("object");
    ObjectNode p = schema.putObject("properties");
    text(p, "name", "The object's name, unique in its namespace").put("maxLength", 80);
    text(p, "description", "What the object describes");
    p.putObject("required").put("$ref", "#/definitions/stringArray");
    p.putObject("properties").put("$ref", "#/definitions/property");
    readOnlyText(p, "schema");
    readOnlyText(p, "self");
    timestamps(p);
    schema.put("additionalProperties", false);
    schema.putArray("required").add("name");
    schema.set("definitions", definitions());
    return schema;
  }

  static ObjectNode objects() {
    return collectionWithDefinitions("objects", object());
  }

  static ObjectNode property() {
    ObjectNode schema = named("property");
    ObjectNode p = schema.putObject("properties");
    text(p, "name", "The property's name").put("maxLength", 255);
    propertyAttributes(p);
    schema.put("additionalProperties", false);
    schema.putArray("required").add("name").add("title").add("type");
    schema.set("definitions", definitions());
    return schema;
  }

  static ObjectNode properties() {
    ObjectNode schema = named("properties");
    ObjectNode p = schema.putObject("properties");
    p.putObject("properties").put("$ref", "#/definitions/property");
    typed(p, "first", "string");
    typed(p, "next", "string");
    typed(p, "schema", "string");
    ArrayNode links = schema.putArray("links");
    links.addObject().put("rel", "first").put("href", "{first}");
    links.addObject().put("rel", "next").put("href", "{next}");
    links.addObject().put("rel", "describedby").put("href", "{schema}");
    schema.set("definitions", definitions());
    return schema;
  }

  static ObjectNode tag() {
    ObjectNode schema = named("tag");
    ObjectNode p = schema.putObject("properties");
    text(p, "name", "The tag, unique in its namespace").put("maxLength", 255);
    timestamps(p);
    schema.put("additionalProperties", false);
    schema.putArray("required").add("name");
    return schema;
  }

  static ObjectNode tags() {
    return ImageSchemas.collection("tags", tag());
  }

  /** A collection whose item schema's definitions move up to the collection, as Glance does. */
  private static ObjectNode collectionWithDefinitions(String name, ObjectNode item) {
    ObjectNode definitions = (ObjectNode) item.remove("definitions");
    ObjectNode schema = ImageSchemas.collection(name, item);
    schema.set("definitions", definitions);
    return schema;
  }

  /** The property-definition schema objects and namespaces share. */
  private static ObjectNode definitions() {
    ObjectNode d = Json.object();
    d.putObject("positiveInteger").put("type", "integer").put("minimum", 0);
    ObjectNode default0 = d.putObject("positiveIntegerDefault0");
    ArrayNode all = default0.putArray("allOf");
    all.addObject().put("$ref", "#/definitions/positiveInteger");
    all.addObject().put("default", 0);
    ObjectNode stringArray = d.putObject("stringArray").put("type", "array");
    stringArray.putObject("items").put("type", "string");
    stringArray.put("uniqueItems", true);
    ObjectNode property = d.putObject("property").put("type", "object");
    ObjectNode each = property.putObject("additionalProperties").put("type", "object");
    each.putArray("required").add("title").add("type");
    ObjectNode p = each.putObject("properties");
    typed(p, "name", "string").put("maxLength", 255);
    propertyAttributes(p);
    return d;
  }

  private static void propertyAttributes(ObjectNode p) {
    typed(p, "title", "string");
    typed(p, "description", "string");
    typed(p, "operators", "array").putObject("items").put("type", "string");
    ArrayNode types = typed(p, "type", "string").putArray("enum");
    MetadefBodies.PROPERTY_TYPES.forEach(types::add);
    types.addNull();
    p.putObject("required").put("$ref", "#/definitions/stringArray");
    typed(p, "minimum", "number");
    typed(p, "maximum", "number");
    p.putObject("maxLength").put("$ref", "#/definitions/positiveInteger");
    p.putObject("minLength").put("$ref", "#/definitions/positiveIntegerDefault0");
    typed(p, "pattern", "string").put("format", "regex");
    typed(p, "enum", "array");
    typed(p, "readonly", "boolean");
    p.putObject("default");
    ObjectNode items = typed(p, "items", "object").putObject("properties");
    ArrayNode itemTypes = typed(items, "type", "string").putArray("enum");
    MetadefBodies.PROPERTY_TYPES.forEach(itemTypes::add);
    itemTypes.addNull();
    typed(items, "enum", "array");
    p.putObject("maxItems").put("$ref", "#/definitions/positiveInteger");
    p.putObject("minItems").put("$ref", "#/definitions/positiveIntegerDefault0");
    typed(p, "uniqueItems", "boolean").put("default", false);
    typed(p, "additionalItems", "boolean");
  }

  private static ObjectNode named(String name) {
    ObjectNode schema = Json.object();
    schema.put("name", name);
    return schema;
  }

  private static ObjectNode typed(ObjectNode properties, String name, String type) {
    return properties.putObject(name).put("type", type);
  }

  private static ObjectNode text(ObjectNode properties, String name, String description) {
    return typed(properties, name, "string").put("description", description);
  }

  private static void readOnlyText(ObjectNode properties, String name) {
    typed(properties, name, "string").put("readOnly", true);
  }

  private static void timestamps(ObjectNode p) {
    text(p, "created_at", "When it was created").put("format", "date-time").put("readOnly", true);
    text(p, "updated_at", "When it last changed").put("format", "date-time").put("readOnly", true);
  }
}
