package dev.kiln;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How one Kiln instance runs; every setting has a default fit for a laptop.
 *
 * @param databaseUrl a PostgreSQL URL, or null for the embedded database in {@code dataDir}
 * @param adminPasswordGiven whether the user chose the admin password (then it is applied even to
 *     an existing admin user) or the documented default is in use
 * @param publicUrl the URL clients reach Kiln at, or null for {@code http://host:port}
 * @param computeHosts the names of the simulated fleet's compute hosts
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
    List<String> computeHosts) {

  public KilnConfig {
    computeHosts = List.copyOf(computeHosts);
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
