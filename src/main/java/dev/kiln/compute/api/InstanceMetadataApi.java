package dev.kiln.compute.api;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.ServiceException;
import dev.kiln.compute.metadata.InstanceMetadata;
import dev.kiln.http.Access;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Kiln's extension {@code os-kiln-metadata}: what Nova's metadata service would give a server's
 * guest at {@code http://169.254.169.254/openstack/...}, at {@code
 * /os-kiln-metadata/{server_id}/openstack/...} for admins, since Kiln's simulated guests have no
 * link-local address to ask from. Paths, documents and content types are the metadata
 * service's: lists and {@code user_data} are text, the {@code .json} documents JSON.
 */
final class InstanceMetadataApi {
  private static final String BASE = "/v2.1/os-kiln-metadata/{server_id}/openstack";
  private static final String TEXT = "text/plain; charset=UTF-8";

  private final InstanceMetadata metadata;

  InstanceMetadataApi(InstanceMetadata metadata) {
    this.metadata = requireNonNull(metadata, "metadata is null");
  }

  void register(ApiRoutes routes) {
    // The metadata service takes paths with and without a trailing slash alike.
    for (String slash : List.of("", "/")) {
      routes
          .get(BASE + slash, Access.ADMIN, this::versions)
          .get(BASE + "/{version}" + slash, Access.ADMIN, this::items);
    }
    routes.get(BASE + "/{version}/{item}", Access.ADMIN, this::item);
  }

  private ApiResponse versions(ApiRequest request) {
    return text(String.join("\n", metadata.versions(request.pathParam("server_id"))));
  }

  private ApiResponse items(ApiRequest request) {
    return text(String.join("\n", metadata.items(request.pathParam("server_id"), request.pathParam("version"))));
  }

  private ApiResponse item(ApiRequest request) {
    String server = request.pathParam("server_id");
    String version = request.pathParam("version");
    String item = request.pathParam("item");
    return switch (item) {
      case "meta_data.json" -> json(metadata.metaData(server, version));
      case "network_data.json" -> json(metadata.networkData(server, version));
      case "vendor_data.json" -> json(metadata.vendorData(server, version));
      case "vendor_data2.json" -> json(metadata.vendorData2(server, version));
      case "password" -> raw(metadata.password(server, version));
      case "user_data" ->
          raw(metadata.userData(server, version)
              .orElseThrow(() -> notFound(version + "/user_data")));
      default -> {
        metadata.versions(server); // an unknown server is a 404 of its own
        throw notFound(version + "/" + item);
      }
    };
  }

  private static ApiResponse json(Map<String, Object> document) {
    return ApiResponse.ok(Json.MAPPER.valueToTree(document));
  }

  private static ApiResponse text(String body) {
    return raw(body.getBytes(StandardCharsets.UTF_8));
  }

  private static ApiResponse raw(byte[] body) {
    return ApiResponse.stream(TEXT, body.length, new ByteArrayInputStream(body));
  }

  private static ServiceException notFound(String path) {
    return ServiceException.notFound("InvalidMetadataPath", "Metadata path /openstack/" + path + " was not found.");
  }
}
