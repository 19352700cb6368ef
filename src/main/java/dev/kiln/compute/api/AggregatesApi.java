package dev.kiln.compute.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Access;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.Json;

/**
 * {@code /os-aggregates} (admin only), read-only and empty: Kiln has no host aggregates yet, and
 * {@code openstack hypervisor show} lists them to name the host's.
 */
final class AggregatesApi {
  void register(ApiRoutes routes) {
    routes.get(
        "/v2.1/os-aggregates",
        Access.ADMIN,
        request -> {
          ObjectNode body = Json.object();
          body.putArray("aggregates");
          return ApiResponse.ok(body);
        });
  }
}
