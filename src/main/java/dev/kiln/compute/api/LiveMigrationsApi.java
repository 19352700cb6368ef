package dev.kiln.compute.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.compute.moves.ServerLiveMigrations;
import dev.kiln.compute.servers.Migration;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import java.util.Iterator;
import java.util.Set;

/**
 * The {@code os-migrateLive} action (admin; {@code block_migration} "auto" from 2.25, {@code
 * force} from 2.30 until 2.68 drops it) and {@code /servers/{id}/migrations}: the live migrations
 * under way (2.23), force_complete (2.22) and abort (2.24; queued and preparing ones from 2.65).
 */
final class LiveMigrationsApi {
  private static final String MIGRATIONS = "/v2.1/servers/{server_id}/migrations";
  private static final String MIGRATION = MIGRATIONS + "/{migration_id}";

  private final ServerLiveMigrations live;

  LiveMigrationsApi(ServerLiveMigrations live) {
    this.live = requireNonNull(live, "live is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get(MIGRATIONS, Access.AUTHENTICATED, this::list)
        .get(MIGRATION, Access.AUTHENTICATED, this::show)
        .post(MIGRATION + "/action", Access.AUTHENTICATED, this::forceComplete)
        .delete(MIGRATION, Access.AUTHENTICATED, this::abort);
  }

  /** The {@code os-migrateLive} server action. */
  ApiResponse migrateLive(ApiRequest request, String id, JsonNode body) {
    if (!body.isObject()) {
      throw Nova.invalid("os-migrateLive", body, "is not of type 'object'");
    }
    boolean v225 = Nova.atLeast(request, 25);
    Set<String> allowed =
        !v225 ? Set.of("host", "block_migration", "disk_over_commit")
            : Nova.atLeast(request, 30) && !Nova.atLeast(request, 68)
                ? Set.of("host", "block_migration", "force")
                : Set.of("host", "block_migration");
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!allowed.contains(field)) {
        throw Nova.invalid("os-migrateLive", body, "Additional properties are not allowed ('" + field + "' was unexpected)");
      }
    }
    if (!body.has("block_migration")) {
      throw Nova.invalid("os-migrateLive", body, "'block_migration' is a required property");
    }
    JsonNode block = body.get("block_migration");
    if (!(v225 && block.isTextual() && block.textValue().equals("auto"))) {
      Nova.bool("os-migrateLive/block_migration", block);
    }
    if (!v225 && !body.has("host")) {
      throw Nova.invalid("os-migrateLive", body, "'host' is a required property");
    }
    String host = null;
    JsonNode h = body.get("host");
    if (h != null && !h.isNull()) {
      if (!h.isTextual() || h.textValue().isEmpty() || h.textValue().length() > 255) {
        throw Nova.invalid("os-migrateLive/host", h, "is not a valid hostname");
      }
      host = h.textValue();
    }
    boolean force = body.has("force") && Nova.bool("os-migrateLive/force", body.get("force"));
    live.start(request.caller().actor(), id, host, force);
    return ApiResponse.accepted(null);
  }

  private ApiResponse list(ApiRequest request) {
    requireVersion(request, 23);
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("migrations");
    live.inProgress(request.caller().actor(), request.pathParam("server_id")).forEach(m -> items.add(view(request, m)));
    return ApiResponse.ok(body);
  }

  private ApiResponse show(ApiRequest request) {
    requireVersion(request, 23);
    Migration m = live.inProgress(request.caller().actor(), request.pathParam("server_id"), migrationId(request));
    return ApiResponse.ok(Json.wrap("migration", view(request, m)));
  }

  private ApiResponse forceComplete(ApiRequest request) {
    requireVersion(request, 22);
    JsonNode root = request.body();
    if (!root.isObject() || root.size() != 1 || !root.has("force_complete")) {
      throw Nova.invalid("", root, "'force_complete' is a required property");
    }
    if (!root.get("force_complete").isNull()) {
      throw Nova.invalid("force_complete", root.get("force_complete"), "is not of type 'null'");
    }
    live.forceComplete(request.caller().actor(), request.pathParam("server_id"), migrationId(request));
    return ApiResponse.accepted(null);
  }

  private ApiResponse abort(ApiRequest request) {
    requireVersion(request, 24);
    live.abort(request.caller().actor(), request.pathParam("server_id"), migrationId(request), Nova.atLeast(request, 65));
    return ApiResponse.accepted(null);
  }

  private static long migrationId(ApiRequest request) {
    String raw = request.pathParam("migration_id");
    if (!raw.matches("[0-9]{1,18}")) {
      throw ApiError.badRequest("Invalid migration id " + raw + ": it must be an integer.");
    }
    return Long.parseLong(raw);
  }

  /** Before its microversion the resource does not exist, as Nova answers. */
  private static void requireVersion(ApiRequest request, int minor) {
    if (!Nova.atLeast(request, minor)) {
      throw ApiError.notFound("itemNotFound", "The resource could not be found.");
    }
  }

  private static ObjectNode view(ApiRequest request, Migration m) {
    ObjectNode o = Json.object();
    o.put("id", m.id());
    o.put("server_uuid", m.serverId());
    o.put("source_compute", m.sourceCompute());
    o.put("source_node", m.sourceCompute());
    o.put("dest_compute", m.destCompute());
    o.put("dest_node", m.destCompute());
    o.put("dest_host", m.destCompute() == null ? null : "127.0.0.1");
    o.put("status", m.status());
    // The simulated hypervisor moves no bytes it could count.
    for (String counter : new String[] {"memory_total_bytes", "memory_processed_bytes", "memory_remaining_bytes",
        "disk_total_bytes", "disk_processed_bytes", "disk_remaining_bytes"}) {
      o.put(counter, 0);
    }
    o.put("created_at", Nova.time(m.createdAt()));
    o.put("updated_at", Nova.time(m.updatedAt()));
    if (Nova.atLeast(request, 59)) {
      o.put("uuid", m.uuid());
    }
    return o;
  }
}
