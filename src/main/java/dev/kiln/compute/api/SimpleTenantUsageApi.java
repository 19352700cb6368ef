package dev.kiln.compute.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.compute.servers.ServerUsage;
import dev.kiln.compute.servers.ServerUsage.ProjectUsage;
import dev.kiln.compute.servers.ServerUsage.ServerUse;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * {@code /os-simple-tenant-usage}: every project's usage over a period (admins only; a server's
 * list with {@code detailed=1}), and one project's with its servers (admins and the project). The
 * period is {@code start} to {@code end}, each in one of Nova's three formats, both now when not
 * given. From 2.40 a report pages over the servers with {@code limit} and {@code marker}.
 */
final class SimpleTenantUsageApi {
  private static final String USAGE = "/v2.1/os-simple-tenant-usage";
  /** The formats Nova's usage API reads times in, all UTC. */
  private static final List<DateTimeFormatter> FORMATS =
      List.of(
          DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT),
          DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS", Locale.ROOT),
          DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT));

  /** Nova's [api] max_limit default. */
  private static final int MAX_LIMIT = 1000;

  private final ServerUsage usage;

  SimpleTenantUsageApi(ServerUsage usage) {
    this.usage = requireNonNull(usage, "usage is null");
  }

  void register(ApiRoutes routes) {
    routes.get(USAGE, Access.ADMIN, this::list).get(USAGE + "/{project_id}", Access.AUTHENTICATED, this::show);
  }

  private ApiResponse list(ApiRequest request) {
    if (request.hasTrailingSlash()) {
      // A show with an empty project id (Tempest asks it so) is Nova's 404, not the list.
      throw ApiError.notFound("NotFound", "The resource could not be found.");
    }
    Nova.onlyQuery(request, 75, "start", "end", "detailed", "limit", "marker");
    Instant start = time(request, "start");
    Instant stop = time(request, "end");
    boolean detailed = request.query("detailed").orElse("0").equals("1");
    ServerUsage.Report report = usage.all(start, stop, page(request));
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("tenant_usages");
    report.usages().forEach(u -> items.add(view(u, detailed)));
    links(request, body, "tenant_usages_links", "os-simple-tenant-usage", report);
    return ApiResponse.ok(body);
  }

  private ApiResponse show(ApiRequest request) {
    Nova.onlyQuery(request, 75, "start", "end", "limit", "marker");
    Instant start = time(request, "start");
    Instant stop = time(request, "end");
    String project = request.pathParam("project_id");
    ServerUsage.Report report = usage.of(request.caller().actor(), project, start, stop, page(request));
    ObjectNode body =
        Json.wrap("tenant_usage", report.usages().isEmpty() ? Json.object() : view(report.usages().getFirst(), true));
    links(request, body, "tenant_usage_links", "os-simple-tenant-usage/" + project, report);
    return ApiResponse.ok(body);
  }

  /**
   * From 2.40 a report pages over servers: {@code limit} (at most, and by default, {@value
   * #MAX_LIMIT}) and {@code marker}, a server id.
   */
  private static ServerUsage.Page page(ApiRequest request) {
    if (!Nova.atLeast(request, 40)) {
      return ServerUsage.Page.ALL;
    }
    int limit = MAX_LIMIT;
    String raw = request.query("limit").orElse(null);
    if (raw != null) {
      int given;
      try {
        given = Integer.parseInt(raw);
      } catch (NumberFormatException e) {
        given = -1;
      }
      if (given < 0) {
        throw ApiError.badRequest(
            "Invalid input for query parameters limit. Value: " + raw + ". It must be a non-negative integer.");
      }
      limit = given == 0 ? MAX_LIMIT : Math.min(given, MAX_LIMIT);
    }
    return new ServerUsage.Page(limit, request.query("marker").orElse(null));
  }

  private static void links(
      ApiRequest request, ObjectNode body, String key, String collection, ServerUsage.Report report) {
    if (Nova.atLeast(request, 40) && report.nextMarker() != null) {
      body.set(key, Nova.nextLinks(request, collection, report.nextMarker()));
    }
  }

  private static ObjectNode view(ProjectUsage u, boolean detailed) {
    ObjectNode o = Json.object();
    o.put("tenant_id", u.projectId());
    o.put("start", Nova.time(u.start()));
    o.put("stop", Nova.time(u.stop()));
    o.put("total_hours", u.totalHours());
    o.put("total_vcpus_usage", u.totalVcpusUsage());
    o.put("total_memory_mb_usage", u.totalMemoryMbUsage());
    o.put("total_local_gb_usage", u.totalLocalGbUsage());
    if (detailed) {
      ArrayNode servers = o.putArray("server_usages");
      for (ServerUse s : u.servers()) {
        servers.addObject()
            .put("instance_id", s.run().serverId())
            .put("name", s.run().name())
            .put("tenant_id", s.run().projectId())
            .put("flavor", s.run().flavorName())
            .put("vcpus", s.run().vcpus())
            .put("memory_mb", s.run().memoryMb())
            .put("local_gb", s.run().localGb())
            .put("hours", s.hours())
            .put("started_at", Nova.time(s.run().launchedAt()))
            .put("ended_at", Nova.time(s.run().terminatedAt()))
            .put("state", s.run().state())
            .put("uptime", s.uptimeSeconds());
      }
    }
    return o;
  }

  /** A period bound: null (now) when absent or empty; otherwise one of Nova's formats, in UTC. */
  private static Instant time(ApiRequest request, String name) {
    String text = request.query(name).orElse("");
    if (text.isEmpty()) {
      return null;
    }
    for (DateTimeFormatter format : FORMATS) {
      try {
        return LocalDateTime.parse(text, format).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        // the next format may read it
      }
    }
    throw ApiError.badRequest(
        "Invalid " + name + " time " + text + ": Datetime is in invalid format (expected YYYY-MM-DDThh:mm:ss[.ffffff]).");
  }
}
