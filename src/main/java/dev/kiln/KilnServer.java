package dev.kiln;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.compute.ComputeService;
import dev.kiln.compute.ServerServices;
import dev.kiln.compute.api.ComputeApi;
import dev.kiln.compute.events.ExternalEvent.Source;
import dev.kiln.compute.events.ExternalEvents;
import dev.kiln.compute.fleet.FleetConfig;
import dev.kiln.compute.fleet.Resources;
import dev.kiln.compute.servers.ServerLifecycleObserver;
import dev.kiln.compute.servers.Servers;
import dev.kiln.guest.GuestAgents;
import dev.kiln.http.CallerResolver;
import dev.kiln.http.Json;
import dev.kiln.http.MetricsRegistries;
import dev.kiln.http.RequestObserver;
import dev.kiln.identity.ApplicationCredentials;
import dev.kiln.identity.Directory;
import dev.kiln.identity.Groups;
import dev.kiln.identity.Domain;
import dev.kiln.identity.IdentityBootstrap;
import dev.kiln.identity.ListFilter;
import dev.kiln.identity.PasswordHashInAdvance;
import dev.kiln.identity.PasswordHasher;
import dev.kiln.identity.ProjectTags;
import dev.kiln.identity.TokenService;
import dev.kiln.identity.UserCredentials;
import dev.kiln.identity.api.IdentityApi;
import dev.kiln.identity.api.TokenCallers;
import dev.kiln.image.ImageService;
import dev.kiln.image.api.ImageApi;
import dev.kiln.network.ComputeHosts;
import dev.kiln.network.NetworkService;
import dev.kiln.network.api.NetworkApi;
import dev.kiln.objectstore.ObjectStoreService;
import dev.kiln.objectstore.api.ObjectStoreApi;
import dev.kiln.orchestration.OrchestrationService;
import dev.kiln.orchestration.api.CfnApi;
import dev.kiln.orchestration.api.OrchestrationApi;
import dev.kiln.orchestration.engine.Orchestration;
import dev.kiln.orchestration.resources.Cloud;
import dev.kiln.orchestration.resources.CloudConstraints;
import dev.kiln.orchestration.template.HeatTemplates;
import dev.kiln.store.Database;
import dev.kiln.tasks.TaskRunner;
import dev.kiln.tasks.TaskSettings;
import dev.kiln.volume.SimulatedVolumeBackend;
import dev.kiln.volume.VolumeService;
import dev.kiln.volume.api.VolumeApi;
import io.helidon.webserver.WebServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * One running Kiln: the store, the services and every API on one HTTP port. Built from a {@link
 * KilnConfig}; {@link #close()} stops it.
 *
 * <p>Over 400 lines because it is where every service is wired to the others and to its routes, in
 * the order the start needs them, and where the stop undoes that order; it holds no logic of its
 * own that could move out, and reading the wiring in one place is its point.
 */
public final class KilnServer implements AutoCloseable {
  /**
   * Not a static field: logging is set up (logback reads its configuration) on the start's own
   * thread while the database opens beside it, not when this class is first used.
   */
  private static Logger log() {
    return LoggerFactory.getLogger(KilnServer.class);
  }

  /** Each API's path prefix, in the order the readiness check visits them. */
  public static final List<String> API_ROOTS =
      List.of(
          IdentityApi.PREFIX,
          ComputeApi.PREFIX,
          NetworkApi.PREFIX,
          VolumeApi.PREFIX,
          ImageApi.PREFIX,
          OrchestrationApi.PREFIX);

  private final KilnConfig config;
  private final Database db;
  private final TaskRunner tasks;
  private final WebServer web;
  private final IdentityBootstrap.PasswordOutcome adminPassword;
  private final GuestAgents guests;

  private KilnServer(
      KilnConfig config,
      Database db,
      TaskRunner tasks,
      WebServer web,
      IdentityBootstrap.PasswordOutcome adminPassword,
      GuestAgents guests) {
    this.config = config;
    this.db = db;
    this.tasks = tasks;
    this.web = web;
    this.adminPassword = adminPassword;
    this.guests = guests;
  }

  /** Opens the store, seeds identity on first start, and starts serving. */
  public static KilnServer start(KilnConfig config) {
    return start(config, Clock.systemUTC());
  }

  /** Starts with a given clock, so tests can move time (token expiry) without waiting. */
  public static KilnServer start(KilnConfig config, Clock clock) {
    requireNonNull(config, "config is null");
    requireNonNull(clock, "clock is null");
    IdGenerator ids = IdGenerator.random();
    SecureRandom random = new SecureRandom();
    PasswordHasher hasher = new PasswordHasher(config.passwordHashIterations(), random);
    // Before the database opens: whether its file exists yet says if the hash is needed.
    Supplier<String> adminPasswordHash = adminPasswordHash(config, hasher);
    // Logging first: the database thread logs too, and SLF4J warns on stderr about every start
    // whose logging two threads set up at once.
    LoggerFactory.getILoggerFactory();
    CompletableFuture<Database> opening = openDatabaseAside(config);
    PrometheusMeterRegistry metrics;
    try {
      bridgeJavaUtilLogging();
      metrics = MetricsRegistries.create();
      // Made now rather than when the first API and the web server are built: Helidon's service
      // registry and the JSON mapper.
      HelidonRegistry.install();
      Json.object();
      StartTrace.mark("logging, metrics, service registry and JSON ready");
    } catch (RuntimeException | Error e) {
      opening.thenAccept(Database::close);
      throw e;
    }
    Database db = opened(opening);
    StartTrace.mark("database open, schema current");
    TaskRunner tasks = null;
    GuestAgents guests = null;
    try {
      // Each node claims tasks under its own name, so a crashed node's leases are recognisable.
      tasks =
          new TaskRunner(
              db, clock, ids, "kiln-" + ProcessHandle.current().pid() + "-" + ids.hex().substring(0, 8),
              TaskSettings.fromEnvironment(System.getenv("KILN_TASK_LEASE")));
      Directory directory = new Directory(db, clock, ids, hasher);
      TokenService tokens =
          new TokenService(db, clock, ids, hasher, random, config.tokenLifetime());
      Groups groups = new Groups(db, clock, ids, directory);
      ApplicationCredentials appCredentials =
          new ApplicationCredentials(db, clock, ids, hasher, random, directory);
      UserCredentials credentials = new UserCredentials(db, clock, ids, directory);
      IdentityBootstrap.PasswordOutcome outcome =
          new IdentityBootstrap(db, clock, ids, directory, hasher)
              .run(config.adminPassword(), config.adminPasswordGiven(), adminPasswordHash);
      StartTrace.mark("identity seeded");
      int purged = tokens.purgeExpired();
      if (purged > 0) {
        log().info("Purged {} long-expired tokens", purged);
      }
      CallerResolver callers = new TokenCallers(tokens, metrics);
      KilnConfig.ComputeFleet fleet = config.computeFleet();
      ComputeService compute =
          ComputeService.start(
              db,
              clock,
              ids,
              random,
              FleetConfig.of(
                  config.computeHosts(),
                  new Resources(fleet.hostVcpus(), fleet.hostRamMb(), fleet.hostDiskGb()),
                  fleet.zones(),
                  fleet.latency(),
                  fleet.faults()));
      ComputeHosts computeHosts = compute.fleet();
      StartTrace.mark("compute fleet registered");
      NetworkService network = NetworkService.create(db, clock, ids, random, computeHosts);
      ImageService image = ImageService.create(db, clock, ids, config.dataDir());
      VolumeService volume =
          VolumeService.create(
              db, clock, ids, new SimulatedVolumeBackend(Duration.ZERO), tasks, new ImageServiceCatalog(image));
      image.images().seedDefaultImage(
          directory
              .projects(ListFilter.none().eq("name", IdentityBootstrap.ADMIN_PROJECT).eq("domain_id", Domain.DEFAULT_ID))
              .getFirst()
              .id());
      ServerServices serverServices =
          ServerServices.create(db, clock, ids, random, compute, network, image, volume, tasks);
      // Every simulated server runs Kiln's in-instance agent when its user_data asks for one.
      guests = GuestAgents.create(GuestAgents.Settings.forDataDir(config.dataDir()), clock);
      serverServices.servers().observeLifecycle(guestLifecycle(serverServices.servers(), guests));
      // Networking and Block Storage tell Compute about its servers' ports and volumes, in-process,
      // as Neutron and Cinder call Nova's os-server-external-events.
      network.ports().deviceEvents(
          (serverId, name, portId) ->
              compute.externalEvents().record(serverId, name, portId, ExternalEvents.COMPLETED, Source.NETWORK));
      volume.volumes().volumeEvents(
          (serverId, name, volumeId) ->
              compute.externalEvents().record(serverId, name, volumeId, ExternalEvents.COMPLETED, Source.VOLUME));
      String publicUrl = config.publicUrl();
      // Signal URLs need the port the server listens on, known once it listens (port 0: the OS picks).
      java.util.concurrent.atomic.AtomicReference<String> listening =
          new java.util.concurrent.atomic.AtomicReference<>(config.baseUrl(config.port()));
      ObjectStoreService objectStore =
          ObjectStoreService.create(db, clock, ids, random, config.dataDir(), listening::get);
      Cloud cloud = new Cloud(compute, serverServices, network, volume, image, directory, objectStore, credentials);
      OrchestrationService orchestration =
          Orchestration.create(
              db,
              clock,
              ids,
              tasks,
              new HeatTemplates(),
              CloudConstraints.over(cloud),
              listening::get,
              cloud);
      StartTrace.mark("services wired");
      WebServer web =
          WebServer.builder()
              .host(config.host())
              .port(config.port())
              .shutdownHook(false)
              // Without it an answer written in two pieces (a long list) waits for the client's
              // delayed ACK of the first: 40 ms on Linux, for a call that took 1 ms.
              .connectionOptions(socket -> socket.tcpNoDelay(true))
              .contentEncoding(dev.kiln.objectstore.api.StoredContentEncodings.context())
              .routing(
                  routing ->
                      routing
                          .addFilter(new RequestObserver(ids, metrics))
                          .get("/healthz", (req, res) -> res.send("ok"))
                          .get(
                              "/metrics",
                              (req, res) -> {
                                res.header("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                                res.send(metrics.scrape().getBytes(StandardCharsets.UTF_8));
                              })
                          .register(IdentityApi.PREFIX, new IdentityApi(publicUrl, callers, tokens, directory, groups, appCredentials, credentials, new ProjectTags(db, directory)))
                          .register(ComputeApi.PREFIX, new ComputeApi(publicUrl, callers, compute, serverServices, image))
                          .register(NetworkApi.PREFIX, new NetworkApi(publicUrl, callers, network))
                          .register(VolumeApi.PREFIX, new VolumeApi(publicUrl, callers, volume))
                          .register(ImageApi.PREFIX, new ImageApi(publicUrl, callers, image))
                          .register(OrchestrationApi.PREFIX, new OrchestrationApi(publicUrl, callers, orchestration))
                          .register(CfnApi.PREFIX, new CfnApi(publicUrl, callers, orchestration, credentials, directory))
                          .register(ObjectStoreApi.PREFIX, new ObjectStoreApi(callers, objectStore)))
              .build()
              .start();
      listening.set(config.baseUrl(web.port()));
      if (config.databaseUrl() == null || config.databaseUrl().isBlank()) {
        // Only this process can open the embedded file: a claim in it is a killed run's.
        tasks.endClaimsOfEarlierRuns();
      }
      StartTrace.mark("web server listening");
      tasks.start();
      resumeGuestAgents(serverServices.servers(), guests);
      StartTrace.mark("tasks and agents started");
      return new KilnServer(config, db, tasks, web, outcome, guests);
    } catch (RuntimeException e) {
      if (guests != null) {
        guests.close();
      }
      if (tasks != null) {
        tasks.close();
      }
      db.close();
      throw e;
    }
  }

  /** Starts a server's agent when its build makes it ACTIVE, stops it when the server is deleted. */
  private static ServerLifecycleObserver guestLifecycle(Servers servers, GuestAgents guests) {
    return new ServerLifecycleObserver() {
      @Override
      public void active(String serverId) {
        servers.find(serverId).ifPresent(s -> guests.serverActive(serverId, s.userData(), s.metadata()));
      }

      @Override
      public void deleted(String serverId) {
        guests.serverDeleted(serverId);
      }
    };
  }

  /**
   * After a restart, the agents of the ACTIVE servers whose user_data carries a bootstrap start
   * again (their deployed markers keep what ran from running again). On a virtual thread, so the
   * start does not wait for it.
   */
  private static void resumeGuestAgents(Servers servers, GuestAgents guests) {
    Thread.ofVirtual().name("guest-agents-resume").start(() -> {
      try {
        Actor system = new Actor(null, null, true);
        Servers.Query active = new Servers.Query(true, null, "ACTIVE", null, null);
        String marker = null;
        do {
          Servers.Page page = servers.list(system, active, 500, marker);
          page.servers().stream()
              .filter(s -> s.userData() != null)
              .forEach(s -> guests.serverActive(s.id(), s.userData(), s.metadata()));
          marker = page.nextMarker();
        } while (marker != null);
      } catch (RuntimeException e) {
        log().warn("The guest agents of existing servers did not resume: {}", e.toString());
      }
    });
  }

  /** Helidon logs through java.util.logging; send it where every other log line goes. */
  private static synchronized void bridgeJavaUtilLogging() {
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
  }

  /**
   * The admin password's hash, started now on a thread of its own when the bootstrap will need it
   * (a password given, or an embedded data directory without a database yet), so that it is worked
   * out while the database opens; otherwise worked out only if asked.
   */
  private static Supplier<String> adminPasswordHash(KilnConfig config, PasswordHasher hasher) {
    boolean embedded = config.databaseUrl() == null || config.databaseUrl().isBlank();
    boolean needed =
        config.adminPasswordGiven()
            || (embedded && !Files.exists(config.dataDir().resolve("kiln.mv.db")));
    return needed
        ? PasswordHashInAdvance.start(hasher, config.adminPassword())
        : () -> hasher.hash(config.adminPassword());
  }

  /**
   * Opens the database on a thread of its own, so that the start's work that needs no database
   * (logging, the metrics registry, Helidon's service registry, the JSON mapper) runs beside H2's
   * open and the schema check on a second core.
   */
  private static CompletableFuture<Database> openDatabaseAside(KilnConfig config) {
    CompletableFuture<Database> opened = new CompletableFuture<>();
    Thread.ofPlatform()
        .name("kiln-open-database")
        .daemon()
        .start(
            () -> {
              try {
                opened.complete(openDatabase(config));
              } catch (RuntimeException | Error e) {
                opened.completeExceptionally(e);
              }
            });
    return opened;
  }

  /** The database {@link #openDatabaseAside} opened, or what stopped it, thrown here. */
  private static Database opened(CompletableFuture<Database> opening) {
    try {
      return opening.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  private static Database openDatabase(KilnConfig config) {
    if (config.databaseUrl() == null || config.databaseUrl().isBlank()) {
      try {
        Files.createDirectories(config.dataDir());
      } catch (java.io.IOException e) {
        throw new IllegalStateException(
            "Cannot create the data directory " + config.dataDir() + ": " + e.getMessage(), e);
      }
    }
    return Database.forUrlOrDataDir(config.databaseUrl(), config.dataDir());
  }

  public int port() {
    return web.port();
  }

  /** The URL clients use: the configured public URL or {@code http://host:port}. */
  public String baseUrl() {
    return config.baseUrl(web.port());
  }

  public String authUrl() {
    return baseUrl() + IdentityApi.PREFIX + "/v3";
  }

  public IdentityBootstrap.PasswordOutcome adminPasswordOutcome() {
    return adminPassword;
  }

  /** The durable task runner later services submit their long operations to. */
  public TaskRunner tasks() {
    return tasks;
  }

  /** The in-instance agents of this cloud's servers. */
  public GuestAgents guests() {
    return guests;
  }

  /** Gives the database pool's idle connections back, for a server gone quiet. */
  public void closeIdleConnections() {
    db.closeIdleConnections();
  }

  @Override
  public void close() {
    guests.close();
    web.stop();
    tasks.close();
    db.close();
  }
}
