package dev.kiln;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How one Kiln instance runs; every setting has a default fit for a laptop.
 *
 * @param databaseUrl a PostgreSQL URL, or null for the embedded database in {@code dataDir}
 * @param adminPasswordGiven whether the user chose the admin password (then it is applied even to
 *     an existing admin user) or the documented default is in use
 * @param publicUrl the URL clients reach Kiln at, or null for {@code http://host:port}
 * @param computeHosts the names of the simulated fleet's compute hosts
 * @param computeFleet the simulated fleet's capacity, zones, driver latency and injected faults
 */
public record KilnConfig(
    String host,
    int port,
    Path dataDir,
    String databaseUrl,
    String adminPassword,
    boolean adminPasswordGiven,
    Duration tokenLifetime,
    int passwordHashIterations,
    String publicUrl,
    List<String> computeHosts,
    ComputeFleet computeFleet) {

  public KilnConfig {
    computeHosts = List.copyOf(computeHosts);
    computeFleet = computeFleet == null ? ComputeFleet.DEFAULT : computeFleet;
  }

  /** A configuration with the default fleet settings for {@code computeHosts}. */
  public KilnConfig(
      String host,
      int port,
      Path dataDir,
      String databaseUrl,
      String adminPassword,
      boolean adminPasswordGiven,
      Duration tokenLifetime,
      int passwordHashIterations,
      String publicUrl,
      List<String> computeHosts) {
    this(
        host, port, dataDir, databaseUrl, adminPassword, adminPasswordGiven, tokenLifetime,
        passwordHashIterations, publicUrl, computeHosts, ComputeFleet.DEFAULT);
  }

  /**
   * The simulated compute fleet beyond its host names.
   *
   * @param hostVcpus every host's vCPUs
   * @param hostRamMb every host's RAM in MiB
   * @param hostDiskGb every host's disk in GiB
   * @param zones availability zones by host name; other hosts are in zone "nova"
   * @param latency the driver's latency profile: "zero", "realistic", or a duration for every
   *     operation such as "250ms"
   * @param faults faults injected from the start, by driver operation (e.g. spawn=next:2)
   */
  public record ComputeFleet(
      int hostVcpus, int hostRamMb, int hostDiskGb, Map<String, String> zones, String latency, Map<String, String> faults) {
    public static final ComputeFleet DEFAULT = new ComputeFleet(16, 32_768, 1_000, Map.of(), "zero", Map.of());

    public ComputeFleet {
      zones = Map.copyOf(zones);
      faults = Map.copyOf(faults);
    }
  }

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 5000;
  public static final String DEFAULT_ADMIN_PASSWORD = "kiln-admin";
  public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofHours(1);
  public static final List<String> DEFAULT_COMPUTE_HOSTS =
      List.of("kiln-compute-1", "kiln-compute-2", "kiln-compute-3");

  /** The base URL for links and the catalog, once the real port is known. */
  public String baseUrl(int boundPort) {
    if (publicUrl != null && !publicUrl.isBlank()) {
      return publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }
    String h = host.contains(":") ? "[" + host + "]" : host;
    return "http://" + h + ":" + boundPort;
  }
}
