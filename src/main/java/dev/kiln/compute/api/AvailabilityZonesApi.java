package dev.kiln.compute.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.compute.fleet.AvailabilityZone;
import dev.kiln.compute.fleet.Fleet;
import dev.kiln.compute.fleet.HostService;
import dev.kiln.http.Access;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;

/**
 * {@code /os-availability-zone}: the zones with their state for everyone; with hosts and services
 * for admins ({@code /detail}), including Nova's {@value Fleet#INTERNAL_ZONE} zone.
 */
final class AvailabilityZonesApi {
  private static final String ZONES = "/v2.1/os-availability-zone";

  private final Fleet fleet;

  AvailabilityZonesApi(Fleet fleet) {
    this.fleet = requireNonNull(fleet, "fleet is null");
  }

  void register(ApiRoutes routes) {
    routes.get(ZONES, Access.AUTHENTICATED, this::list).get(ZONES + "/detail", Access.ADMIN, this::detail);
  }

  private ApiResponse list(ApiRequest request) {
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("availabilityZoneInfo");
    for (AvailabilityZone zone : fleet.zones()) {
      if (!zone.name().equals(Fleet.INTERNAL_ZONE)) {
        ObjectNode o = items.addObject();
        o.put("zoneName", zone.name());
        o.putObject("zoneState").put("available", zone.available());
        o.putNull("hosts");
      }
    }
    return ApiResponse.ok(body);
  }

  private ApiResponse detail(ApiRequest request) {
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("availabilityZoneInfo");
    for (AvailabilityZone zone : fleet.zones()) {
      ObjectNode o = items.addObject();
      o.put("zoneName", zone.name());
      o.putObject("zoneState").put("available", zone.available());
      if (!zone.available()) {
        o.putNull("hosts");
        continue;
      }
      ObjectNode hosts = o.putObject("hosts");
      for (HostService s : zone.services()) {
        ObjectNode host = hosts.has(s.host()) ? (ObjectNode) hosts.get(s.host()) : hosts.putObject(s.host());
        host.putObject(s.binary())
            .put("available", s.isUp())
            .put("active", !s.disabled())
            .put("updated_at", Nova.time(s.updatedAt()));
      }
    }
    return ApiResponse.ok(body);
  }
}
