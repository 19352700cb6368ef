package dev.kiln.compute.api;

import static java.util.Objects.requireNonNull;

import dev.kiln.compute.servers.Servers;
import dev.kiln.http.Access;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;

/**
 * {@code /servers/{id}/os-server-password}: the encrypted password a guest posts to the metadata
 * service, which Nova keeps for the user to read and clear. Kiln's simulated guests post none and
 * Kiln's metadata service takes no password, so a server's password is always the empty string Nova
 * shows for a server without one, and clearing it (204) leaves it so. An unknown server is a 404.
 */
final class ServerPasswordApi {
  private static final String PATH = "/v2.1/servers/{server_id}/os-server-password";

  private final Servers servers;

  ServerPasswordApi(Servers servers) {
    this.servers = requireNonNull(servers, "servers is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get(PATH, Access.AUTHENTICATED, this::show)
        .delete(PATH, Access.AUTHENTICATED, this::clear);
  }

  private ApiResponse show(ApiRequest request) {
    servers.visible(request.caller().actor(), request.pathParam("server_id"));
    return ApiResponse.ok(Json.object().put("password", ""));
  }

  private ApiResponse clear(ApiRequest request) {
    servers.visible(request.caller().actor(), request.pathParam("server_id"));
    return ApiResponse.noContent();
  }
}
