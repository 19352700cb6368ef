package dev.kiln.orchestration.engine;

import static dev.kiln.orchestration.engine.EngineHarness.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.orchestration.Stack;
import dev.kiln.orchestration.StackEvent;
import dev.kiln.store.Database;
import dev.kiln.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Heat's delete of a stack whose operation is in progress: not a 409, but a delete that takes the
 * stack over, stops the running operation and deletes everything it made — also when the node
 * dies right after the delete was accepted.
 */
class StackDeleteTakeOverTest {
  private static final String SLOW =
      """
      heat_template_version: 2018-08-31
      resources:
        made:
          type: Kiln::Test::SlowMaker
          properties: {make_first: true}
        notyet:
          type: Kiln::Test::SlowMaker
        quick:
          type: OS::Heat::None
        after:
          type: OS::Heat::None
          depends_on: made
      """;

  private final SlowMaker maker = new SlowMaker();
  private final String name = "heat-" + UUID.randomUUID();
  private EngineHarness engine;

  @AfterEach
  void tearDown() {
    if (engine != null) {
      engine.close();
    }
  }

  private EngineHarness node(boolean start) {
    return new EngineHarness(Database.inMemory(name), List.of(), start, List.of(maker));
  }

  private static void awaitWaiting(EngineHarness harness, String stackId) {
    Await.until(
        () -> harness.resource(ALICE, stackId, "made").resourceStatus().equals("CREATE_IN_PROGRESS")
            && harness.resource(ALICE, stackId, "notyet").resourceStatus().equals("CREATE_IN_PROGRESS")
            && harness.resource(ALICE, stackId, "quick").resourceStatus().equals("CREATE_COMPLETE"),
        "the slow resources to be waiting");
  }

  @Test
  void deletingAStackWhoseCreateWaitsStopsTheCreateAndDeletesWhatItMade() {
    engine = node(true);
    Stack stack = engine.create(ALICE, "slow", SLOW);
    awaitWaiting(engine, stack.id());
    assertThat(maker.things).hasSize(1);

    long start = System.nanoTime();
    engine.heat.delete(ALICE, stack.id());

    Stack deleted = engine.awaitStatus(ALICE, stack.id(), "DELETE_COMPLETE", Duration.ofSeconds(20));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
    assertThat(deleted.statusReason()).isEqualTo("Stack DELETE completed successfully");
    assertThat(maker.things).as("things left behind").isEmpty();
    List<StackEvent> events = engine.events(ALICE, stack.id());
    assertThat(events).extracting(e -> e.resourceName() + " " + e.resourceStatus() + " " + e.reason())
        .contains("made CREATE_FAILED CREATE aborted (Operation cancelled)", "slow DELETE_IN_PROGRESS Stack DELETE started")
        .doesNotContain("made CREATE_COMPLETE state changed", "after CREATE_IN_PROGRESS state changed");
    // The create never finishes after the delete: its task was fenced off.
    Await.pause();
    assertThat(engine.heat.find(ALICE, stack.id()).stackStatus()).isEqualTo("DELETE_COMPLETE");
    assertThat(maker.things).isEmpty();
  }

  @Test
  void aDeleteThatTookOverWinsAfterTheNodeDies() {
    engine = node(true);
    Stack stack = engine.create(ALICE, "slow", SLOW);
    awaitWaiting(engine, stack.id());
    engine.tasks.close(); // the node running the create dies

    // Another node accepts the delete and dies before its task runs.
    EngineHarness accepting = node(false);
    accepting.heat.delete(ALICE, stack.id());
    assertThat(accepting.heat.find(ALICE, stack.id()).stackStatus()).isEqualTo("DELETE_IN_PROGRESS");
    accepting.tasks.close();

    EngineHarness restarted = node(true);
    try {
      restarted.awaitStatus(ALICE, stack.id(), "DELETE_COMPLETE", Duration.ofSeconds(30));
      assertThat(maker.things).as("things left behind").isEmpty();
      assertThat(restarted.events(ALICE, stack.id())).extracting(e -> e.resourceName() + " " + e.resourceStatus())
          .doesNotContain("made CREATE_COMPLETE", "notyet CREATE_COMPLETE", "slow CREATE_COMPLETE");
    } finally {
      restarted.tasks.close();
    }
  }

  @Test
  void deletingAStackWhoseUpdateWaitsTakesItOverAndASecondDeleteIsAccepted() {
    engine = node(true);
    Stack stack = engine.create(ALICE, "updated", """
        heat_template_version: 2018-08-31
        resources:
          slow:
            type: OS::Heat::TestResource
            properties: {value: a, action_wait_secs: {update: -1, delete: 2}}
        """);
    engine.awaitStatus(ALICE, stack.id(), "CREATE_COMPLETE");
    engine.heat.update(ALICE, stack.id(), new dev.kiln.orchestration.StackUpdate(
        dev.kiln.orchestration.template.TemplateSource.ofText("""
            heat_template_version: 2018-08-31
            resources:
              slow:
                type: OS::Heat::TestResource
                properties: {value: b, action_wait_secs: {update: -1, delete: 2}}
            """), java.util.Map.of(), false, List.of(), null, null, null));
    Await.until(() -> engine.resource(ALICE, stack.id(), "slow").resourceStatus().equals("UPDATE_IN_PROGRESS"),
        "the update to wait");

    // The resource's delete takes 2 s, so the second delete comes while the first is under way
    // (an instant delete could be complete, and the stack gone, before the second call).
    engine.heat.delete(ALICE, stack.id());
    engine.heat.delete(ALICE, stack.id());

    engine.awaitStatus(ALICE, stack.id(), "DELETE_COMPLETE", Duration.ofSeconds(20));
  }
}
