package dev.kiln.orchestration.engine;

import static dev.kiln.orchestration.engine.EngineHarness.ALICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kiln.common.ServiceException;
import dev.kiln.orchestration.EventQuery;
import dev.kiln.orchestration.ResourceQuery;
import dev.kiln.orchestration.Stack;
import dev.kiln.orchestration.StackAction;
import dev.kiln.orchestration.StackEvent;
import dev.kiln.orchestration.StackStatus;
import dev.kiln.orchestration.StackRequest;
import dev.kiln.orchestration.StackResource;
import dev.kiln.orchestration.template.TemplateSource;
import dev.kiln.store.Database;
import dev.kiln.testing.Await;
import dev.kiln.testing.Race;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hooks, nested stacks, wait conditions, actions, the stack lock and the lifecycle plugpoint. */
class StackFeaturesTest {
  private static final JsonNodeFactory J = JsonNodeFactory.instance;
  private EngineHarness engine;

  @BeforeEach
  void setUp() {
    engine = new EngineHarness(Database.inMemory("heat-" + UUID.randomUUID()), List.of(new ResourceLimitPlugin(5)));
  }

  @AfterEach
  void tearDown() {
    engine.close();
  }

  private static final String HOOKED =
      """
      heat_template_version: 2018-08-31
      resources:
        first:
          type: OS::Heat::None
        second:
          type: OS::Heat::None
          depends_on: first
      """;

  @Test
  void aPreCreateHookHoldsTheResourceUntilASignalClearsIt() {
    JsonNode environment = J.objectNode().set("resource_registry",
        J.objectNode().set("resources", J.objectNode().set("first", J.objectNode().put("hooks", "pre-create"))));
    Stack stack = engine.heat.create(ALICE, new StackRequest("hooked",
        new TemplateSource(null, HOOKED, Map.of(), environment, List.of()), Map.of(), null, false, List.of()));

    Await.until(() -> engine.events(ALICE, stack.id()).stream().anyMatch(e -> e.reason() != null && e.reason().contains("paused")),
        "the hook to be reached");
    // As Heat: the create has not started, so the resource stays INIT_COMPLETE, and so does the event.
    StackResource held = engine.resource(ALICE, stack.id(), "first");
    assertThat(held.resourceStatus()).isEqualTo("INIT_COMPLETE");
    assertThat(engine.events(ALICE, stack.id()))
        .filteredOn(e -> "CREATE paused until Hook pre-create is cleared".equals(e.reason()))
        .extracting(StackEvent::resourceStatus).containsExactly("INIT_COMPLETE");
    assertThat(engine.resource(ALICE, stack.id(), "second").resourceStatus()).isEqualTo("INIT_COMPLETE");
    assertThatThrownBy(() -> engine.heat.signal(ALICE, stack.id(), "second", J.objectNode().put("unset_hook", "pre-create")))
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.type()).isEqualTo("InvalidBreakPointHook"));

    engine.heat.signal(ALICE, stack.id(), "first", J.objectNode().put("unset_hook", "pre-create"));

    engine.awaitStatus(ALICE, stack.id(), "CREATE_COMPLETE");
    assertThat(engine.events(ALICE, stack.id())).extracting(StackEvent::reason).contains("Hook pre-create is cleared");
  }

  @Test
  void aHeldHookIsStillHeldAfterARestartAndClearingItThenCarriesOn() {
    String name = "heat-" + UUID.randomUUID();
    engine.close();
    engine = new EngineHarness(Database.inMemory(name), List.of());
    JsonNode environment = J.objectNode().set("resource_registry",
        J.objectNode().set("resources", J.objectNode().set("second", J.objectNode().put("hooks", "pre-create"))));
    Stack stack = engine.heat.create(ALICE, new StackRequest("restarted",
        new TemplateSource(null, HOOKED, Map.of(), environment, List.of()), Map.of(), null, false, List.of()));
    Await.until(() -> engine.events(ALICE, stack.id()).stream().anyMatch(e -> "CREATE paused until Hook pre-create is cleared".equals(e.reason())),
        "the hook to be reached");

    engine.tasks.close(); // the node stops; its task goes back to the queue
    EngineHarness restarted = new EngineHarness(Database.inMemory(name), List.of());
    try {
      Await.until(() -> restarted.tasks.find(restartedTask(restarted, stack.id())).isPresent(), "anything");
      assertThat(restarted.heat.find(ALICE, stack.id()).stackStatus()).isEqualTo("CREATE_IN_PROGRESS");
      assertThat(restarted.resource(ALICE, stack.id(), "second").resourceStatus()).isEqualTo("INIT_COMPLETE");

      restarted.heat.signal(ALICE, stack.id(), "second", J.objectNode().put("unset_hook", "pre-create"));

      restarted.awaitStatus(ALICE, stack.id(), "CREATE_COMPLETE");
      assertThat(restarted.events(ALICE, stack.id())).extracting(StackEvent::reason)
          .filteredOn("CREATE paused until Hook pre-create is cleared"::equals).hasSize(1);
    } finally {
      restarted.tasks.close();
    }
  }

  @Test
  void aResourceBeingCreatedHasItsPropertiesStoredAlready() {
    Stack stack = engine.create(ALICE, "stored", """
        heat_template_version: 2018-08-31
        resources:
          slow:
            type: OS::Heat::TestResource
            properties:
              value: kept
              action_wait_secs: {create: 30}
        """);
    Await.until(() -> engine.resource(ALICE, stack.id(), "slow").resourceStatus().equals("CREATE_IN_PROGRESS"),
        "the create to start");
    // What a delete of a create cut short (a crash, a delete taking the stack over) needs to find
    // what that create made is on the row before the type does anything.
    var row = new dev.kiln.orchestration.store.ResourceStore(engine.db.sql()).current(stack.id(), "slow").orElseThrow();
    assertThat(row.properties()).isNotNull();
    assertThat(row.properties().path("value").asText()).isEqualTo("kept");
    engine.heat.delete(ALICE, stack.id());
    engine.awaitStatus(ALICE, stack.id(), "DELETE_COMPLETE");
  }

  private static String restartedTask(EngineHarness harness, String stackId) {
    return harness.db.sql().queryOne("SELECT id FROM task WHERE payload LIKE ?", row -> row.getString("id"),
        "%" + stackId + "%").orElseThrow();
  }

  @Test
  void aResourceGroupIsANestedStackWithItsOwnEventsAndMembers() {
    Stack stack = engine.create(ALICE, "grouped", """
        heat_template_version: 2018-08-31
        resources:
          group:
            type: OS::Heat::ResourceGroup
            properties:
              count: 3
              removal_policies: [{resource_list: ['1']}]
              resource_def:
                type: OS::Heat::Value
                properties: {value: member-%index%}
        outputs:
          values:
            value: {get_attr: [group, attributes, value]}
          refs:
            value: {get_attr: [group, refs]}
        """);

    engine.awaitStatus(ALICE, stack.id(), "CREATE_COMPLETE");
    StackResource group = engine.resource(ALICE, stack.id(), "group");
    assertThat(group.nestedStackId()).isEqualTo(group.physicalId()).isNotBlank();
    List<StackResource> nested = engine.heat.resources(ALICE, stack.id(), new ResourceQuery(1, false, Map.of()));
    assertThat(nested).extracting(StackResource::name).containsExactlyInAnyOrder("group", "0", "2", "3");
    assertThat(nested).filteredOn(r -> !r.name().equals("group"))
        .extracting(StackResource::parentResourceName).containsOnly("group");
    Stack child = engine.heat.find(ALICE, group.nestedStackId());
    assertThat(child.parentId()).isEqualTo(stack.id());
    assertThat(engine.events(ALICE, child.id())).isNotEmpty();
    JsonNode values = engine.heat.output(ALICE, stack.id(), "values").value();
    assertThat(values.toString()).isEqualTo("{\"0\":\"member-0\",\"2\":\"member-2\",\"3\":\"member-3\"}");

    engine.heat.delete(ALICE, stack.id());
    engine.awaitStatus(ALICE, stack.id(), "DELETE_COMPLETE");
    assertThat(engine.heat.find(ALICE, child.id()).stackStatus()).isEqualTo("DELETE_COMPLETE");
  }

  @Test
  void aFailingNestedResourceFailsTheParentNamingThePath() {
    Stack stack = engine.create(ALICE, "nestedfail", """
        heat_template_version: 2018-08-31
        resources:
          group:
            type: OS::Heat::ResourceGroup
            properties:
              count: 1
              resource_def:
                type: OS::Heat::TestResource
                properties: {fail: true}
        """);

    Stack failed = engine.awaitStatus(ALICE, stack.id(), "CREATE_FAILED");
    assertThat(failed.statusReason())
        .isEqualTo("Resource CREATE failed: ValueError: resources.group.resources[0]: Test Resource failed 0");
  }

  @Test
  void aWaitConditionCompletesWhenItsHandleIsSignalled() {
    Stack stack = engine.create(ALICE, "waiting", """
        heat_template_version: 2018-08-31
        resources:
          handle:
            type: OS::Heat::WaitConditionHandle
          wait:
            type: OS::Heat::WaitCondition
            properties:
              handle: {get_resource: handle}
              timeout: 60
              count: 2
        outputs:
          data:
            value: {get_attr: [wait, data]}
          curl:
            value: {get_attr: [handle, curl_cli]}
        """);
    Await.until(() -> engine.resource(ALICE, stack.id(), "wait").resourceStatus().equals("CREATE_IN_PROGRESS"),
        "the wait condition to start waiting");

    engine.heat.signal(ALICE, stack.id(), "handle", J.objectNode().put("status", "SUCCESS").put("data", "one"));
    assertThat(engine.heat.find(ALICE, stack.id()).stackStatus()).isEqualTo("CREATE_IN_PROGRESS");
    engine.heat.signal(ALICE, stack.id(), "handle", J.objectNode().put("data", "two").put("id", "b"));

    engine.awaitStatus(ALICE, stack.id(), "CREATE_COMPLETE");
    assertThat(engine.heat.output(ALICE, stack.id(), "data").value().asText()).isEqualTo("{\"1\":\"one\",\"b\":\"two\"}");
    assertThat(engine.heat.output(ALICE, stack.id(), "curl").value().asText())
        .startsWith("curl -i -X POST -H 'X-Auth-Token: ")
        .endsWith("/heat-api/v1/project-a/stacks/waiting/" + stack.id() + "/resources/handle/signal");
    assertThatThrownBy(() -> engine.heat.signal(ALICE, stack.id(), "handle", J.objectNode().put("status", "BAD")))
        .isInstanceOf(ServiceException.class);
  }

  @Test
  void aFailureSignalFailsTheWaitCondition() {
    Stack stack = engine.create(ALICE, "waitfail", """
        heat_template_version: 2018-08-31
        resources:
          handle:
            type: OS::Heat::WaitConditionHandle
          wait:
            type: OS::Heat::WaitCondition
            properties: {handle: {get_resource: handle}, timeout: 60}
        """);
    Await.until(() -> engine.resource(ALICE, stack.id(), "wait").resourceStatus().equals("CREATE_IN_PROGRESS"),
        "the wait condition to start waiting");

    engine.heat.signal(ALICE, stack.id(), "handle", J.objectNode().put("status", "FAILURE").put("reason", "broken"));

    Stack failed = engine.awaitStatus(ALICE, stack.id(), "CREATE_FAILED");
    assertThat(failed.statusReason()).isEqualTo("Resource CREATE failed: WaitConditionFailure: resources.wait: broken");
  }

  @Test
  void nestedStacksAndChainsRunAsChildren() {
    Stack stack = engine.create(ALICE, "nesting", """
        heat_template_version: 2018-08-31
        resources:
          inner:
            type: OS::Heat::Stack
            properties:
              parameters: {greeting: hello}
              template: |
                heat_template_version: 2018-08-31
                parameters:
                  greeting: {type: string}
                resources:
                  v:
                    type: OS::Heat::Value
                    properties: {value: {get_param: greeting}}
                outputs:
                  said:
                    value: {get_attr: [v, value]}
          chain:
            type: OS::Heat::ResourceChain
            properties:
              resources: [OS::Heat::None, OS::Heat::None]
        outputs:
          said:
            value: {get_attr: [inner, outputs, said]}
        """);

    engine.awaitStatus(ALICE, stack.id(), "CREATE_COMPLETE");
    assertThat(engine.heat.output(ALICE, stack.id(), "said").value().asText()).isEqualTo("hello");
    assertThat(engine.heat.resources(ALICE, stack.id(), new ResourceQuery(2, false, Map.of())))
        .extracting(StackResource::name).containsExactlyInAnyOrder("inner", "chain", "v", "0", "1");
  }

  @Test
  void aProviderTemplateRunsAsANestedStackWithThePropertiesAsParameters() {
    String provider = """
        heat_template_version: 2018-08-31
        parameters:
          size: {type: number}
        resources:
          r:
            type: OS::Heat::RandomString
            properties: {length: {get_param: size}}
        outputs:
          secret:
            value: {get_attr: [r, value]}
        """;
    Stack stack = engine.heat.create(ALICE, new StackRequest("provided", new TemplateSource(null, """
        heat_template_version: 2018-08-31
        resources:
          mine:
            type: thing.yaml
            properties: {size: 7}
        outputs:
          secret:
            value: {get_attr: [mine, secret]}
        """, Map.of("thing.yaml", provider), null, List.of()), Map.of(), null, false, List.of()));

    engine.awaitStatus(ALICE, stack.id(), "CREATE_COMPLETE");
    assertThat(engine.heat.output(ALICE, stack.id(), "secret").value().asText()).hasSize(7);
  }

  @Test
  void suspendResumeAndCheckRunOverEveryResource() {
    Stack stack = engine.create(ALICE, "acting", HOOKED);
    engine.awaitStatus(ALICE, stack.id(), "CREATE_COMPLETE");

    engine.heat.act(ALICE, stack.id(), StackAction.SUSPEND);
    engine.awaitStatus(ALICE, stack.id(), "SUSPEND_COMPLETE");
    assertThat(engine.resources(ALICE, stack.id())).extracting(StackResource::resourceStatus).containsOnly("SUSPEND_COMPLETE");
    engine.heat.act(ALICE, stack.id(), StackAction.RESUME);
    engine.awaitStatus(ALICE, stack.id(), "RESUME_COMPLETE");
    engine.heat.act(ALICE, stack.id(), StackAction.CHECK);
    engine.awaitStatus(ALICE, stack.id(), "CHECK_COMPLETE");

    engine.heat.markUnhealthy(ALICE, stack.id(), "first", true, "it broke");
    StackResource broken = engine.resource(ALICE, stack.id(), "first");
    assertThat(broken.resourceStatus()).isEqualTo("CHECK_FAILED");
    assertThat(broken.statusReason()).isEqualTo("it broke");
  }

  @Test
  void concurrentOperationsOnOneStackHaveOneWinnerAndTheRestAre409() {
    Stack stack = engine.create(ALICE, "raced", """
        heat_template_version: 2018-08-31
        resources:
          slow:
            type: OS::Heat::TestResource
            properties: {action_wait_secs: {delete: 1}}
        """);
    engine.awaitStatus(ALICE, stack.id(), "CREATE_COMPLETE");

    List<String> outcomes = Race.run(8, i -> {
      try {
        if (i % 2 == 0) {
          engine.heat.act(ALICE, stack.id(), StackAction.SUSPEND);
        } else {
          engine.heat.act(ALICE, stack.id(), StackAction.CHECK);
        }
        return "won";
      } catch (ServiceException e) {
        return e.type();
      }
    });

    // Operations this quick may finish before a late racer arrives, so a later one may win too;
    // what must hold is that none ran while another was in progress, and the rest were refused.
    long won = outcomes.stream().filter("won"::equals).count();
    assertThat(won).isPositive();
    assertThat(outcomes).filteredOn(o -> !o.equals("won")).containsOnly("ActionInProgress");
    Await.until(() -> stackOperations(stack.id()).size() == 2 * (int) won, "every won operation finished");
    List<StackEvent> operations = stackOperations(stack.id());
    for (int i = 0; i < operations.size(); i += 2) {
      StackEvent begun = operations.get(i);
      StackEvent ended = operations.get(i + 1);
      assertThat(begun.status()).as("event %d of %s", i, operations).isEqualTo(StackStatus.IN_PROGRESS);
      assertThat(ended.status()).as("event %d of %s", i + 1, operations).isNotEqualTo(StackStatus.IN_PROGRESS);
      assertThat(ended.action()).isEqualTo(begun.action());
    }
  }

  /** The stack's own SUSPEND and CHECK events, in the order they were recorded. */
  private List<StackEvent> stackOperations(String stackId) {
    return engine.events(ALICE, stackId).stream()
        .filter(e -> e.resourceName().equals(e.stackName()))
        .filter(e -> e.action() == StackAction.SUSPEND || e.action() == StackAction.CHECK)
        .sorted(java.util.Comparator.comparingLong(StackEvent::sequence))
        .toList();
  }

  @Test
  void aLifecyclePluginRefusalFailsTheOperationWithItsMessage() {
    Stack stack = engine.create(ALICE, "toobig", HeatBenchTemplates.independent(6));

    Stack failed = engine.awaitStatus(ALICE, stack.id(), "CREATE_FAILED");

    assertThat(failed.statusReason())
        .isEqualTo("Maximum resources per stack exceeded: the stack has 6 resources, the limit is 5.");
    assertThat(engine.resources(ALICE, stack.id())).extracting(StackResource::resourceStatus).containsOnly("INIT_COMPLETE");
  }

  @Test
  void eventsFilterSortAndPage() {
    Stack stack = engine.create(ALICE, "evented", HOOKED);
    engine.awaitStatus(ALICE, stack.id(), "CREATE_COMPLETE");

    List<StackEvent> all = engine.events(ALICE, stack.id());
    List<StackEvent> completes = engine.heat.events(ALICE, stack.id(),
        new EventQuery(null, Map.of("resource_status", List.of("COMPLETE")), List.of(), null, null, null, 0));
    List<StackEvent> page = engine.heat.events(ALICE, stack.id(),
        new EventQuery(null, Map.of(), List.of(), null, 2, all.get(1).id(), 0));
    List<StackEvent> newestFirst = engine.heat.events(ALICE, stack.id(),
        new EventQuery(null, Map.of(), List.of(), "desc", 1, null, 0));
    List<StackEvent> ofFirst = engine.heat.events(ALICE, stack.id(),
        new EventQuery("first", Map.of(), List.of(), null, null, null, 0));

    assertThat(completes).extracting(StackEvent::resourceStatus).containsOnly("CREATE_COMPLETE").hasSize(3);
    assertThat(page).extracting(StackEvent::id).containsExactly(all.get(2).id(), all.get(3).id());
    assertThat(newestFirst).extracting(StackEvent::id).containsExactly(all.getLast().id());
    assertThat(ofFirst).extracting(StackEvent::resourceName).containsOnly("first").hasSize(2);
  }
}
