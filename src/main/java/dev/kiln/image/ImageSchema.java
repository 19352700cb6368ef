package dev.kiln.image;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Glance's image schema: the base attributes, which of them clients may set, their types and the
 * values they may take. Values arrive as plain Java values read from JSON (String, Boolean, a
 * whole number as Integer/Long/BigInteger, other numbers, List, Map, or null), and are checked
 * here the way Glance's JSON schema checks them; custom properties must be strings.
 */
public final class ImageSchema {
  public static final List<String> DISK_FORMATS =
      List.of("ami", "ari", "aki", "vhd", "vhdx", "vmdk", "raw", "qcow2", "vdi", "iso", "ploop");
  public static final List<String> CONTAINER_FORMATS =
      List.of("ami", "ari", "aki", "bare", "ovf", "ova", "docker", "compressed");

  /** Attributes the server computes; a request that sets one is refused with 403. */
  public static final Set<String> READ_ONLY =
      Set.of("created_at", "updated_at", "status", "checksum", "size", "virtual_size", "direct_url",
          "self", "file", "schema", "id", "os_hash_algo", "os_hash_value", "stores");

  /** Names no image may carry as a property. */
  public static final Set<String> RESERVED = Set.of("location", "deleted", "deleted_at");

  /** The prefix of properties Glance keeps for itself. */
  public static final String RESERVED_NAMESPACE = "os_glance";

  /** The base attributes: everything else on an image is a custom property. */
  public static final Set<String> BASE =
      Set.of("id", "name", "status", "visibility", "protected", "os_hidden", "checksum",
          "os_hash_algo", "os_hash_value", "owner", "size", "virtual_size", "container_format",
          "disk_format", "created_at", "updated_at", "tags", "direct_url", "min_ram", "min_disk",
          "self", "file", "stores", "schema", "locations");

  /** At most this many custom properties per image (Glance's image_property_quota). */
  public static final int MAX_PROPERTIES = 128;

  /** At most this many tags per image (Glance's image_tag_quota). */
  public static final int MAX_TAGS = 128;

  public static final int MAX_LENGTH = 255;

  private static final Pattern UUID =
      Pattern.compile(
          "^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$");

  private ImageSchema() {}

  /** Checks one attribute's value against the schema; custom properties must be strings. */
  static void check(String attribute, Object value) {
    switch (attribute) {
      case "id" -> {
        String id = string(attribute, value, false);
        if (!UUID.matcher(id).matches()) {
          throw ImageErrors.schema(repr(id) + " does not match " + repr(UUID.pattern()), "pattern", attribute);
        }
      }
      case "name", "owner", "checksum", "os_hash_algo", "os_hash_value" -> {
        String s = string(attribute, value, true);
        if (s != null && s.length() > MAX_LENGTH) {
          throw ImageErrors.schema(repr(s) + " is too long", "maxLength", attribute);
        }
      }
      case "status" -> oneOf(attribute, string(attribute, value, false), statuses(), false);
      case "visibility" ->
          oneOf(attribute, string(attribute, value, false), List.of("community", "public", "private", "shared"), false);
      case "protected", "os_hidden" -> {
        if (!(value instanceof Boolean)) {
          throw ImageErrors.schema(repr(value) + " is not of type 'boolean'", "type", attribute);
        }
      }
      case "size", "virtual_size" -> {
        if (value != null && !isWhole(value)) {
          throw ImageErrors.schema(repr(value) + " is not of type 'null', 'integer'", "type", attribute);
        }
      }
      case "min_ram", "min_disk" -> {
        if (!isWhole(value)) {
          throw ImageErrors.schema(repr(value) + " is not of type 'integer'", "type", attribute);
        }
      }
      case "container_format" -> oneOf(attribute, string(attribute, value, true), CONTAINER_FORMATS, true);
      case "disk_format" -> oneOf(attribute, string(attribute, value, true), DISK_FORMATS, true);
      case "created_at", "updated_at", "direct_url", "self", "file", "stores", "schema" ->
          string(attribute, value, false);
      case "tags" -> tags(value);
      case "locations" -> {
        if (!(value instanceof List<?>)) {
          throw ImageErrors.schema(repr(value) + " is not of type 'array'", "type", attribute);
        }
      }
      default -> {
        if (!(value instanceof String)) {
          throw ImageErrors.schema(repr(value) + " is not of type 'string'", "type", "additionalProperties");
        }
      }
    }
  }

  /** A tag list: strings of at most 255 characters; duplicates are dropped later. */
  static List<String> tags(Object value) {
    if (!(value instanceof List<?> list)) {
      throw ImageErrors.schema(repr(value) + " is not of type 'array'", "type", "tags");
    }
    List<String> tags = new ArrayList<>();
    for (Object item : list) {
      tag(item);
      tags.add((String) item);
    }
    return tags;
  }

  static void tag(Object item) {
    if (!(item instanceof String s)) {
      throw ImageErrors.schema(repr(item) + " is not of type 'string'", "type", "tags");
    }
    if (s.length() > MAX_LENGTH) {
      throw ImageErrors.schema(repr(s) + " is too long", "maxLength", "tags");
    }
  }

  /** A whole number that fits Glance's integer columns; anything else is a 400 naming it. */
  static int intValue(String attribute, Object value) {
    BigInteger big =
        value instanceof BigInteger b ? b : BigInteger.valueOf(((Number) value).longValue());
    if (big.signum() < 0) {
      throw ImageErrors.negative(attribute, big.longValue());
    }
    if (big.bitLength() > 31) {
      throw ImageErrors.invalid(
          "Invalid value '" + big + "' for parameter '" + attribute + "': it must be at most "
              + Integer.MAX_VALUE + ".");
    }
    return big.intValue();
  }

  private static boolean isWhole(Object value) {
    return value instanceof Integer || value instanceof Long || value instanceof BigInteger
        || value instanceof Short || value instanceof Byte;
  }

  private static String string(String attribute, Object value, boolean nullable) {
    if (value == null && nullable) {
      return null;
    }
    if (!(value instanceof String s)) {
      throw ImageErrors.schema(
          repr(value) + " is not of type " + (nullable ? "'null', 'string'" : "'string'"), "type", attribute);
    }
    return s;
  }

  private static void oneOf(String attribute, String value, List<String> allowed, boolean nullable) {
    if (value == null || allowed.contains(value)) {
      return;
    }
    List<String> shown = new ArrayList<>();
    if (nullable) {
      shown.add("None");
    }
    allowed.forEach(a -> shown.add(repr(a)));
    throw ImageErrors.schema(repr(value) + " is not one of [" + String.join(", ", shown) + "]", "enum", attribute);
  }

  private static List<String> statuses() {
    List<String> names = new ArrayList<>();
    for (ImageStatus s : ImageStatus.values()) {
      names.add(s.apiName());
    }
    return names;
  }

  /** A value the way Glance's (Python) messages show it. */
  static String repr(Object value) {
    if (value == null) {
      return "None";
    }
    if (value instanceof String s) {
      return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
    if (value instanceof Boolean b) {
      return b ? "True" : "False";
    }
    if (value instanceof List<?> list) {
      List<String> items = new ArrayList<>();
      list.forEach(i -> items.add(repr(i)));
      return "[" + String.join(", ", items) + "]";
    }
    if (value instanceof Map<?, ?> map) {
      List<String> items = new ArrayList<>();
      map.forEach((k, v) -> items.add(repr(k) + ": " + repr(v)));
      return "{" + String.join(", ", items) + "}";
    }
    return String.valueOf(value);
  }
}
