package dev.kiln.compute.fleet.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.compute.fleet.Claim;
import dev.kiln.compute.fleet.HostService;
import dev.kiln.compute.fleet.HostSpec;
import dev.kiln.compute.fleet.Hypervisor;
import dev.kiln.compute.fleet.Resources;
import dev.kiln.store.Sql;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.ArrayList;

/**
 * The fleet's tables: compute hosts with their usage, the claims on them, and Nova's services.
 * Every statement is one round trip; the caller decides the transaction.
 */
public final class FleetStore {
  private static final String COMPUTE = "nova-compute";
  /** A host's zone: the one its aggregates give it, else the configured one. */
  private static final String ZONE = "COALESCE(h.aggregate_zone, h.availability_zone)";
  private static final String HYPERVISOR_QUERY =
      "SELECT h.name, h.id, h.uuid, " + ZONE + " AS availability_zone, h.vcpus, h.ram_mb, h.disk_gb,"
          + " h.vcpus_used, h.ram_mb_used, h.disk_gb_used,"
          + " (SELECT COUNT(*) FROM compute_host_claim c WHERE c.host = h.name) AS running_vms,"
          + " s.id AS service_id, s.uuid AS service_uuid, s.binary_name, s.disabled, s.disabled_reason,"
          + " s.forced_down, s.updated_at"
          + " FROM compute_host h JOIN compute_service s ON s.host = h.name AND s.binary_name = '" + COMPUTE + "'";
  private static final String SERVICE_QUERY =
      "SELECT s.id AS service_id, s.uuid AS service_uuid, s.host, s.binary_name, s.disabled, s.disabled_reason,"
          + " s.forced_down, s.updated_at, " + ZONE + " AS availability_zone"
          + " FROM compute_service s LEFT JOIN compute_host h ON h.name = s.host";

  private final Sql sql;

  public FleetStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  // Registration

  /** Adds the host if it is new (keeping its ids if not), then sets its capacity and zone. */
  public void registerHost(HostSpec host, String uuid, Instant now) {
    sql.update(
        "INSERT INTO compute_host (name, uuid, availability_zone, vcpus, ram_mb, disk_gb, ram_mb_free, created_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        host.name(), uuid, host.availabilityZone(), host.capacity().vcpus(), host.capacity().ramMb(),
        host.capacity().diskGb(), host.capacity().ramMb(), now);
    sql.update(
        "UPDATE compute_host SET availability_zone = ?, vcpus = ?, ram_mb = ?, disk_gb = ?, ram_mb_free = ? - ram_mb_used"
            + " WHERE name = ?",
        host.availabilityZone(), host.capacity().vcpus(), host.capacity().ramMb(), host.capacity().diskGb(),
        host.capacity().ramMb(), host.name());
  }

  /** Every registered host as its configuration last set it (its own zone, not an aggregate's). */
  public Map<String, HostSpec> registeredHosts() {
    Map<String, HostSpec> hosts = new HashMap<>();
    for (HostSpec host :
        sql.query(
            "SELECT name, availability_zone, vcpus, ram_mb, disk_gb FROM compute_host",
            row ->
                new HostSpec(
                    row.getString("name"),
                    new Resources(row.getInt("vcpus"), row.getInt("ram_mb"), row.getInt("disk_gb")),
                    row.getString("availability_zone")))) {
      hosts.put(host.name(), host);
    }
    return hosts;
  }

  /** Adds the service if it is new; an existing one keeps its ids and state. */
  public void registerService(String host, String binary, String uuid, Instant now) {
    sql.update(
        "INSERT INTO compute_service (uuid, host, binary_name, disabled, forced_down, created_at)"
            + " VALUES (?, ?, ?, FALSE, FALSE, ?) ON CONFLICT DO NOTHING",
        uuid, host, binary, now);
  }

  // Hypervisors

  /** Every registered host with its compute service, by id. */
  public List<Hypervisor> hypervisors() {
    return sql.query(HYPERVISOR_QUERY + " ORDER BY h.id", FleetStore::hypervisor);
  }

  public Optional<Hypervisor> hypervisor(String host) {
    return sql.queryOne(HYPERVISOR_QUERY + " WHERE h.name = ?", FleetStore::hypervisor, host);
  }

  /**
   * The names of up to {@code limit} hosts that could take {@code amount} now, best first for
   * Nova's default weigher (most free RAM, then the oldest host): their compute service enabled
   * and not forced down, in {@code zone} unless it is null, {@code onlyHost} unless it is null,
   * none of {@code excluded}, with room for all of {@code amount}. The walk follows the free-RAM
   * index and stops after {@code limit} rows, so its cost does not grow with the fleet.
   */
  public List<String> candidates(Resources amount, String zone, String onlyHost, Set<String> excluded, int limit) {
    StringBuilder query =
        new StringBuilder(
            "SELECT h.name FROM compute_host h JOIN compute_service s ON s.host = h.name AND s.binary_name = '"
                + COMPUTE + "'"
                + " WHERE h.ram_mb_free >= ? AND s.disabled = FALSE AND s.forced_down = FALSE"
                + " AND h.vcpus - h.vcpus_used >= ? AND h.disk_gb - h.disk_gb_used >= ?");
    List<Object> args = new ArrayList<>(List.of(amount.ramMb(), amount.vcpus(), amount.diskGb()));
    if (zone != null) {
      query.append(" AND " + ZONE + " = ?");
      args.add(zone);
    }
    if (onlyHost != null) {
      query.append(" AND h.name = ?");
      args.add(onlyHost);
    }
    for (String host : excluded) {
      query.append(" AND h.name <> ?");
      args.add(host);
    }
    query.append(" ORDER BY h.ram_mb_free DESC, h.id LIMIT ?");
    args.add(limit);
    return sql.query(query.toString(), row -> row.getString("name"), args.toArray());
  }

  // Claims

  /**
   * Adds {@code amount} to the host's usage if it still fits in its capacity, in one conditional
   * update: concurrent claims serialise on the host's row and each sees the others' usage.
   * Answers whether the claim fitted.
   */
  public boolean addUsage(String host, Resources amount) {
    return sql.update(
            "UPDATE compute_host SET vcpus_used = vcpus_used + ?, ram_mb_used = ram_mb_used + ?,"
                + " disk_gb_used = disk_gb_used + ?, ram_mb_free = ram_mb - ram_mb_used - ?"
                + " WHERE name = ? AND vcpus_used + ? <= vcpus AND ram_mb_used + ? <= ram_mb"
                + " AND disk_gb_used + ? <= disk_gb",
            amount.vcpus(), amount.ramMb(), amount.diskGb(), amount.ramMb(), host, amount.vcpus(), amount.ramMb(),
            amount.diskGb())
        == 1;
  }

  public int subtractUsage(String host, Resources amount) {
    return sql.update(
        "UPDATE compute_host SET vcpus_used = vcpus_used - ?, ram_mb_used = ram_mb_used - ?,"
            + " disk_gb_used = disk_gb_used - ?, ram_mb_free = ram_mb - ram_mb_used + ? WHERE name = ?",
        amount.vcpus(), amount.ramMb(), amount.diskGb(), amount.ramMb(), host);
  }

  /** Records a claim; a consumer that already holds one is a duplicate key. */
  public void insertClaim(Claim claim) {
    sql.update(
        "INSERT INTO compute_host_claim (consumer_id, host, vcpus, ram_mb, disk_gb, created_at)"
            + " VALUES (?, ?, ?, ?, ?, ?)",
        claim.consumerId(), claim.host(), claim.resources().vcpus(), claim.resources().ramMb(),
        claim.resources().diskGb(), claim.createdAt());
  }

  public Optional<Claim> findClaim(String consumerId) {
    return sql.queryOne(
        "SELECT consumer_id, host, vcpus, ram_mb, disk_gb, created_at FROM compute_host_claim WHERE consumer_id = ?",
        FleetStore::claim,
        consumerId);
  }

  public List<Claim> claimsOn(String host) {
    return sql.query(
        "SELECT consumer_id, host, vcpus, ram_mb, disk_gb, created_at FROM compute_host_claim WHERE host = ?"
            + " ORDER BY created_at, consumer_id",
        FleetStore::claim,
        host);
  }

  /** Removes a claim; answers how many rows went (0 when another release took it first). */
  public int deleteClaim(String consumerId) {
    return sql.update("DELETE FROM compute_host_claim WHERE consumer_id = ?", consumerId);
  }

  /** Hands a claim to another consumer; a consumer that already holds one is a duplicate key. */
  public int renameClaim(String from, String to) {
    return sql.update("UPDATE compute_host_claim SET consumer_id = ? WHERE consumer_id = ?", to, from);
  }

  // Services

  public List<HostService> services() {
    return sql.query(SERVICE_QUERY + " ORDER BY s.id", FleetStore::service);
  }

  public Optional<HostService> serviceByUuid(String uuid) {
    return sql.queryOne(SERVICE_QUERY + " WHERE s.uuid = ?", FleetStore::service, uuid);
  }

  public Optional<HostService> service(String host, String binary) {
    return sql.queryOne(SERVICE_QUERY + " WHERE s.host = ? AND s.binary_name = ?", FleetStore::service, host, binary);
  }

  public int updateService(String uuid, boolean disabled, String disabledReason, boolean forcedDown, Instant now) {
    return sql.update(
        "UPDATE compute_service SET disabled = ?, disabled_reason = ?, forced_down = ?, updated_at = ? WHERE uuid = ?",
        disabled, disabledReason, forcedDown, now, uuid);
  }

  // Rows

  private static Hypervisor hypervisor(Sql.Row row) throws SQLException {
    String host = row.getString("name");
    String zone = row.getString("availability_zone");
    HostService service =
        new HostService(
            row.getInt("service_id"),
            row.getString("service_uuid"),
            host,
            row.getString("binary_name"),
            zone,
            row.getBoolean("disabled"),
            row.getString("disabled_reason"),
            row.getBoolean("forced_down"),
            row.getInstant("updated_at"));
    return new Hypervisor(
        row.getInt("id"),
        row.getString("uuid"),
        host,
        zone,
        new Resources(row.getInt("vcpus"), row.getInt("ram_mb"), row.getInt("disk_gb")),
        new Resources(row.getInt("vcpus_used"), row.getInt("ram_mb_used"), row.getInt("disk_gb_used")),
        row.getInt("running_vms"),
        service);
  }

  private static HostService service(Sql.Row row) throws SQLException {
    String binary = row.getString("binary_name");
    String zone = row.getString("availability_zone");
    return new HostService(
        row.getInt("service_id"),
        row.getString("service_uuid"),
        row.getString("host"),
        binary,
        COMPUTE.equals(binary) && zone != null ? zone : "internal",
        row.getBoolean("disabled"),
        row.getString("disabled_reason"),
        row.getBoolean("forced_down"),
        row.getInstant("updated_at"));
  }

  private static Claim claim(Sql.Row row) throws SQLException {
    return new Claim(
        row.getString("consumer_id"),
        row.getString("host"),
        new Resources(row.getInt("vcpus"), row.getInt("ram_mb"), row.getInt("disk_gb")),
        row.getInstant("created_at"));
  }
}
