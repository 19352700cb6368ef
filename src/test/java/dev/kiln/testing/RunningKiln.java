package dev.kiln.testing;

import dev.kiln.KilnConfig;
import dev.kiln.KilnServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * A real Kiln server for a test: a free port on 127.0.0.1, its own data directory, and a cheap
 * password hash so that tests that log in often stay fast.
 */
public final class RunningKiln implements AutoCloseable {
  public static final String ADMIN_PASSWORD = "test-admin-secret";

  private final KilnServer server;
  private final KilnConfig config;

  private RunningKiln(KilnServer server, KilnConfig config) {
    this.server = server;
    this.config = config;
  }

  public static RunningKiln start(Path dataDir) {
    return start(dataDir, null, Clock.systemUTC());
  }

  public static RunningKiln start(Path dataDir, String databaseUrl, Clock clock) {
    return start(dataDir, databaseUrl, clock, KilnConfig.DEFAULT_COMPUTE_HOSTS);
  }

  /** A Kiln whose simulated fleet has just these compute hosts. */
  public static RunningKiln withHosts(Path dataDir, List<String> computeHosts) {
    return start(dataDir, null, Clock.systemUTC(), computeHosts);
  }

  private static RunningKiln start(Path dataDir, String databaseUrl, Clock clock, List<String> computeHosts) {
    KilnConfig config =
        new KilnConfig(
            "127.0.0.1",
            0,
            dataDir,
            databaseUrl,
            ADMIN_PASSWORD,
            true,
            Duration.ofHours(1),
            1_000,
            null,
            computeHosts);
    return new RunningKiln(KilnServer.start(config, clock), config);
  }

  public String baseUrl() {
    return server.baseUrl();
  }

  public String authUrl() {
    return server.authUrl();
  }

  public Api api() {
    return new Api(baseUrl());
  }

  /** A client with a fresh token of the bootstrap admin, scoped to the admin project. */
  public Api admin() {
    Api anonymous = api();
    return anonymous.withToken(anonymous.token("admin", ADMIN_PASSWORD, "admin"));
  }

  public KilnConfig config() {
    return config;
  }

  @Override
  public void close() {
    server.close();
  }
}
