package dev.kiln.orchestration.engine;

import static dev.kiln.orchestration.engine.EngineHarness.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.orchestration.Stack;
import dev.kiln.orchestration.StackRequest;
import dev.kiln.orchestration.StackResource;
import dev.kiln.orchestration.StackUpdate;
import dev.kiln.orchestration.template.TemplateSource;
import dev.kiln.store.Database;
import dev.kiln.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Claims order an update's steps; failed updates and creates roll back; updates can be cancelled. */
class UpdateOrderAndRollbackTest {
  private final KeyHolder holders = new KeyHolder();
  private EngineHarness engine;

  @BeforeEach
  void setUp() {
    engine = new EngineHarness(
        Database.inMemory("heat-" + UUID.randomUUID()), List.of(new ResourceLimitPlugin()), true, List.of(holders));
  }

  @AfterEach
  void tearDown() {
    engine.close();
  }

  /** The seed's port move: {@code first} gives the key up, {@code second} (new) takes it. */
  private static String keyOn(String holder) {
    String first = holder.equals("first") ? "[{get_resource: port}]" : "[]";
    String second = holder.equals("second")
        ? """
          second:
            type: Kiln::Test::KeyHolder
            properties: {keys: [{get_resource: port}], delay: 50}
        """
        : "";
    return """
        heat_template_version: 2018-08-31
        resources:
          port:
            type: OS::Heat::TestResource
            properties: {value: the-port}
          first:
            type: Kiln::Test::KeyHolder
            properties: {keys: %s, delay: 200}
        %s
        """.formatted(first, second);
  }

  private Map<String, StackResource> byName(String id) {
    Map<String, StackResource> out = new java.util.LinkedHashMap<>();
    engine.resources(ALICE, id).forEach(r -> out.put(r.name(), r));
    return out;
  }

  @Test
  void aKeyMovedBetweenResourcesIsReleasedBeforeItIsTakenBothWaysEveryTime() {
    Stack stack = engine.create(ALICE, "move", keyOn("first"));
    engine.awaitStatus(ALICE, stack.id(), "CREATE_COMPLETE");
    String port = byName(stack.id()).get("port").physicalId();

    for (int round = 0; round < 5; round++) {
      holders.log.clear();
      engine.heat.update(ALICE, stack.id(), StackUpdateTest.put(keyOn("second")));
      engine.awaitStatus(ALICE, stack.id(), "UPDATE_COMPLETE");
      assertThat(holders.log).containsExactly("release " + port + " by first", "take " + port + " by second");

      holders.log.clear();
      engine.heat.update(ALICE, stack.id(), StackUpdateTest.put(keyOn("first")));
      engine.awaitStatus(ALICE, stack.id(), "UPDATE_COMPLETE");
      assertThat(holders.log).containsExactly("release " + port + " by second", "take " + port + " by first");
      assertThat(byName(stack.id()).get("port").physicalId()).isEqualTo(port);
    }
  }

  private static final String BASE = """
      heat_template_version: 2018-08-31
      resources:
        kept:
          type: OS::Heat::TestResource
          properties: {value: before}
        swapped:
          type: OS::Heat::TestResource
          properties: {value: same}
      """;

  private static final String FAILING = """
      heat_template_version: 2018-08-31
      resources:
        kept:
          type: OS::Heat::TestResource
          properties: {value: after}
        swapped:
          type: OS::Heat::TestResource
          properties: {value: same, update_replace: true}
        added:
          type: OS::Heat::TestResource
          properties: {value: new}
        broken:
          type: OS::Heat::TestResource
          depends_on: [kept, swapped, added]
          properties: {fail: true}
      """;

  @Test
  void aFailedUpdateRollsBackToThePreviousTemplateKeepingTheOldResources() {
    Stack stack = engine.create(ALICE, "rolled", BASE);
    engine.awaitStatus(ALICE, stack.id(), "CREATE_COMPLETE");
    Map<String, StackResource> before = byName(stack.id());

    engine.heat.update(ALICE, stack.id(),
        new StackUpdate(TemplateSource.ofText(FAILING), Map.of(), false, List.of(), null, false, null));

    Stack done = engine.awaitStatus(ALICE, stack.id(), "ROLLBACK_COMPLETE", Duration.ofSeconds(30));
    assertThat(done.statusReason()).isEqualTo("Stack ROLLBACK completed successfully");
    Map<String, StackResource> after = byName(stack.id());
    assertThat(after.keySet()).containsExactly("kept", "swapped");
    assertThat(after.get("kept").physicalId()).isEqualTo(before.get("kept").physicalId());
    assertThat(after.get("kept").resourceStatus()).isEqualTo("UPDATE_COMPLETE");
    assertThat(engine.heat.resource(ALICE, stack.id(), "kept", true).attributes().path("output").asText())
        .isEqualTo("before");
    assertThat(after.get("swapped").physicalId()).isEqualTo(before.get("swapped").physicalId());
    assertThat(engine.events(ALICE, stack.id())).extracting(e -> e.resourceName() + " " + e.resourceStatus())
        .contains(stack.name() + " UPDATE_FAILED", stack.name() + " ROLLBACK_IN_PROGRESS", "added DELETE_COMPLETE",
            "broken CREATE_FAILED");
    assertThat(engine.heat.template(ALICE, stack.id()).path("resources").has("added")).isFalse();
    assertThat(leftoverRows(stack.id())).isZero();
  }

  @Test
  void withRollbackDisabledAFailedUpdateStaysFailedAndTheNextUpdateCleansUp() {
    Stack stack = engine.create(ALICE, "kept-failed", BASE);
    engine.awaitStatus(ALICE, stack.id(), "CREATE_COMPLETE");

    engine.heat.update(ALICE, stack.id(), StackUpdateTest.put(FAILING, true));
    Stack failed = engine.awaitStatus(ALICE, stack.id(), "UPDATE_FAILED");
    assertThat(failed.statusReason()).isEqualTo(
        "Resource CREATE failed: ValueError: resources.broken: Test Resource failed broken");

    engine.heat.update(ALICE, stack.id(), StackUpdateTest.put(BASE, true));
    engine.awaitStatus(ALICE, stack.id(), "UPDATE_COMPLETE");
    assertThat(byName(stack.id()).keySet()).containsExactly("kept", "swapped");
    assertThat(leftoverRows(stack.id())).isZero();
  }

  @Test
  void aFailedCreateWithRollbackEnabledDeletesWhatItMade() {
    Stack stack = engine.heat.create(ALICE, new StackRequest("create-rollback", TemplateSource.ofText("""
        heat_template_version: 2018-08-31
        resources:
          fine:
            type: OS::Heat::TestResource
          broken:
            type: OS::Heat::TestResource
            depends_on: fine
            properties: {fail: true}
        """), Map.of(), null, false, List.of()));

    engine.awaitStatus(ALICE, stack.id(), "ROLLBACK_COMPLETE", Duration.ofSeconds(30));
    assertThat(engine.resources(ALICE, stack.id())).isEmpty();
    assertThat(engine.events(ALICE, stack.id())).extracting(e -> e.resourceName() + " " + e.resourceStatus())
        .contains("create-rollback CREATE_FAILED", "create-rollback ROLLBACK_IN_PROGRESS", "fine DELETE_COMPLETE");
  }

  private static final String SLOW = """
      heat_template_version: 2018-08-31
      resources:
        slow:
          type: OS::Heat::TestResource
          properties: {value: %s, action_wait_secs: {update: 60}}
      """;

  @Test
  void cancellingAnUpdateStopsItAndRollsBack() {
    Stack stack = engine.create(ALICE, "cancelled", SLOW.formatted("one"));
    engine.awaitStatus(ALICE, stack.id(), "CREATE_COMPLETE");
    String physical = byName(stack.id()).get("slow").physicalId();
    engine.heat.update(ALICE, stack.id(), StackUpdateTest.put(SLOW.formatted("two")));
    Await.until(() -> byName(stack.id()).get("slow").resourceStatus().equals("UPDATE_IN_PROGRESS"), "the update to start");

    long started = System.nanoTime();
    engine.heat.cancelUpdate(ALICE, stack.id(), true);

    engine.awaitStatus(ALICE, stack.id(), "ROLLBACK_COMPLETE", Duration.ofSeconds(30));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    assertThat(engine.heat.resource(ALICE, stack.id(), "slow", true).attributes().path("output").asText())
        .isEqualTo("one");
    assertThat(engine.events(ALICE, stack.id())).extracting(e -> e.resourceName() + " " + e.resourceStatus() + " " + e.reason())
        .contains("slow UPDATE_FAILED UPDATE aborted (Operation cancelled)");
    assertThat(byName(stack.id()).get("slow").physicalId()).isNotEqualTo(physical); // Heat replaces a failed one
    assertThat(leftoverRows(stack.id())).isZero();
  }

  @Test
  void cancellingWithoutRollbackLeavesTheUpdateFailed() {
    Stack stack = engine.create(ALICE, "stopped", SLOW.formatted("one"));
    engine.awaitStatus(ALICE, stack.id(), "CREATE_COMPLETE");
    engine.heat.update(ALICE, stack.id(), StackUpdateTest.put(SLOW.formatted("two")));
    Await.until(() -> byName(stack.id()).get("slow").resourceStatus().equals("UPDATE_IN_PROGRESS"), "the update to start");

    engine.heat.cancelUpdate(ALICE, stack.id(), false);

    Stack stopped = engine.awaitStatus(ALICE, stack.id(), "UPDATE_FAILED");
    assertThat(stopped.statusReason()).isEqualTo("Stack UPDATE cancelled");
    assertThat(byName(stack.id()).get("slow").resourceStatus()).isEqualTo("UPDATE_FAILED");
    // and it can be updated again
    engine.heat.update(ALICE, stack.id(), StackUpdateTest.put(SLOW.formatted("three").replace("60", "0")));
    engine.awaitStatus(ALICE, stack.id(), "UPDATE_COMPLETE");
  }

  private long leftoverRows(String stackId) {
    return engine.db.sql().count(
        "SELECT COUNT(*) FROM heat_resource WHERE stack_id = ? AND is_current = FALSE"
            + " AND NOT (action = 'DELETE' AND status = 'COMPLETE')", stackId);
  }
}
