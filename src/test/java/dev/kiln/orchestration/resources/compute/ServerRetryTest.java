package dev.kiln.orchestration.resources.compute;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.compute.ComputeService;
import dev.kiln.compute.ServerServices;
import dev.kiln.compute.TestVolumes;
import dev.kiln.compute.fleet.FleetConfig;
import dev.kiln.compute.servers.Servers;
import dev.kiln.identity.Directory;
import dev.kiln.identity.PasswordHasher;
import dev.kiln.image.ImageService;
import dev.kiln.network.NetworkService;
import dev.kiln.network.Networks;
import dev.kiln.network.Subnets;
import dev.kiln.orchestration.resources.Cloud;
import dev.kiln.orchestration.resources.NestedStacks;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.ResourceState;
import dev.kiln.orchestration.template.ResolvedType;
import dev.kiln.orchestration.template.TemplateSource;
import dev.kiln.store.Database;
import dev.kiln.tasks.TaskRunner;
import dev.kiln.tasks.TaskSettings;
import dev.kiln.volume.VolumeService;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server create repeated after a crash lost its outcome (no physical id, no data recorded)
 * adopts the server and the port the first attempt made, and a delete of a row that never
 * recorded its physical id still removes both: the marks on them are what the retry finds.
 */
class ServerRetryTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Actor OWNER = new Actor("retry-project", "retry-user", false);
  private static final Actor EVERYONE = new Actor(null, null, true);

  @TempDir Path dir;
  private Database db;
  private TaskRunner tasks;
  private Cloud cloud;

  @BeforeEach
  void start() {
    db = Database.embedded(dir);
    Clock clock = Clock.systemUTC();
    IdGenerator ids = IdGenerator.random();
    SecureRandom random = new SecureRandom();
    tasks =
        new TaskRunner(db, clock, ids, "retry-node",
            new TaskSettings(
                Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofMillis(20), Duration.ofMillis(200), 5, 64,
                Duration.ofSeconds(2)));
    ComputeService compute = ComputeService.start(db, clock, ids, random, FleetConfig.defaults(List.of("kiln-compute-1")));
    NetworkService network = NetworkService.create(db, clock, ids, random, compute.fleet());
    ImageService image = ImageService.create(db, clock, ids, dir);
    image.images().seedDefaultImage("admin-project");
    VolumeService volume = TestVolumes.create(db, clock, ids, tasks);
    ServerServices servers = ServerServices.create(db, clock, ids, random, compute, network, image, volume, tasks);
    cloud = new Cloud(compute, servers, network, volume, image, new Directory(db, clock, ids, new PasswordHasher(1000, random)));
    String net = network.networks().create(OWNER, new Networks.Spec(null, "private", null, null, null, null, null, null)).id();
    network.subnets().create(
        OWNER, new Subnets.Spec(null, net, "sub", null, 4, "10.6.0.0/24", false, null, null, null, null, null, null, null));
    tasks.start();
  }

  @AfterEach
  void stop() {
    tasks.close();
    db.close();
  }

  @Test
  void repeatedCreateAdoptsTheServerAndPortAndALostDeleteStillRemovesThem() throws Exception {
    ServerResource type = new ServerResource(cloud);
    Context context =
        new Context("web", "{\"image\": \"cirros\", \"flavor\": \"m1.tiny\", \"networks\": [{\"network\": \"private\"}]}");
    type.create(context);
    String first = context.physicalId();
    String port = onlyPortId();

    type.create(context.lostOutcome());
    assertThat(context.physicalId()).isEqualTo(first);
    assertThat(servers()).hasSize(1);
    assertThat(onlyPortId()).isEqualTo(port);

    type.delete(context.lostOutcome());
    assertThat(servers()).isEmpty();
    assertThat(cloud.network().ports().list(OWNER)).isEmpty();
    type.delete(context); // already gone: fine
  }

  private List<?> servers() {
    return cloud.servers().servers()
        .list(OWNER, new Servers.Query(false, null, null, null, null), null, null).servers();
  }

  private String onlyPortId() {
    var ports = cloud.network().ports().list(EVERYONE).stream().filter(p -> !p.deviceOwner().startsWith("network:")).toList();
    assertThat(ports).hasSize(1);
    return ports.getFirst().id();
  }

  /** One resource's step, as the engine gives it; {@link #lostOutcome} is the retry after a crash. */
  private static final class Context implements ResourceContext {
    private final String id = UUID.randomUUID().toString();
    private final String name;
    private final JsonNode properties;
    private final Instant started = Instant.now();
    private ObjectNode data = JSON.createObjectNode();
    private String physicalId;

    Context(String name, String properties) throws Exception {
      this.name = name;
      this.properties = JSON.readTree(properties);
    }

    Context lostOutcome() {
      physicalId = null;
      data = JSON.createObjectNode();
      return this;
    }

    @Override public String id() { return id; }
    @Override public String name() { return name; }
    @Override public String stackId() { return "stack-id"; }
    @Override public String stackName() { return "retry"; }
    @Override public String physicalName() { return "retry-" + name + "-abcdefghijkl"; }
    @Override public Actor owner() { return OWNER; }
    @Override public JsonNode properties() { return properties; }
    @Override public String physicalId() { return physicalId; }
    @Override public void physicalId(String physicalId) { this.physicalId = physicalId; }
    @Override public ObjectNode data() { return data; }
    @Override public RandomGenerator random() { return new Random(1); }
    @Override public Clock clock() { return Clock.systemUTC(); }
    @Override public Instant deadline() { return started.plusSeconds(60); }
    @Override public NestedStacks nested() { throw new UnsupportedOperationException(); }
    @Override public ResolvedType implementation() { return null; }
    @Override public TemplateSource nestedSource(JsonNode template) { throw new UnsupportedOperationException(); }
    @Override public Instant startedAt() { return started; }
    @Override public String signalUrl() { return ""; }
    @Override public Optional<ResourceState> siblingByReference(String reference) { return Optional.empty(); }
    @Override public ResourceState sibling(String name) { throw new UnsupportedOperationException(); }
    @Override public boolean awaitSignal(List<String> watched, Instant until) { return false; }
  }
}
