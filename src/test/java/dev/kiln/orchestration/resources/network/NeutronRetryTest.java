package dev.kiln.orchestration.resources.network;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.network.NetworkService;
import dev.kiln.orchestration.resources.NestedStacks;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.ResourceState;
import dev.kiln.orchestration.template.ResolvedType;
import dev.kiln.orchestration.template.TemplateSource;
import dev.kiln.store.Database;
import java.nio.file.Path;
import java.time.Clock;
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
 * A create repeated after a crash lost its outcome (the physical id was never recorded) adopts what
 * the first attempt made instead of making a second one, and a delete of a row that never recorded
 * its physical id still removes what was made.
 */
class NeutronRetryTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Actor OWNER = new Actor("retry-project", "retry-user", false);

  @TempDir Path dir;
  private Database db;
  private NetworkService net;
  private Neutron neutron;

  @BeforeEach
  void start() {
    db = Database.embedded(dir);
    net = NetworkService.create(db, Clock.systemUTC(), IdGenerator.random(), new Random(7), host -> true);
    neutron = new Neutron(net);
  }

  @AfterEach
  void stop() {
    db.close();
  }

  @Test
  void repeatedCreatesAdoptTheMarkedNetworkSubnetAndPort() throws Exception {
    Context netContext = new Context("net", "{\"name\": \"retry-net\"}");
    new NetResource(neutron).create(netContext);
    new NetResource(neutron).create(netContext.lostOutcome());
    assertThat(netContext.physicalId()).isEqualTo(netContext.firstId);
    assertThat(net.networks().list(OWNER)).hasSize(1);

    Context subnet = new Context("subnet", "{\"network\": \"" + netContext.physicalId() + "\", \"cidr\": \"10.9.0.0/24\"}");
    new SubnetResource(neutron).create(subnet);
    new SubnetResource(neutron).create(subnet.lostOutcome());
    assertThat(subnet.physicalId()).isEqualTo(subnet.firstId);
    assertThat(net.subnets().list(OWNER)).hasSize(1);

    Context port = new Context("port", "{\"network\": \"" + netContext.physicalId() + "\"}");
    new PortResource(neutron).create(port);
    new PortResource(neutron).create(port.lostOutcome());
    assertThat(port.physicalId()).isEqualTo(port.firstId);
    assertThat(net.ports().list(OWNER)).hasSize(1);
    assertThat(net.tags().of(port.physicalId())).containsExactly(Neutron.mark(port.id()));

    // A delete whose row never recorded the id finds the port by its mark; a second delete is fine.
    new PortResource(neutron).delete(port.lostOutcome());
    new PortResource(neutron).delete(port);
    assertThat(net.ports().list(OWNER)).isEmpty();
  }

  @Test
  void repeatedCreatesAdoptTheGroupAndRouterMadeSinceTheActionBegan() throws Exception {
    Context group = new Context("sg", "{\"rules\": [{\"protocol\": \"tcp\", \"port_range_min\": 22, \"port_range_max\": 22}]}");
    new SecurityGroupResource(neutron).create(group);
    net.tags().removeAll(OWNER, "security_groups", group.physicalId()); // as if it crashed before marking
    new SecurityGroupResource(neutron).create(group.lostOutcome());
    assertThat(group.physicalId()).isEqualTo(group.firstId);
    assertThat(net.securityGroups().list(OWNER, null).stream().filter(g -> !g.isDefault())).hasSize(1);
    assertThat(net.securityGroups().get(OWNER, group.physicalId()).rules()).hasSize(3);

    Context router = new Context("router", "{}");
    new RouterResource(neutron).create(router);
    new RouterResource(neutron).create(router.lostOutcome());
    assertThat(router.physicalId()).isEqualTo(router.firstId);
    assertThat(net.routers().list(OWNER)).hasSize(1);
  }

  /** One resource's step, as the engine gives it; {@link #lostOutcome} is the retry after a crash. */
  private static final class Context implements ResourceContext {
    private final String id = UUID.randomUUID().toString();
    private final String name;
    private final JsonNode properties;
    private final Instant started = Instant.now();
    private ObjectNode data = JSON.createObjectNode();
    private String physicalId;
    String firstId;

    Context(String name, String properties) throws Exception {
      this.name = name;
      this.properties = JSON.readTree(properties);
    }

    Context lostOutcome() {
      firstId = physicalId;
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
