package dev.kiln.image.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.http.ApiError;
import dev.kiln.http.Json;
import dev.kiln.image.metadef.MetadefObject;
import dev.kiln.image.metadef.MetadefProperty;
import dev.kiln.image.metadef.NamespaceInput;
import dev.kiln.image.metadef.ResourceTypeAssociation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads metadef request bodies, checking them the way Glance's metadef schemas do: required
 * members, types, lengths and allowed values, a 403 for the read-only members and a 400 naming
 * anything else wrong.
 */
final class MetadefBodies {
  private static final Set<String> READ_ONLY = Set.of("self", "schema", "created_at", "updated_at");
  private static final Set<String> NAMESPACE_MEMBERS =
      Set.of("namespace", "display_name", "description", "visibility", "protected", "owner",
          "resource_type_associations", "properties", "objects", "tags");
  private static final Set<String> OBJECT_MEMBERS = Set.of("name", "description", "required", "properties");
  static final Set<String> PROPERTY_MEMBERS =
      Set.of("name", "title", "description", "type", "operators", "default", "readonly", "minimum", "maximum",
          "enum", "pattern", "minLength", "maxLength", "confidential", "items", "uniqueItems", "minItems",
          "maxItems", "additionalItems");
  static final List<String> PROPERTY_TYPES = List.of("array", "boolean", "integer", "number", "object", "string");

  private MetadefBodies() {}

  static NamespaceInput namespace(JsonNode body) {
    check(body, "namespace", NAMESPACE_MEMBERS);
    String visibility = optionalText(body, "visibility", 80);
    if (visibility != null && !visibility.equals("public") && !visibility.equals("private")) {
      throw ApiError.badRequest("Invalid visibility '" + visibility + "': it must be public or private.");
    }
    JsonNode isProtected = body.get("protected");
    if (isProtected != null && !isProtected.isNull() && !isProtected.isBoolean()) {
      throw ApiError.badRequest("'protected' must be a boolean, not " + isProtected + ".");
    }
    List<ResourceTypeAssociation> associations = new ArrayList<>();
    for (JsonNode a : array(body, "resource_type_associations")) {
      associations.add(association(a));
    }
    List<MetadefObject> objects = new ArrayList<>();
    for (JsonNode o : array(body, "objects")) {
      objects.add(object(o));
    }
    List<MetadefProperty> properties = new ArrayList<>();
    JsonNode props = body.get("properties");
    if (props != null && !props.isNull()) {
      if (!props.isObject()) {
        throw ApiError.badRequest("'properties' must be an object of property definitions by name.");
      }
      props.properties().forEach(e -> properties.add(property(e.getKey(), e.getValue())));
    }
    List<String> tags = new ArrayList<>();
    for (JsonNode t : array(body, "tags")) {
      tags.add(tagName(t));
    }
    return new NamespaceInput(
        requiredText(body, "namespace", 80), optionalText(body, "display_name", 80),
        optionalText(body, "description", 500), "public".equals(visibility),
        isProtected != null && isProtected.asBoolean(false), optionalText(body, "owner", 255),
        associations, objects, properties, tags);
  }

  static ResourceTypeAssociation association(JsonNode body) {
    check(body, "resource type association", Set.of("name", "prefix", "properties_target"));
    return new ResourceTypeAssociation(
        requiredText(body, "name", 80), optionalText(body, "prefix", 80), optionalText(body, "properties_target", 80),
        null, null);
  }

  static MetadefObject object(JsonNode body) {
    check(body, "object", OBJECT_MEMBERS);
    List<String> required = new ArrayList<>();
    for (JsonNode r : array(body, "required")) {
      if (!r.isTextual()) {
        throw ApiError.badRequest("'required' must list property names (strings).");
      }
      required.add(r.textValue());
    }
    Map<String, Object> properties = new LinkedHashMap<>();
    JsonNode props = body.get("properties");
    if (props != null && !props.isNull()) {
      if (!props.isObject()) {
        throw ApiError.badRequest("'properties' must be an object of property definitions by name.");
      }
      props.properties().forEach(e -> properties.put(e.getKey(), property(e.getKey(), e.getValue()).definition()));
    }
    return new MetadefObject(
        requiredText(body, "name", 80), optionalText(body, "description", 65535), required, properties, null, null);
  }

  /** A property definition; {@code name} is the body's own when null (a property create or update). */
  static MetadefProperty property(String name, JsonNode body) {
    check(body, "property", PROPERTY_MEMBERS);
    String propertyName = name != null ? name : requiredText(body, "name", 255);
    if (propertyName.length() > 255) {
      throw ApiError.badRequest("The property name '" + propertyName + "' is over 255 characters.");
    }
    requiredText(body, "title", 65535);
    String type = requiredText(body, "type", 16);
    if (!PROPERTY_TYPES.contains(type)) {
      throw ApiError.badRequest("Invalid property type '" + type + "': it must be one of " + PROPERTY_TYPES + ".");
    }
    JsonNode choices = body.get("enum");
    if (choices != null && !choices.isNull() && !choices.isArray()) {
      throw ApiError.badRequest("'enum' must be an array.");
    }
    Map<String, Object> definition = new LinkedHashMap<>();
    body.properties().forEach(e -> {
      if (!e.getKey().equals("name")) {
        definition.put(e.getKey(), Json.MAPPER.convertValue(e.getValue(), Object.class));
      }
    });
    return new MetadefProperty(propertyName, definition);
  }

  static String tagName(JsonNode body) {
    check(body, "tag", Set.of("name"));
    return requiredText(body, "name", 255);
  }

  /** A JSON object without read-only (403) or unknown (400) members. */
  private static void check(JsonNode body, String what, Set<String> allowed) {
    if (body == null || !body.isObject()) {
      throw ApiError.badRequest("The " + what + " must be a JSON object.");
    }
    for (String key : (Iterable<String>) () -> body.fieldNames()) {
      if (READ_ONLY.contains(key)) {
        throw ApiError.forbidden("Attribute '" + key + "' is read-only.");
      }
      if (!allowed.contains(key)) {
        throw ApiError.badRequest("Unknown member '" + key + "' in the " + what + ": allowed are " + allowed + ".");
      }
    }
  }

  private static Iterable<JsonNode> array(JsonNode body, String name) {
    JsonNode value = body.get(name);
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (!value.isArray()) {
      throw ApiError.badRequest("'" + name + "' must be an array.");
    }
    return value;
  }

  static String requiredText(JsonNode body, String name, int maxLength) {
    String value = optionalText(body, name, maxLength);
    if (value == null || value.isEmpty()) {
      throw ApiError.badRequest("'" + name + "' is required: a non-empty string.");
    }
    return value;
  }

  private static String optionalText(JsonNode body, String name, int maxLength) {
    JsonNode value = body.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw ApiError.badRequest("'" + name + "' must be a string, not " + value + ".");
    }
    if (value.textValue().length() > maxLength) {
      throw ApiError.badRequest("'" + name + "' is longer than " + maxLength + " characters.");
    }
    return value.textValue();
  }
}
