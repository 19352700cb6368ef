package dev.kiln.cli;

import dev.kiln.KilnConfig;
import dev.kiln.identity.PasswordHasher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options that say which Kiln to run or talk to, shared by the commands that need them. */
public final class ServerOptions {
  @Option(names = "--host", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String host = KilnConfig.DEFAULT_HOST;

  @Option(names = "--port", description = "Port for every API (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port = KilnConfig.DEFAULT_PORT;

  @Option(
      names = "--data-dir",
      description = "Where the embedded database and other state live (default: ${DEFAULT-VALUE}).")
  Path dataDir = Path.of(envOr("KILN_DATA_DIR", "data"));

  @Option(
      names = "--database-url",
      description =
          "Use PostgreSQL instead of the embedded database, e.g."
              + " postgresql://kiln:secret@127.0.0.1:5432/kiln (env KILN_DATABASE_URL).")
  String databaseUrl = System.getenv("KILN_DATABASE_URL");

  @Option(
      names = "--admin-password",
      description =
          "Password of the admin user; when given (or KILN_ADMIN_PASSWORD is set) it is also applied"
              + " to an existing admin user. Default for local use: "
              + KilnConfig.DEFAULT_ADMIN_PASSWORD
              + ".")
  String adminPassword;

  @Option(
      names = "--token-ttl",
      description = "How long tokens stay valid, e.g. PT1H or PT15M (default: ${DEFAULT-VALUE}).")
  Duration tokenTtl = KilnConfig.DEFAULT_TOKEN_LIFETIME;

  @Option(
      names = "--password-hash-iterations",
      description = "PBKDF2-SHA256 iterations for new password hashes (default: ${DEFAULT-VALUE}).")
  int passwordHashIterations = PasswordHasher.DEFAULT_ITERATIONS;

  @Option(
      names = "--public-url",
      description = "URL clients reach Kiln at, if not the one they connect to (for proxies).")
  String publicUrl;

  @Option(
      names = "--compute-hosts",
      split = ",",
      description = "Names of the simulated compute hosts (default: ${DEFAULT-VALUE}).")
  List<String> computeHosts = KilnConfig.DEFAULT_COMPUTE_HOSTS;

  @Option(
      names = "--compute-host-vcpus",
      description = "vCPUs of each simulated compute host (default: ${DEFAULT-VALUE}).")
  int computeHostVcpus = KilnConfig.ComputeFleet.DEFAULT.hostVcpus();

  @Option(
      names = "--compute-host-ram-mb",
      description = "RAM in MiB of each simulated compute host (default: ${DEFAULT-VALUE}).")
  int computeHostRamMb = KilnConfig.ComputeFleet.DEFAULT.hostRamMb();

  @Option(
      names = "--compute-host-disk-gb",
      description = "Disk in GiB of each simulated compute host (default: ${DEFAULT-VALUE}).")
  int computeHostDiskGb = KilnConfig.ComputeFleet.DEFAULT.hostDiskGb();

  @Option(
      names = "--compute-zone",
      description = "Availability zone of a compute host, as HOST=ZONE; repeatable (default zone: nova).")
  Map<String, String> computeZones = new LinkedHashMap<>();

  @Option(
      names = "--compute-latency",
      description =
          "How long each simulated hypervisor operation takes: zero, realistic (seconds, like a real"
              + " cloud), or one duration for all such as 250ms (default: ${DEFAULT-VALUE}).")
  String computeLatency = KilnConfig.ComputeFleet.DEFAULT.latency();

  @Option(
      names = "--compute-fault",
      description =
          "Make a hypervisor operation fail from the start, as OPERATION=RULE with RULE next:N (the"
              + " next N calls) or a probability such as 0.1, optionally @HOST; repeatable."
              + " E.g. spawn=next:2. Change it later through /compute/v2.1/os-kiln-faults.")
  Map<String, String> computeFaults = new LinkedHashMap<>();

  KilnConfig toConfig() {
    String password = adminPassword != null ? adminPassword : System.getenv("KILN_ADMIN_PASSWORD");
    boolean given = password != null && !password.isEmpty();
    return new KilnConfig(
        host,
        port,
        dataDir,
        databaseUrl,
        given ? password : KilnConfig.DEFAULT_ADMIN_PASSWORD,
        given,
        tokenTtl,
        passwordHashIterations,
        publicUrl,
        computeHosts,
        new KilnConfig.ComputeFleet(
            computeHostVcpus, computeHostRamMb, computeHostDiskGb, computeZones, computeLatency, computeFaults));
  }

  /** Where the admin password came from, for the start banner. */
  String adminPasswordSource() {
    if (adminPassword != null) {
      return "--admin-password";
    }
    if (System.getenv("KILN_ADMIN_PASSWORD") != null && !System.getenv("KILN_ADMIN_PASSWORD").isEmpty()) {
      return "the KILN_ADMIN_PASSWORD environment variable";
    }
    return "the default for local use, '" + KilnConfig.DEFAULT_ADMIN_PASSWORD + "'";
  }

  private static String envOr(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isEmpty() ? fallback : value;
  }
}
