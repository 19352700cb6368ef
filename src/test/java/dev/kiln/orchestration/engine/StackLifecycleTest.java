package dev.kiln.orchestration.engine;

import static dev.kiln.orchestration.engine.EngineHarness.ALICE;
import static dev.kiln.orchestration.engine.EngineHarness.BOB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.common.ServiceException;
import dev.kiln.orchestration.Stack;
import dev.kiln.orchestration.StackEvent;
import dev.kiln.orchestration.StackResource;
import dev.kiln.store.Database;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Stacks created and deleted through the service, on an in-memory database. */
class StackLifecycleTest {
  private EngineHarness engine;

  @BeforeEach
  void setUp() {
    engine = new EngineHarness(Database.inMemory("heat-" + UUID.randomUUID()));
  }

  @AfterEach
  void tearDown() {
    engine.close();
  }

  private static final String CHAIN =
      """
      heat_template_version: 2018-08-31
      resources:
        first:
          type: OS::Heat::RandomString
          properties:
            length: 12
        second:
          type: OS::Heat::Value
          properties:
            value: {get_attr: [first, value]}
        third:
          type: OS::Heat::None
          depends_on: second
      outputs:
        secret:
          value: {get_attr: [second, value]}
        ref:
          value: {get_resource: first}
      """;

  @Test
  void createMakesEveryResourceInDependencyOrderAndResolvesOutputs() {
    Stack created = engine.create(ALICE, "chain", CHAIN);
    assertThat(created.stackStatus()).isEqualTo("CREATE_IN_PROGRESS");

    Stack done = engine.awaitStatus(ALICE, created.id(), "CREATE_COMPLETE");
    assertThat(done.statusReason()).isEqualTo("Stack CREATE completed successfully");
    List<StackResource> resources = engine.resources(ALICE, created.id());
    assertThat(resources).extracting(StackResource::resourceStatus).containsOnly("CREATE_COMPLETE");
    String secret = engine.resource(ALICE, created.id(), "first").attributes().get("value").asText();
    assertThat(secret).hasSize(12);
    Stack shown = engine.heat.get(ALICE, "chain", created.id(), true);
    assertThat(shown.outputs()).extracting(o -> o.value().asText()).containsExactly(secret, secret);
    assertThat(engine.resource(ALICE, created.id(), "first").requiredBy()).containsExactly("second");

    List<StackEvent> events = engine.events(ALICE, created.id());
    assertThat(events).extracting(e -> e.resourceName() + " " + e.resourceStatus())
        .containsSubsequence(
            "chain CREATE_IN_PROGRESS",
            "first CREATE_IN_PROGRESS",
            "first CREATE_COMPLETE",
            "second CREATE_IN_PROGRESS",
            "second CREATE_COMPLETE",
            "third CREATE_IN_PROGRESS",
            "third CREATE_COMPLETE",
            "chain CREATE_COMPLETE");
    assertThat(events).extracting(StackEvent::sequence).isSorted();
  }

  @Test
  void deleteTakesEveryResourceDownAndFreesTheName() {
    Stack created = engine.create(ALICE, "chain", CHAIN);
    engine.awaitStatus(ALICE, created.id(), "CREATE_COMPLETE");

    engine.heat.delete(ALICE, created.id());
    Stack deleted = engine.awaitStatus(ALICE, created.id(), "DELETE_COMPLETE");

    assertThat(deleted.deletedAt()).isNotNull();
    assertThat(engine.resources(ALICE, created.id())).extracting(StackResource::resourceStatus)
        .containsOnly("DELETE_COMPLETE");
    List<String> order = engine.events(ALICE, created.id()).stream()
        .filter(e -> e.resourceStatus().equals("DELETE_COMPLETE"))
        .map(StackEvent::resourceName)
        .toList();
    assertThat(order).containsExactly("third", "second", "first", "chain");
    assertThatThrownBy(() -> engine.heat.find(ALICE, "chain")).isInstanceOf(ServiceException.class);
    Stack again = engine.create(ALICE, "chain", CHAIN);
    engine.awaitStatus(ALICE, again.id(), "CREATE_COMPLETE");
  }

  @Test
  void aFailingResourceFailsTheStackWithHeatsReason() {
    Stack created = engine.create(ALICE, "failing", """
        heat_template_version: 2018-08-31
        resources:
          ok:
            type: OS::Heat::None
          bad:
            type: OS::Heat::TestResource
            properties:
              fail: true
          after:
            type: OS::Heat::None
            depends_on: bad
        """);

    Stack failed = engine.awaitStatus(ALICE, created.id(), "CREATE_FAILED");

    assertThat(failed.statusReason())
        .isEqualTo("Resource CREATE failed: ValueError: resources.bad: Test Resource failed bad");
    assertThat(engine.resource(ALICE, created.id(), "bad").statusReason())
        .isEqualTo("ValueError: resources.bad: Test Resource failed bad");
    assertThat(engine.resource(ALICE, created.id(), "after").resourceStatus()).isEqualTo("INIT_COMPLETE");
  }

  @Test
  void aSecondStackOfTheSameNameIsRefusedAndOtherProjectsSeeNothing() {
    Stack created = engine.create(ALICE, "mine", CHAIN);

    assertThatThrownBy(() -> engine.create(ALICE, "mine", CHAIN))
        .isInstanceOfSatisfying(ServiceException.class, e -> {
          assertThat(e.type()).isEqualTo("StackExists");
          assertThat(e.getMessage()).isEqualTo("The Stack (mine) already exists.");
        });
    assertThatThrownBy(() -> engine.heat.find(BOB, created.id()))
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.type()).isEqualTo("EntityNotFound"));
    assertThatThrownBy(() -> engine.heat.delete(BOB, created.id())).isInstanceOf(ServiceException.class);
    engine.create(BOB, "mine", CHAIN);
  }

  @Test
  void timeoutFailsTheStackWithHeatsMessage() {
    engine.close();
    engine = new EngineHarness(Database.inMemory("heat-" + UUID.randomUUID()), List.of(), false);
    Stack created = engine.heat.create(ALICE, EngineHarness.request("slow", """
        heat_template_version: 2018-08-31
        resources:
          slow:
            type: OS::Heat::TestResource
            properties:
              wait_secs: -1
        """, java.util.Map.of(), 1));
    // A one-minute timeout is too long for a test: move the deadline by rewriting the start.
    engine.db.sql().update("UPDATE heat_stack SET operation_started_at = ? WHERE id = ?",
        java.time.Instant.now().minusSeconds(59), created.id());
    engine.tasks.start();

    Stack failed = engine.awaitStatus(ALICE, created.id(), "CREATE_FAILED", java.time.Duration.ofSeconds(15));

    assertThat(failed.statusReason()).isEqualTo("Timed out");
    assertThat(engine.resource(ALICE, created.id(), "slow").resourceStatus()).isEqualTo("CREATE_FAILED");
    assertThat(engine.resource(ALICE, created.id(), "slow").statusReason()).isEqualTo("CREATE aborted (Timed out)");
  }
}
