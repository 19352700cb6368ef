package dev.kiln.image.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Json;
import dev.kiln.image.ImageSchema;
import dev.kiln.image.ImageStatus;

/**
 * The JSON schemas Glance publishes at {@code /v2/schemas/image} and {@code /v2/schemas/images},
 * which clients (glanceclient, some SDKs) read to learn the attributes and their allowed values.
 */
final class ImageSchemas {
  private ImageSchemas() {}

  static ObjectNode image() {
    ObjectNode schema = Json.object();
    schema.put("name", "image");
    ObjectNode p = schema.putObject("properties");
    ObjectNode id = property(p, "id", "string", "An identifier for the image");
    id.put("pattern",
        "^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$");
    nullable(p, "name", "string", "Descriptive name for the image").put("maxLength", 255);
    ObjectNode status = property(p, "status", "string", "Status of the image");
    status.put("readOnly", true);
    ArrayNode statuses = status.putArray("enum");
    for (ImageStatus s : ImageStatus.values()) {
      statuses.add(s.apiName());
    }
    ObjectNode visibility = property(p, "visibility", "string", "Scope of image accessibility");
    visibility.putArray("enum").add("community").add("public").add("private").add("shared");
    property(p, "protected", "boolean", "If true, image will not be deletable.");
    property(p, "os_hidden", "boolean", "If true, image will not appear in default image list response.");
    readOnly(nullable(p, "checksum", "string", "md5 hash of image contents.")).put("maxLength", 32);
    readOnly(nullable(p, "os_hash_algo", "string", "Algorithm to calculate the os_hash_value")).put("maxLength", 64);
    readOnly(nullable(p, "os_hash_value", "string",
            "Hexdigest of the image contents using the algorithm specified by the os_hash_algo"))
        .put("maxLength", 128);
    nullable(p, "owner", "string", "Owner of the image").put("maxLength", 255);
    readOnly(nullable(p, "size", "integer", "Size of image file in bytes"));
    readOnly(nullable(p, "virtual_size", "integer", "Virtual size of image in bytes"));
    ArrayNode containers =
        nullable(p, "container_format", "string", "Format of the container").putArray("enum");
    containers.addNull();
    ImageSchema.CONTAINER_FORMATS.forEach(containers::add);
    ArrayNode disks = nullable(p, "disk_format", "string", "Format of the disk").putArray("enum");
    disks.addNull();
    ImageSchema.DISK_FORMATS.forEach(disks::add);
    readOnly(property(p, "created_at", "string", "Date and time of image registration"));
    readOnly(property(p, "updated_at", "string", "Date and time of the last image modification"));
    ObjectNode tags = property(p, "tags", "array", "List of strings related to the image");
    tags.putObject("items").put("type", "string").put("maxLength", 255);
    readOnly(property(p, "direct_url", "string", "URL to access the image file kept in external store"));
    property(p, "min_ram", "integer", "Amount of ram (in MB) required to boot image.");
    property(p, "min_disk", "integer", "Amount of disk space (in GB) required to boot image.");
    readOnly(property(p, "self", "string", "An image self url"));
    readOnly(property(p, "file", "string", "An image file url"));
    readOnly(property(p, "stores", "string", "Store in which image data resides."));
    readOnly(property(p, "schema", "string", "An image schema url"));
    ObjectNode locations =
        property(p, "locations", "array", "A set of URLs to access the image file kept in external store");
    ObjectNode location = locations.putObject("items");
    location.put("type", "object");
    ObjectNode lp = location.putObject("properties");
    lp.putObject("url").put("type", "string").put("maxLength", 255);
    lp.putObject("metadata").put("type", "object");
    location.putArray("required").add("url").add("metadata");
    schema.putObject("additionalProperties").put("type", "string");
    ArrayNode links = schema.putArray("links");
    links.addObject().put("rel", "self").put("href", "{self}");
    links.addObject().put("rel", "enclosure").put("href", "{file}");
    links.addObject().put("rel", "describedby").put("href", "{schema}");
    return schema;
  }

  static ObjectNode images() {
    ObjectNode schema = Json.object();
    schema.put("name", "images");
    ObjectNode p = schema.putObject("properties");
    ObjectNode images = p.putObject("images");
    images.put("type", "array");
    images.set("items", image());
    p.putObject("first").put("type", "string");
    p.putObject("next").put("type", "string");
    p.putObject("schema").put("type", "string");
    ArrayNode links = schema.putArray("links");
    links.addObject().put("rel", "first").put("href", "{first}");
    links.addObject().put("rel", "next").put("href", "{next}");
    links.addObject().put("rel", "describedby").put("href", "{schema}");
    return schema;
  }

  /** An image member: who an image is shared with and their answer. */
  static ObjectNode member() {
    ObjectNode schema = Json.object();
    schema.put("name", "member");
    ObjectNode p = schema.putObject("properties");
    property(p, "member_id", "string", "The project the image is shared with");
    property(p, "image_id", "string", "The shared image's id")
        .put("pattern",
            "^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$");
    property(p, "created_at", "string", "When the image was shared with the project");
    property(p, "updated_at", "string", "When the membership last changed");
    property(p, "status", "string", "The member's answer")
        .putArray("enum").add("pending").add("accepted").add("rejected");
    readOnly(p.putObject("schema").put("type", "string"));
    schema.put("additionalProperties", false);
    return schema;
  }

  static ObjectNode members() {
    return collection("members", member());
  }

  /** A Glance collection schema: the items, the paging links and the schema link. */
  static ObjectNode collection(String name, ObjectNode item) {
    ObjectNode schema = Json.object();
    schema.put("name", name);
    ObjectNode p = schema.putObject("properties");
    ObjectNode items = p.putObject(name);
    items.put("type", "array");
    items.set("items", item);
    p.putObject("first").put("type", "string");
    p.putObject("next").put("type", "string");
    p.putObject("schema").put("type", "string");
    ArrayNode links = schema.putArray("links");
    links.addObject().put("rel", "first").put("href", "{first}");
    links.addObject().put("rel", "next").put("href", "{next}");
    links.addObject().put("rel", "describedby").put("href", "{schema}");
    return schema;
  }

  private static ObjectNode property(ObjectNode properties, String name, String type, String description) {
    ObjectNode o = properties.putObject(name);
    o.put("type", type);
    o.put("description", description);
    return o;
  }

  private static ObjectNode nullable(ObjectNode properties, String name, String type, String description) {
    ObjectNode o = properties.putObject(name);
    o.putArray("type").add("null").add(type);
    o.put("description", description);
    return o;
  }

  private static ObjectNode readOnly(ObjectNode property) {
    property.put("readOnly", true);
    return property;
  }
}
