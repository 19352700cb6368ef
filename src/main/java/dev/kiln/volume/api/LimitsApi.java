package dev.kiln.volume.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Access;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.volume.VolumeQuotas;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /v3/{project_id}/limits}: the project's Block Storage quotas as absolute limits and what
 * it uses of them (Cinder's os-used-limits), under Cinder's names. Cinder has no rate limits.
 */
final class LimitsApi {
  /** Each quota and its limit name. */
  private static final Map<String, String> LIMIT_NAMES = new LinkedHashMap<>();
  /** Each quota and its usage name. */
  private static final Map<String, String> USED_NAMES = new LinkedHashMap<>();

  static {
    LIMIT_NAMES.put(VolumeQuotas.GIGABYTES, "maxTotalVolumeGigabytes");
    LIMIT_NAMES.put(VolumeQuotas.BACKUP_GIGABYTES, "maxTotalBackupGigabytes");
    LIMIT_NAMES.put(VolumeQuotas.VOLUMES, "maxTotalVolumes");
    LIMIT_NAMES.put(VolumeQuotas.SNAPSHOTS, "maxTotalSnapshots");
    LIMIT_NAMES.put(VolumeQuotas.BACKUPS, "maxTotalBackups");
    USED_NAMES.put(VolumeQuotas.VOLUMES, "totalVolumesUsed");
    USED_NAMES.put(VolumeQuotas.GIGABYTES, "totalGigabytesUsed");
    USED_NAMES.put(VolumeQuotas.SNAPSHOTS, "totalSnapshotsUsed");
    USED_NAMES.put(VolumeQuotas.BACKUPS, "totalBackupsUsed");
    USED_NAMES.put(VolumeQuotas.BACKUP_GIGABYTES, "totalBackupGigabytesUsed");
  }

  private final VolumeQuotas quotas;

  LimitsApi(VolumeQuotas quotas) {
    this.quotas = requireNonNull(quotas, "quotas is null");
  }

  void register(ApiRoutes routes) {
    routes.get("/v3/{project_id}/limits", Access.AUTHENTICATED, this::show);
  }

  private ApiResponse show(ApiRequest request) {
    String project = CinderProject.of(request);
    Map<String, VolumeQuotas.Quota> usage = quotas.usage(request.caller().actor(), project);
    ObjectNode absolute = Json.object();
    LIMIT_NAMES.forEach((resource, name) -> absolute.put(name, usage.get(resource).limit()));
    USED_NAMES.forEach(
        (resource, name) -> absolute.put(name, usage.get(resource).inUse() + usage.get(resource).reserved()));
    ObjectNode limits = Json.object();
    limits.putArray("rate");
    limits.set("absolute", absolute);
    return ApiResponse.ok(Json.wrap("limits", limits));
  }
}
