package dev.kiln.volume.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.http.JsonInput;
import dev.kiln.volume.VolumeTypeEncryption;
import dev.kiln.volume.VolumeTypeEncryptions;
import java.util.Optional;

/**
 * {@code /v3/{project_id}/types/{type_id}/encryption}: a volume type's encryption. As Cinder's
 * routes have it, the last path segment of an update or a delete is not looked at (clients send
 * {@code provider} there), and a GET of it shows that one field.
 */
final class EncryptionApi {
  private static final String ENCRYPTION = "/v3/{project_id}/types/{type_id}/encryption";

  private final VolumeTypeEncryptions encryption;

  EncryptionApi(VolumeTypeEncryptions encryption) {
    this.encryption = requireNonNull(encryption, "encryption is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get(ENCRYPTION, Access.AUTHENTICATED, this::show)
        .post(ENCRYPTION, Access.AUTHENTICATED, this::create)
        .get(ENCRYPTION + "/{key}", Access.AUTHENTICATED, this::showItem)
        .put(ENCRYPTION + "/{key}", Access.AUTHENTICATED, this::update)
        .delete(ENCRYPTION + "/{key}", Access.AUTHENTICATED, this::delete);
  }

  private ApiResponse show(ApiRequest request) {
    CinderProject.of(request);
    Optional<VolumeTypeEncryption> found = encryption.show(request.caller().actor(), request.pathParam("type_id"));
    return ApiResponse.ok(found.map(EncryptionApi::fullView).orElseGet(Json::object));
  }

  private ApiResponse showItem(ApiRequest request) {
    CinderProject.of(request);
    String typeId = request.pathParam("type_id");
    String key = request.pathParam("key");
    ObjectNode view = encryption.show(request.caller().actor(), typeId).map(EncryptionApi::fullView).orElseGet(Json::object);
    if (!view.has(key)) {
      throw ApiError.notFound(
          "VolumeTypeEncryptionNotFound", "Volume type encryption for type " + typeId + " does not exist.");
    }
    ObjectNode body = Json.object();
    body.set(key, view.get(key));
    return ApiResponse.ok(body);
  }

  private ApiResponse create(ApiRequest request) {
    CinderProject.of(request);
    JsonInput in = input(request);
    VolumeTypeEncryption made =
        encryption.create(request.caller().actor(), request.pathParam("type_id"), spec(in));
    ObjectNode view = Json.object();
    view.put("volume_type_id", made.volumeTypeId());
    view.put("encryption_id", made.encryptionId());
    fields(view, made);
    return ApiResponse.ok(Json.wrap("encryption", view));
  }

  private ApiResponse update(ApiRequest request) {
    CinderProject.of(request);
    JsonInput in = input(request);
    VolumeTypeEncryption changed =
        encryption.update(request.caller().actor(), request.pathParam("type_id"), spec(in));
    // Cinder answers with the fields the request changed, as they now are.
    ObjectNode all = Json.object();
    fields(all, changed);
    ObjectNode view = Json.object();
    for (String field : new String[] {"provider", "cipher", "key_size", "control_location"}) {
      if (in.has(field)) {
        view.set(field, all.get(field));
      }
    }
    return ApiResponse.ok(Json.wrap("encryption", view));
  }

  private ApiResponse delete(ApiRequest request) {
    CinderProject.of(request);
    encryption.delete(request.caller().actor(), request.pathParam("type_id"));
    return ApiResponse.status(202, null);
  }

  private static JsonInput input(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "encryption");
    in.allowOnly("provider", "cipher", "key_size", "control_location");
    return in;
  }

  private static VolumeTypeEncryptions.Spec spec(JsonInput in) {
    String provider = in.optionalString("provider", 255).orElse(null);
    if (in.has("provider") && in.isNull("provider")) {
      throw in.invalid("provider", "None is not of type 'string'");
    }
    String cipher = in.optionalString("cipher", 255).orElse(null);
    String location = in.has("control_location") && !in.isNull("control_location") ? in.string("control_location") : null;
    return new VolumeTypeEncryptions.Spec(
        provider, cipher, in.has("cipher") && in.isNull("cipher"), keySize(in), in.has("key_size") && in.isNull("key_size"),
        location);
  }

  /** Cinder's key_size: a non-negative integer, or a string of digits, or null. */
  private static Integer keySize(JsonInput in) {
    if (!in.has("key_size") || in.isNull("key_size")) {
      return null;
    }
    JsonNode raw = in.raw("key_size");
    String text = raw.isIntegralNumber() ? raw.asText() : raw.isTextual() ? raw.textValue() : null;
    if (text == null || !text.matches("[0-9]{1,9}")) {
      throw ApiError.badRequest(
          "InvalidInput", "Invalid input for field/attribute key_size. Value: " + raw + ". Must be a non-negative integer.");
    }
    return Integer.valueOf(text);
  }

  private static ObjectNode fullView(VolumeTypeEncryption e) {
    ObjectNode view = Json.object();
    view.put("volume_type_id", e.volumeTypeId());
    view.put("encryption_id", e.encryptionId());
    fields(view, e);
    view.put("deleted", false);
    view.put("created_at", VolumeViews.time(e.createdAt()));
    view.put("updated_at", VolumeViews.time(e.updatedAt()));
    view.putNull("deleted_at");
    return view;
  }

  private static void fields(ObjectNode view, VolumeTypeEncryption e) {
    view.put("provider", e.provider());
    view.put("cipher", e.cipher());
    if (e.keySize() == null) {
      view.putNull("key_size");
    } else {
      view.put("key_size", e.keySize());
    }
    view.put("control_location", e.controlLocation());
  }
}
