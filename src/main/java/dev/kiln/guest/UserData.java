package dev.kiln.guest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the {@code os-collect-config} section in a server's user_data, where a guest image's boot
 * scripts would: in the {@code cfn-init-data} part of a MIME multipart (what Heat's {@code
 * SOFTWARE_CONFIG} user_data format builds, the part holding the server's metadata as JSON), or in
 * a plain JSON document or a {@code #cloud-config} YAML carrying that key.
 */
final class UserData {
  static final String SECTION = "os-collect-config";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private UserData() {}

  /** The section from user_data as Nova keeps it (base64), or empty when there is none. */
  static Optional<JsonNode> collectConfig(String base64) {
    if (base64 == null || base64.isBlank()) {
      return Optional.empty();
    }
    byte[] raw;
    try {
      raw = Base64.getMimeDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return inDocument(new String(raw, StandardCharsets.UTF_8));
  }

  /** The section from decoded user_data text. */
  static Optional<JsonNode> inDocument(String text) {
    String trimmed = text.stripLeading();
    if (trimmed.startsWith("{")) {
      return section(parse(GuestHttp.JSON, trimmed));
    }
    if (trimmed.startsWith("#cloud-config")) {
      return section(parse(YAML, trimmed));
    }
    if (looksLikeMime(trimmed)) {
      return inMultipart(trimmed);
    }
    return Optional.empty();
  }

  private static boolean looksLikeMime(String text) {
    String head = text.substring(0, Math.min(text.length(), 200)).toLowerCase(Locale.ROOT);
    return head.startsWith("content-type:") || head.startsWith("mime-version:");
  }

  /** The first part that carries the section: Heat's cfn-init-data first, then any other. */
  private static Optional<JsonNode> inMultipart(String text) {
    Part whole = Part.read(text);
    List<Part> parts = whole.children();
    for (Part p : parts) {
      if (p.isCfnInitData()) {
        Optional<JsonNode> found = section(parse(GuestHttp.JSON, p.content()));
        if (found.isPresent()) {
          return found;
        }
      }
    }
    for (Part p : parts) {
      if (!p.isCfnInitData()) {
        Optional<JsonNode> found = p.isMultipart() ? inMultipart(p.raw()) : inDocument(p.content());
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<JsonNode> section(JsonNode document) {
    if (document != null && document.path(SECTION).isObject()) {
      return Optional.of(document.get(SECTION));
    }
    return Optional.empty();
  }

  private static JsonNode parse(ObjectMapper mapper, String text) {
    try {
      return mapper.readTree(text);
    } catch (IOException e) {
      return null; // not this format: the caller looks elsewhere
    }
  }

  /** One MIME entity: its headers (names lower-cased, folded lines joined) and its body. */
  private record Part(Map<String, String> headers, String body, String raw) {
    static Part read(String text) {
      String normalized = text.replace("\r\n", "\n");
      int end = normalized.indexOf("\n\n");
      String head = end < 0 ? normalized : normalized.substring(0, end);
      String body = end < 0 ? "" : normalized.substring(end + 2);
      Map<String, String> headers = new LinkedHashMap<>();
      String last = null;
      for (String line : head.split("\n")) {
        if ((line.startsWith(" ") || line.startsWith("\t")) && last != null) {
          headers.merge(last, " " + line.strip(), String::concat);
          continue;
        }
        int colon = line.indexOf(':');
        if (colon > 0) {
          last = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
          headers.put(last, line.substring(colon + 1).strip());
        }
      }
      return new Part(headers, body, normalized);
    }

    boolean isMultipart() {
      return headers.getOrDefault("content-type", "").toLowerCase(Locale.ROOT).startsWith("multipart/");
    }

    boolean isCfnInitData() {
      String type = headers.getOrDefault("content-type", "").toLowerCase(Locale.ROOT);
      String disposition = headers.getOrDefault("content-disposition", "");
      return type.startsWith("text/x-cfninitdata") || parameter(disposition, "filename").equals("cfn-init-data");
    }

    /** The body, decoded from base64 when the part says it is. */
    String content() {
      String encoding = headers.getOrDefault("content-transfer-encoding", "").toLowerCase(Locale.ROOT);
      if (encoding.equals("base64")) {
        try {
          return new String(Base64.getMimeDecoder().decode(body.strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          return "";
        }
      }
      return body;
    }

    List<Part> children() {
      String boundary = parameter(headers.getOrDefault("content-type", ""), "boundary");
      List<Part> parts = new ArrayList<>();
      if (!isMultipart() || boundary.isEmpty()) {
        return parts;
      }
      String delimiter = "--" + boundary;
      StringBuilder current = null;
      for (String line : body.split("\n", -1)) {
        if (line.startsWith(delimiter)) {
          if (current != null) {
            parts.add(read(current.toString()));
          }
          if (line.startsWith(delimiter + "--")) {
            return parts;
          }
          current = new StringBuilder();
        } else if (current != null) {
          current.append(line).append('\n');
        }
      }
      if (current != null) {
        parts.add(read(current.toString()));
      }
      return parts;
    }

    /** A header parameter's value ({@code name=value} or {@code name="value"}), or "" when absent. */
    static String parameter(String header, String name) {
      for (String piece : header.split(";")) {
        String p = piece.strip();
        int eq = p.indexOf('=');
        if (eq > 0 && p.substring(0, eq).strip().equalsIgnoreCase(name)) {
          String value = p.substring(eq + 1).strip();
          if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
          }
          return value;
        }
      }
      return "";
    }
  }
}
