package dev.kiln.compute.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.compute.fleet.UsageAudits;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * {@code /os-instance_usage_audit_log} (admin only): the usage audit report of the last completed
 * period, before now or before a time given as {@code YYYY-MM-DD hh:mm:ss[.ffffff]}.
 */
final class InstanceUsageAuditLogApi {
  private static final String LOGS = "/v2.1/os-instance_usage_audit_log";
  /** Python's str() of a datetime, which Nova's report shows and its path takes. */
  private static final DateTimeFormatter PERIOD = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
  private static final DateTimeFormatter BEFORE_FRACTION =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT);

  private final UsageAudits audits;

  InstanceUsageAuditLogApi(UsageAudits audits) {
    this.audits = requireNonNull(audits, "audits is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get(LOGS, Access.ADMIN, r -> ApiResponse.ok(Json.wrap("instance_usage_audit_logs", view(audits.lastCompleted()))))
        .get(LOGS + "/{before}", Access.ADMIN, this::show);
  }

  private ApiResponse show(ApiRequest request) {
    String raw = request.pathParam("before");
    String text = raw.contains("%") ? URLDecoder.decode(raw, StandardCharsets.UTF_8) : raw;
    LocalDateTime before;
    try {
      before = LocalDateTime.parse(text, text.contains(".") ? BEFORE_FRACTION : PERIOD);
    } catch (DateTimeParseException e) {
      throw ApiError.badRequest("Invalid timestamp for date " + text);
    }
    return ApiResponse.ok(Json.wrap("instance_usage_audit_log", view(audits.lastCompletedBefore(before))));
  }

  private static ObjectNode view(UsageAudits.Report report) {
    ObjectNode o = Json.object();
    o.put("period_beginning", PERIOD.format(report.begin()));
    o.put("period_ending", PERIOD.format(report.end()));
    o.put("num_hosts", report.hosts().size());
    o.put("num_hosts_done", report.hostsDone().size());
    o.put("num_hosts_running", report.hostsRunning().size());
    o.put("num_hosts_not_run", report.hostsNotRun().size());
    ArrayNode notRun = o.putArray("hosts_not_run");
    report.hostsNotRun().forEach(notRun::add);
    o.put("total_instances", report.instances());
    o.put("total_errors", report.errors());
    String done =
        report.hostsDone().size() == report.hosts().size()
            ? "ALL"
            : report.hostsDone().size() + " of " + report.hosts().size();
    o.put("overall_status", done + " hosts done. " + report.errors() + " errors.");
    o.putObject("log");
    return o;
  }
}
