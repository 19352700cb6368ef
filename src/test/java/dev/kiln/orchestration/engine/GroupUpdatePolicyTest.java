package dev.kiln.orchestration.engine;

import static dev.kiln.orchestration.engine.EngineHarness.ALICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.common.ServiceException;
import dev.kiln.orchestration.Stack;
import dev.kiln.orchestration.StackEvent;
import dev.kiln.orchestration.StackResource;
import dev.kiln.orchestration.StackUpdate;
import dev.kiln.orchestration.template.TemplateSource;
import dev.kiln.store.Database;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A resource group's {@code update_policy}, end to end through the engine: {@code batch_create}
 * makes the members a batch at a time, {@code rolling_update} takes a changed definition to them a
 * batch at a time without going under {@code min_in_service}. The batches are read back from the
 * child stack's events, in the order they were recorded.
 */
class GroupUpdatePolicyTest {
  private EngineHarness engine;

  @BeforeEach
  void setUp() {
    engine = new EngineHarness(Database.inMemory("heat-" + UUID.randomUUID()));
  }

  @AfterEach
  void tearDown() {
    engine.close();
  }

  private static String group(int count, String policy, String memberProperties) {
    return """
        heat_template_version: 2015-04-30
        resources:
          g:
            type: OS::Heat::ResourceGroup
            update_policy: %s
            properties:
              count: %d
              resource_def:
                type: OS::Heat::TestResource
                properties: %s
        """.formatted(policy, count, memberProperties);
  }

  /** Members that take a moment to make, so that members made together overlap. */
  private static final String SLOW = "{value: v, wait_secs: 0.3}";

  private Stack created(String yaml) {
    Stack stack = engine.create(ALICE, "g" + UUID.randomUUID().toString().substring(0, 8), yaml);
    return engine.awaitStatus(ALICE, stack.id(), "CREATE_COMPLETE");
  }

  private String child(Stack stack) {
    return engine.resources(ALICE, stack.id()).stream().filter(r -> r.name().equals("g")).findFirst().orElseThrow()
        .physicalId();
  }

  private List<StackEvent> memberEvents(String childId) {
    List<StackEvent> events = new ArrayList<>(engine.events(ALICE, childId));
    events.sort(Comparator.comparingLong(StackEvent::sequence));
    return events.stream().filter(e -> !e.resourceName().equals(e.stackName())).toList();
  }

  /** The members each CREATE_IN_PROGRESS run started, a run ending when a member's create completes. */
  private static List<Set<String>> createWaves(List<StackEvent> events) {
    List<Set<String>> waves = new ArrayList<>();
    Set<String> wave = null;
    boolean completedSince = true;
    for (StackEvent e : events) {
      if (e.action().name().equals("CREATE") && e.status().name().equals("IN_PROGRESS")) {
        if (completedSince) {
          wave = new HashSet<>();
          waves.add(wave);
          completedSince = false;
        }
        wave.add(e.resourceName());
      } else if (e.action().name().equals("CREATE") && e.status().name().equals("COMPLETE")) {
        completedSince = true;
      }
    }
    return waves;
  }

  @Test
  void batchCreateMakesTheMembersAFewAtATimeInIndexOrderWithThePauseBetween() {
    Stack stack = created(group(5, "{batch_create: {max_batch_size: 2, pause_time: 0.4}}", SLOW));

    String childId = child(stack);
    List<StackEvent> events = memberEvents(childId);
    assertThat(createWaves(events)).containsExactly(Set.of("0", "1"), Set.of("2", "3"), Set.of("4"));
    // Every member of a batch is complete before the next batch starts, and the pause lies between.
    for (String[] pair : new String[][] {{"1", "2"}, {"3", "4"}}) {
      StackEvent done = event(events, pair[0], "CREATE_COMPLETE");
      StackEvent next = event(events, pair[1], "CREATE_IN_PROGRESS");
      assertThat(next.sequence()).isGreaterThan(done.sequence());
      assertThat(Duration.between(done.time(), next.time())).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }
    assertThat(engine.resources(ALICE, childId)).extracting(StackResource::name)
        .containsExactlyInAnyOrder("0", "1", "2", "3", "4");
    // As Heat: the child was made empty and grown by updates.
    assertThat(engine.heat.find(ALICE, childId).stackStatus()).isEqualTo("UPDATE_COMPLETE");
  }

  @Test
  void withoutAPolicyAllMembersAreMadeAtOnce() {
    Stack stack = created(group(3, "{}", SLOW));

    assertThat(createWaves(memberEvents(child(stack)))).containsExactly(Set.of("0", "1", "2"));
  }

  @Test
  void rollingUpdateReplacesInBatchesAndKeepsMinInService() {
    Stack stack = created(group(4, "{rolling_update: {min_in_service: 3, max_batch_size: 2}}", "{value: old}"));
    String childId = child(stack);
    int before = memberEvents(childId).size();

    engine.heat.update(ALICE, stack.id(), new StackUpdate(
        TemplateSource.ofText(group(4, "{rolling_update: {min_in_service: 3, max_batch_size: 2}}",
            "{value: new-%index%, update_replace: true}")),
        Map.of(), false, List.of(), null, true, null));
    engine.awaitStatus(ALICE, stack.id(), "UPDATE_COMPLETE");

    List<StackEvent> update = memberEvents(childId).subList(before, memberEvents(childId).size());
    // In service: made and not being deleted. Never fewer than min_in_service during the update.
    int inService = 4;
    int least = inService;
    int most = inService;
    for (StackEvent e : update) {
      if (e.resourceStatus().equals("CREATE_COMPLETE")) {
        inService++;
      } else if (e.resourceStatus().equals("DELETE_IN_PROGRESS")) {
        inService--;
      }
      least = Math.min(least, inService);
      most = Math.max(most, inService);
    }
    assertThat(least).isGreaterThanOrEqualTo(3);
    assertThat(most).as("the group grows first, to keep 3 in service").isGreaterThan(4);
    // Three batches (5 members with 2 new, 5 with 4 new, 4 with all new), as Heat's rolling update.
    long childUpdates = engine.events(ALICE, childId).stream()
        .filter(e -> e.resourceName().equals(e.stackName()) && e.resourceStatus().equals("UPDATE_IN_PROGRESS"))
        .count();
    assertThat(childUpdates).isEqualTo(3);
    Map<String, String> values = new TreeMap<>();
    for (StackResource r : engine.resources(ALICE, childId)) {
      values.put(r.name(), engine.heat.resource(ALICE, childId, r.name(), true).attributes().path("output").asText());
    }
    assertThat(values).containsExactly(
        Map.entry("0", "new-0"), Map.entry("1", "new-1"), Map.entry("2", "new-2"), Map.entry("3", "new-3"));
  }

  @Test
  void rollingUpdateChangesTheHighestIndexFirstOneBatchAtATime() {
    Stack stack = created(group(3, "{rolling_update: {max_batch_size: 1}}", "{value: old}"));
    String childId = child(stack);
    int before = memberEvents(childId).size();

    engine.heat.update(ALICE, stack.id(), new StackUpdate(
        TemplateSource.ofText(group(3, "{rolling_update: {max_batch_size: 1}}", "{value: new}")),
        Map.of(), false, List.of(), null, true, null));
    engine.awaitStatus(ALICE, stack.id(), "UPDATE_COMPLETE");

    List<String> updates = memberEvents(childId).subList(before, memberEvents(childId).size()).stream()
        .filter(e -> e.action().name().equals("UPDATE"))
        .map(e -> e.resourceName() + " " + e.status())
        .toList();
    assertThat(updates).containsExactly(
        "2 IN_PROGRESS", "2 COMPLETE", "1 IN_PROGRESS", "1 COMPLETE", "0 IN_PROGRESS", "0 COMPLETE");
  }

  @Test
  void aCountChangeAloneIsNoRollingUpdate() {
    Stack stack = created(group(2, "{rolling_update: {max_batch_size: 1}}", "{value: v}"));
    String childId = child(stack);

    engine.heat.update(ALICE, stack.id(), new StackUpdate(
        TemplateSource.ofText(group(4, "{rolling_update: {max_batch_size: 1}}", "{value: v}")),
        Map.of(), false, List.of(), null, true, null));
    engine.awaitStatus(ALICE, stack.id(), "UPDATE_COMPLETE");

    long childUpdates = engine.events(ALICE, childId).stream()
        .filter(e -> e.resourceName().equals(e.stackName()) && e.resourceStatus().equals("UPDATE_IN_PROGRESS"))
        .count();
    assertThat(childUpdates).isEqualTo(1);
    assertThat(engine.resources(ALICE, childId)).hasSize(4);
  }

  @Test
  void anUnknownPolicyOrABatchSizeUnderOneIsRefusedAtCreate() {
    assertThatThrownBy(() -> engine.create(ALICE, "bad1", group(1, "{foo: {}}", "{value: v}")))
        .isInstanceOf(ServiceException.class)
        .hasMessageContaining("foo");
    assertThatThrownBy(() -> engine.create(ALICE, "bad2", group(1, "{batch_create: {max_batch_size: 0}}", "{value: v}")))
        .isInstanceOf(ServiceException.class)
        .hasMessageContaining("max_batch_size");
  }

  @Test
  void pausesLongerThanTheStackTimeoutFailTheGroup() {
    String yaml = group(3, "{batch_create: {max_batch_size: 1, pause_time: 3600}}", "{value: v}");
    Stack stack = engine.heat.create(ALICE, EngineHarness.request("slow", yaml, Map.of(), 60));

    Stack failed = engine.awaitStatus(ALICE, stack.id(), "CREATE_FAILED");
    assertThat(failed.statusReason()).contains("The current update policy will result in stack update timeout.");
  }

  private static StackEvent event(List<StackEvent> events, String name, String status) {
    return events.stream().filter(e -> e.resourceName().equals(name) && e.resourceStatus().equals(status))
        .findFirst().orElseThrow(() -> new AssertionError("no " + status + " event of " + name));
  }
}
