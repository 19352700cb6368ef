package dev.kiln.compute.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.compute.moves.ServerMoves;
import dev.kiln.compute.servers.Migration;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.http.PageRequest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /os-migrations} (admins): the resizes and cold migrations, newest first, filtered by
 * host (source or destination), status, instance_uuid, migration_type and source_compute. 2.23
 * adds migration_type (Nova's links are only for live migrations in progress, which Kiln does
 * not have); 2.59 adds uuid, limit/marker paging by uuid, changes-since and 400 for unknown
 * parameters; 2.66 adds changes-before.
 */
final class MigrationsApi {
  private static final String MIGRATIONS = "/v2.1/os-migrations";
  /** Nova's {@code osapi_max_limit}. */
  private static final int MAX_LIMIT = 1_000;
  /** The hosts' address, as os-hypervisors shows it (Nova's dest_host). */
  private static final String HOST_IP = "127.0.0.1";

  private final ServerMoves moves;

  MigrationsApi(ServerMoves moves) {
    this.moves = requireNonNull(moves, "moves is null");
  }

  void register(ApiRoutes routes) {
    routes.get(MIGRATIONS, Access.ADMIN, this::list);
  }

  private ApiResponse list(ApiRequest request) {
    boolean v259 = Nova.atLeast(request, 59);
    boolean v266 = Nova.atLeast(request, 66);
    List<String> known =
        new ArrayList<>(
            List.of(
                "hidden", "host", "instance_uuid", "source_compute", "status", "migration_type", "limit", "marker",
                "changes-since"));
    if (v266) {
      known.add("changes-before");
    }
    Nova.onlyQuery(request, 59, known.toArray(String[]::new));
    // Before 2.59 Nova ignores changes-since/changes-before and paging.
    Instant since = v259 ? time(request, "changes-since") : null;
    Instant before = v266 ? time(request, "changes-before") : null;
    if (since != null && before != null && before.isBefore(since)) {
      throw ApiError.badRequest("The value of changes-since must be less than or equal to changes-before.");
    }
    List<Migration> all =
        moves.migrations(
            new ServerMoves.MigrationQuery(
                request.query("host").orElse(null),
                request.query("status").orElse(null),
                request.query("instance_uuid").orElse(null),
                request.query("migration_type").orElse(null),
                request.query("source_compute").orElse(null),
                since,
                before));
    List<Migration> shown = all;
    String nextMarker = null;
    if (v259) {
      PageRequest paging = PageRequest.from(request);
      PageRequest.Page<Migration> page =
          new PageRequest(paging.limit() == null ? MAX_LIMIT : Math.min(paging.limit(), MAX_LIMIT), paging.marker())
              .apply(all, Migration::uuid);
      shown = page.items();
      nextMarker = page.nextMarker();
    }
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("migrations");
    for (Migration m : shown) {
      items.add(view(request, m));
    }
    if (nextMarker != null) {
      body.set("migrations_links", Nova.nextLinks(request, "os-migrations", nextMarker));
    }
    return ApiResponse.ok(body);
  }

  private static ObjectNode view(ApiRequest request, Migration m) {
    ObjectNode o = Json.object();
    o.put("id", m.id());
    o.put("source_compute", m.sourceCompute());
    o.put("source_node", m.sourceCompute());
    o.put("dest_compute", m.destCompute());
    o.put("dest_node", m.destCompute());
    o.put("dest_host", m.destCompute() == null ? null : HOST_IP);
    o.put("old_instance_type_id", m.oldFlavorSeq());
    o.put("new_instance_type_id", m.newFlavorSeq());
    o.put("instance_uuid", m.serverId());
    o.put("status", m.status());
    o.put("created_at", Nova.time(m.createdAt()));
    o.put("updated_at", Nova.time(m.updatedAt()));
    if (Nova.atLeast(request, 23)) {
      o.put("migration_type", m.type());
    }
    if (Nova.atLeast(request, 59)) {
      o.put("uuid", m.uuid());
    }
    return o;
  }

  private static Instant time(ApiRequest request, String name) {
    String raw = request.query(name).orElse(null);
    if (raw == null) {
      return null;
    }
    try {
      String text = raw.contains("T") && !raw.matches(".*([Zz]|[+-]\\d\\d:?\\d\\d)$") ? raw + "Z" : raw;
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw ApiError.badRequest(
          "Invalid input for query parameters " + name + ". Value: " + raw + ". '" + raw + "' is not a 'date-time'");
    }
  }
}
