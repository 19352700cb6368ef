package dev.kiln.cli;

import dev.kiln.KilnConfig;
import dev.kiln.identity.PasswordHasher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
        computeHosts);
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
