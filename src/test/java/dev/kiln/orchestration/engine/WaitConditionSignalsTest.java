package dev.kiln.orchestration.engine;

import static dev.kiln.orchestration.engine.EngineHarness.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kiln.orchestration.Stack;
import dev.kiln.store.Database;
import dev.kiln.testing.Await;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several signals to one OS::Heat::WaitConditionHandle, counted as Heat's handle counts them: one
 * entry per signal id (a repeated id replaces its entry), a signal without an id numbered after the
 * entries so far.
 */
class WaitConditionSignalsTest {
  private static final JsonNodeFactory J = JsonNodeFactory.instance;
  private EngineHarness engine;

  @BeforeEach
  void setUp() {
    engine = new EngineHarness(Database.inMemory("heat-" + UUID.randomUUID()), List.of());
  }

  @AfterEach
  void tearDown() {
    engine.close();
  }

  private Stack waiting(String name, int count) {
    Stack stack =
        engine.create(
            ALICE,
            name,
            """
            heat_template_version: 2013-05-23
            resources:
              handle:
                type: OS::Heat::WaitConditionHandle
              wait:
                type: OS::Heat::WaitCondition
                properties: {handle: {get_resource: handle}, timeout: 60, count: %d}
            outputs:
              data:
                value: {get_attr: [wait, data]}
            """
                .formatted(count));
    Await.until(
        () -> engine.resource(ALICE, stack.id(), "wait").resourceStatus().equals("CREATE_IN_PROGRESS"),
        "the wait condition to start waiting");
    return stack;
  }

  @Test
  void aRepeatedIdCountsOnceAndUnnamedSignalsAreNumberedAfterTheEntries() throws Exception {
    Stack stack = waiting("repeated", 3);
    engine.heat.signal(ALICE, stack.id(), "handle", J.objectNode().put("status", "SUCCESS").put("id", "x").put("data", "a"));
    engine.heat.signal(ALICE, stack.id(), "handle", J.objectNode().put("status", "SUCCESS").put("id", "x").put("data", "b"));
    engine.heat.signal(ALICE, stack.id(), "handle", J.objectNode().put("status", "SUCCESS").put("data", "c"));
    assertThat(engine.heat.find(ALICE, stack.id()).stackStatus())
        .as("two entries so far (x, 2): the repeated id is not a second signal")
        .isEqualTo("CREATE_IN_PROGRESS");
    engine.heat.signal(ALICE, stack.id(), "handle", null);

    engine.awaitStatus(ALICE, stack.id(), "CREATE_COMPLETE");
    JsonNode data = new ObjectMapper().readTree(engine.heat.output(ALICE, stack.id(), "data").value().asText());
    assertThat(data.toString()).isEqualTo("{\"x\":\"b\",\"2\":\"c\",\"3\":null}");
  }

  @Test
  void eachSignalsEventNamesItsStatusAndReasonAsHeatDoes() {
    Stack stack = waiting("reasons", 2);
    engine.heat.signal(ALICE, stack.id(), "handle", J.objectNode().put("status", "SUCCESS").put("id", "1"));
    engine.heat.signal(ALICE, stack.id(), "handle", J.objectNode().put("status", "SUCCESS").put("reason", "ready"));
    engine.awaitStatus(ALICE, stack.id(), "CREATE_COMPLETE");
    assertThat(engine.events(ALICE, stack.id()).stream().map(e -> e.reason()).toList())
        .contains("Signal: status:SUCCESS reason:Signal 1 received", "Signal: status:SUCCESS reason:ready");
  }

  @Test
  void manyConcurrentSignalsWithoutIdsEachCount() {
    Stack stack = waiting("concurrent", 20);
    List<Thread> threads = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      threads.add(Thread.ofVirtual().start(() -> engine.heat.signal(ALICE, stack.id(), "handle", J.objectNode().put("status", "SUCCESS"))));
    }
    threads.forEach(t -> {
      try {
        t.join();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    engine.awaitStatus(ALICE, stack.id(), "CREATE_COMPLETE");
  }
}
