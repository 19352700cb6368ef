package dev.kiln.volume.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.store.Sql;
import dev.kiln.volume.VolumeServices.Service;
import java.time.Instant;
import java.util.List;

/** The volume_service table: the state of Cinder's services. */
public final class VolumeServiceStore {
  private final Sql sql;

  public VolumeServiceStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  public List<Service> all() {
    return sql.query(
        "SELECT binary_name, host, availability_zone, disabled, disabled_reason, frozen, updated_at"
            + " FROM volume_service ORDER BY binary_name, host",
        r -> new Service(
            r.getString("binary_name"), r.getString("host"), r.getString("availability_zone"),
            r.getBoolean("disabled"), r.getString("disabled_reason"), r.getBoolean("frozen"),
            r.getInstant("updated_at")));
  }

  /** Whether some service running {@code binary} is enabled: what creates and backups go to. */
  public boolean anyEnabled(String binary) {
    return sql.count("SELECT COUNT(*) FROM volume_service WHERE binary_name = ? AND NOT disabled", binary) > 0;
  }

  /** Sets a service's disabled flag and reason; false when there is no such service. */
  public boolean setDisabled(String binary, String host, boolean disabled, String reason, Instant now) {
    return sql.update(
            "UPDATE volume_service SET disabled = ?, disabled_reason = ?, updated_at = ? WHERE binary_name = ? AND host = ?",
            disabled, reason, now, binary, host)
        == 1;
  }

  public void setFrozen(String binary, String host, boolean frozen, Instant now) {
    sql.update(
        "UPDATE volume_service SET frozen = ?, updated_at = ? WHERE binary_name = ? AND host = ?",
        frozen, now, binary, host);
  }
}
