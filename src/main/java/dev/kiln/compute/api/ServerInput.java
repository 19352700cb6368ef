package dev.kiln.compute.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.compute.servers.Server;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Fields of a server body that create, update and the move actions read alike, with Nova's 400s. */
final class ServerInput {
  private ServerInput() {}

  /**
   * The access addresses and disk config a create or update sets, over {@code current}: Nova's
   * {@code accessIPv4} ('ipv4'), {@code accessIPv6} ('ipv6') and {@code OS-DCF:diskConfig}.
   */
  static Server.Attributes attributes(ObjectNode in, Server.Attributes current) {
    String v4 = current.accessIpv4();
    String v6 = current.accessIpv6();
    String disk = current.diskConfig();
    if (in.has("accessIPv4")) {
      v4 = accessIp(in, "accessIPv4", false);
    }
    if (in.has("accessIPv6")) {
      v6 = accessIp(in, "accessIPv6", true);
    }
    if (in.has("OS-DCF:diskConfig")) {
      JsonNode d = in.get("OS-DCF:diskConfig");
      if (!d.isTextual() || !Set.of("AUTO", "MANUAL").contains(d.textValue())) {
        throw Nova.invalid("server/OS-DCF:diskConfig", d, "is not one of ['AUTO', 'MANUAL']");
      }
      disk = d.textValue();
    }
    return new Server.Attributes(v4, v6, disk);
  }

  static String accessIp(ObjectNode in, String field, boolean v6) {
    JsonNode value = in.get(field);
    if (value.isNull()) {
      return null;
    }
    if (!value.isTextual() || !(v6 ? Nova.isIpv6(value.textValue()) : Nova.isIpv4(value.textValue()))) {
      throw Nova.invalid("server/" + field, value, "is not a '" + (v6 ? "ipv6" : "ipv4") + "'");
    }
    return v6 ? Nova.compactIpv6(value.textValue()) : value.textValue();
  }

  static Map<String, String> metadataOf(JsonNode node, String path) {
    Map<String, String> result = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return result;
    }
    if (!node.isObject()) {
      throw Nova.invalid(path, node, "is not of type 'object'");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().isEmpty() || e.getKey().length() > 255) {
        throw Nova.invalid(path, node, "keys must be 1 to 255 characters long");
      }
      if (!e.getValue().isTextual() || e.getValue().textValue().length() > 255) {
        throw Nova.invalid(path + "/" + e.getKey(), e.getValue(), "must be a string of at most 255 characters");
      }
      result.put(e.getKey(), e.getValue().textValue());
    }
    return result;
  }

  static String ref(ObjectNode in, String field, boolean required) {
    JsonNode value = in.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        throw Nova.invalid("server", in, "'" + field + "' is a required property");
      }
      return null;
    }
    if (value.isTextual()) {
      String text = value.textValue();
      // Nova accepts a link as a reference and uses its last segment.
      return text.contains("/") ? text.substring(text.lastIndexOf('/') + 1) : text;
    }
    if (value.isInt()) {
      return value.asText();
    }
    throw Nova.invalid("server/" + field, value, "is not of type 'string', 'integer'");
  }

  static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  static String string(ObjectNode in, String field, boolean required) {
    JsonNode value = in.get(field);
    if (value == null) {
      if (required) {
        throw Nova.invalid("server", in, "'" + field + "' is a required property");
      }
      return null;
    }
    if (!value.isTextual()) {
      throw Nova.invalid("server/" + field, value, "is not of type 'string'");
    }
    return value.textValue();
  }

  /** Nova's description: at most 255 characters (its column's size). */
  static void checkDescription(ObjectNode in) {
    // null clears the description (Nova's schema allows it); only a string has a length to check.
    String description = in.path("description").textValue();
    if (description != null && description.length() > 255) {
      throw Nova.invalid("server/description", in.get("description"), "is too long");
    }
  }
}
