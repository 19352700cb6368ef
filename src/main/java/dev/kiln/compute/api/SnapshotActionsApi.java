package dev.kiln.compute.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.compute.actions.ServerSnapshots;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.Json;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The server actions that make an image: {@code createImage} and {@code createBackup}. 202 with
 * the image's URL in {@code Location} before 2.45, and with {@code {"image_id"}} from 2.45.
 */
final class SnapshotActionsApi {
  private final ServerSnapshots snapshots;

  SnapshotActionsApi(ServerSnapshots snapshots) {
    this.snapshots = requireNonNull(snapshots, "snapshots is null");
  }

  /** Answers the action's response, or null when {@code name} is not one of these actions. */
  ApiResponse handle(ApiRequest request, String name, String id, JsonNode body) {
    return switch (name) {
      case "createImage" -> {
        fields(name, body, Set.of("name", "metadata"), Set.of("name"));
        yield answer(
            request,
            snapshots.snapshot(request.caller().actor(), id, imageName(name, body), metadata(name, body), null));
      }
      case "createBackup" -> {
        fields(name, body, Set.of("name", "backup_type", "rotation", "metadata"), Set.of("name", "backup_type", "rotation"));
        JsonNode type = body.get("backup_type");
        if (!type.isTextual()) {
          throw Nova.invalid(name + "/backup_type", type, "is not of type 'string'");
        }
        yield answer(
            request,
            snapshots.snapshot(
                request.caller().actor(), id, imageName(name, body), metadata(name, body),
                new ServerSnapshots.Backup(type.textValue(), rotation(name, body.get("rotation")))));
      }
      default -> null;
    };
  }

  private static ApiResponse answer(ApiRequest request, String imageId) {
    if (Nova.atLeast(request, 45)) {
      return ApiResponse.accepted(Json.object().put("image_id", imageId));
    }
    return ApiResponse.accepted(null).withHeader("Location", request.baseUrl() + "/image/v2/images/" + imageId);
  }

  private static void fields(String action, JsonNode body, Set<String> allowed, Set<String> required) {
    if (!body.isObject()) {
      throw Nova.invalid(action, body, "is not of type 'object'");
    }
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!allowed.contains(field)) {
        throw Nova.invalid(action, body, "Additional properties are not allowed ('" + field + "' was unexpected)");
      }
    }
    for (String field : required) {
      if (!body.has(field)) {
        throw Nova.invalid(action, body, "'" + field + "' is a required property");
      }
    }
  }

  /** Nova's name type: 1 to 255 characters, not only blanks, no blank at either end. */
  private static String imageName(String action, JsonNode body) {
    JsonNode name = body.get("name");
    if (!name.isTextual() || name.textValue().isBlank() || name.textValue().length() > 255
        || !name.textValue().equals(name.textValue().strip())) {
      throw Nova.invalid(action + "/name", name, "must be 1 to 255 characters with no leading or trailing blanks");
    }
    return name.textValue();
  }

  private static Map<String, String> metadata(String action, JsonNode body) {
    Map<String, String> metadata = new LinkedHashMap<>();
    JsonNode m = body.get("metadata");
    if (m == null || m.isNull()) {
      return metadata;
    }
    if (!m.isObject()) {
      throw Nova.invalid(action + "/metadata", m, "is not of type 'object'");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().isEmpty() || e.getKey().length() > 255 || !e.getValue().isTextual() || e.getValue().textValue().length() > 255) {
        throw Nova.invalid(action + "/metadata", m, "keys and values must be strings of 1 to 255 characters");
      }
      metadata.put(e.getKey(), e.getValue().textValue());
    }
    return metadata;
  }

  private static int rotation(String action, JsonNode value) {
    if (value.isIntegralNumber() && value.canConvertToInt() && value.intValue() >= 0) {
      return value.intValue();
    }
    if (value.isTextual() && value.textValue().matches("[0-9]{1,9}")) {
      return Integer.parseInt(value.textValue());
    }
    throw Nova.invalid(action + "/rotation", value, "is not a non-negative integer");
  }
}
