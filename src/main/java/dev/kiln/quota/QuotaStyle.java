package dev.kiln.quota;

import dev.kiln.common.ServiceException;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How each service words a quota refusal, as its OpenStack counterpart does: the status, the fault
 * type and the message clients match on.
 */
public enum QuotaStyle {
  /** Nova: 403 TooManyInstances naming every exceeded quota, in the order asked. */
  NOVA {
    @Override
    public ServiceException overQuota(List<Demand> overs) {
      String names = join(overs, Demand::resource);
      return ServiceException.forbidden(
          "TooManyInstances",
          "Quota exceeded for " + names + ": Requested " + join(overs, d -> Long.toString(d.requested()))
              + ", but already used " + join(overs, d -> Long.toString(d.used())) + " of "
              + join(overs, d -> Long.toString(d.limit())) + " " + names);
    }

    @Override
    public ServiceException belowUsage(String resource, long limit, long used) {
      return ServiceException.invalid(
          "HTTPBadRequest",
          "Quota limit " + limit + " for " + resource + " must be greater than or equal to already used and reserved "
              + used + ".");
    }
  },

  /** Neutron: 409 OverQuota listing the resources as Python prints a list. */
  NEUTRON {
    @Override
    public ServiceException overQuota(List<Demand> overs) {
      return ServiceException.conflict(
          "OverQuota", "Quota exceeded for resources: ['"
              + overs.stream().map(Demand::resource).collect(Collectors.joining("', '")) + "'].");
    }

    @Override
    public ServiceException belowUsage(String resource, long limit, long used) {
      return ServiceException.invalid(
          "HTTPBadRequest",
          "Quota limit " + limit + " for " + resource + " must be greater than or equal to already used " + used);
    }
  },

  /**
   * Cinder: 413 OverQuota about the first exceeded quota (the caller asks in Cinder's order), in
   * the words of the exception Cinder raises for that resource.
   */
  CINDER {
    @Override
    public ServiceException overQuota(List<Demand> overs) {
      Demand d = overs.getFirst();
      String message =
          switch (d.resource()) {
            case "gigabytes" ->
                "VolumeSizeExceedsAvailableQuota: Requested volume or snapshot exceeds allowed gigabytes quota."
                    + " Requested " + d.requested() + "G, quota is " + d.limit() + "G and " + d.used()
                    + "G has been consumed.";
            case "snapshots" -> "SnapshotLimitExceeded: Maximum number of snapshots allowed (" + d.limit() + ") exceeded";
            case "backup_gigabytes" ->
                "VolumeBackupSizeExceedsAvailableQuota: Requested backup exceeds allowed Backup gigabytes quota."
                    + " Requested " + d.requested() + "G, quota is " + d.limit() + "G and " + d.used()
                    + "G has been consumed.";
            case "backups" -> "BackupLimitExceeded: Maximum number of backups allowed (" + d.limit() + ") exceeded";
            default ->
                "VolumeLimitExceeded: Maximum number of volumes allowed (" + d.limit() + ") exceeded for quota '"
                    + d.resource() + "'.";
          };
      return new ServiceException(ServiceException.Kind.OVER_LIMIT, "OverQuota", message);
    }

    @Override
    public ServiceException belowUsage(String resource, long limit, long used) {
      return ServiceException.invalid(
          "HTTPBadRequest",
          "Quota " + resource + " limit must be equal or greater than existing resources. Current usage is " + used
              + " and the requested limit is " + limit + ".");
    }
  };

  /** The refusal of demands of which {@code overs} (not empty) would exceed their limits. */
  public abstract ServiceException overQuota(List<Demand> overs);

  /** The refusal of a limit set below what the owner already uses. */
  public abstract ServiceException belowUsage(String resource, long limit, long used);

  private static String join(List<Demand> demands, Function<Demand, String> part) {
    return demands.stream().map(part).collect(Collectors.joining(", "));
  }
}
