package dev.kiln.orchestration.engine;

import static dev.kiln.orchestration.engine.EngineHarness.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.orchestration.Stack;
import dev.kiln.orchestration.StackEvent;
import dev.kiln.orchestration.StackRequest;
import dev.kiln.orchestration.StackResource;
import dev.kiln.orchestration.StackUpdate;
import dev.kiln.orchestration.template.TemplateSource;
import dev.kiln.store.Database;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Nested stacks (provider templates, OS::Heat::Stack, OS::Heat::ResourceGroup) are updated in
 * place, as Heat's StackResource is: the child stack is updated and decides resource by resource;
 * a failed nested update rolls the child back with its parent.
 */
class NestedStackUpdateTest {
  private EngineHarness engine;

  @BeforeEach
  void setUp() {
    engine = new EngineHarness(Database.inMemory("heat-" + UUID.randomUUID()));
  }

  @AfterEach
  void tearDown() {
    engine.close();
  }

  private static final String NESTED = """
      heat_template_version: 2018-08-31
      parameters:
        value: {type: string}
        fail: {type: boolean, default: false}
      resources:
        changing:
          type: OS::Heat::TestResource
          properties: {value: {get_param: value}, fail: {get_param: fail}}
        steady:
          type: OS::Heat::TestResource
          properties: {value: steady}
      outputs:
        out: {value: {get_attr: [changing, output]}}
      """;

  private static String parent(String value, boolean fail) {
    return """
        heat_template_version: 2018-08-31
        resources:
          main:
            type: nested.yaml
            properties: {value: %s, fail: %s}
        outputs:
          out: {value: {get_attr: [main, out]}}
        """.formatted(value, fail);
  }

  private static TemplateSource withNested(String yaml, String nested) {
    return new TemplateSource(null, yaml, Map.of("nested.yaml", nested), null, List.of());
  }

  private Stack created(TemplateSource source, boolean disableRollback) {
    Stack stack = engine.heat.create(ALICE, new StackRequest(
        "s" + UUID.randomUUID().toString().substring(0, 8), source, Map.of(), null, disableRollback, List.of()));
    return engine.awaitStatus(ALICE, stack.id(), "CREATE_COMPLETE");
  }

  private void update(Stack stack, TemplateSource source, boolean disableRollback) {
    engine.heat.update(ALICE, stack.id(), new StackUpdate(source, Map.of(), false, List.of(), null, disableRollback, null));
  }

  private Map<String, StackResource> byName(String stackId) {
    Map<String, StackResource> out = new LinkedHashMap<>();
    engine.resources(ALICE, stackId).forEach(r -> out.put(r.name(), r));
    return out;
  }

  private String output(String stackId, String key) {
    return engine.heat.outputs(ALICE, stackId).stream().filter(o -> o.key().equals(key)).findFirst()
        .map(o -> o.value().asText()).orElseThrow();
  }

  @Test
  void aProviderTemplatesChangedPropertyUpdatesItsChildInPlaceLeavingUnchangedChildrenAlone() {
    Stack stack = created(withNested(parent("one", false), NESTED), true);
    StackResource main = byName(stack.id()).get("main");
    String childId = main.physicalId();
    Map<String, StackResource> before = byName(childId);

    update(stack, withNested(parent("two", false), NESTED), true);

    engine.awaitStatus(ALICE, stack.id(), "UPDATE_COMPLETE");
    StackResource mainAfter = byName(stack.id()).get("main");
    assertThat(mainAfter.resourceStatus()).isEqualTo("UPDATE_COMPLETE");
    assertThat(mainAfter.physicalId()).isEqualTo(childId);
    assertThat(engine.heat.find(ALICE, childId).stackStatus()).isEqualTo("UPDATE_COMPLETE");
    Map<String, StackResource> after = byName(childId);
    assertThat(after.get("changing").resourceStatus()).isEqualTo("UPDATE_COMPLETE");
    assertThat(after.get("changing").physicalId()).isEqualTo(before.get("changing").physicalId());
    assertThat(after.get("steady").resourceStatus()).isEqualTo("CREATE_COMPLETE");
    assertThat(after.get("steady").updatedAt()).isEqualTo(before.get("steady").updatedAt());
    assertThat(output(stack.id(), "out")).isEqualTo("two");
    List<String> childEvents = engine.events(ALICE, childId).stream()
        .map(e -> e.resourceName() + " " + e.action() + "_" + e.status()).toList();
    assertThat(childEvents).doesNotContain("steady UPDATE_IN_PROGRESS", "changing DELETE_COMPLETE");
  }

  @Test
  void aChangedNestedTemplateFileAddsAndRemovesChildResources() {
    Stack stack = created(withNested(parent("one", false), NESTED), true);
    String childId = byName(stack.id()).get("main").physicalId();
    String changedFile = NESTED.replace("""
        steady:
          type: OS::Heat::TestResource
          properties: {value: steady}
      """, """
        added:
          type: OS::Heat::TestResource
          properties: {value: new}
      """);

    update(stack, withNested(parent("one", false), changedFile), true);

    engine.awaitStatus(ALICE, stack.id(), "UPDATE_COMPLETE");
    assertThat(byName(stack.id()).get("main").physicalId()).isEqualTo(childId);
    assertThat(byName(childId)).containsOnlyKeys("changing", "added");
  }

  @Test
  void anOsHeatStacksTemplateChangeUpdatesTheSameChild() {
    String inner = "heat_template_version: 2018-08-31\\nresources:\\n  r: {type: OS::Heat::TestResource, properties: {value: %s}}\\noutputs:\\n  o: {value: {get_attr: [r, output]}}\\n";
    String yaml = """
        heat_template_version: 2018-08-31
        resources:
          child:
            type: OS::Heat::Stack
            properties:
              template: "%s"
        outputs:
          o: {value: {get_attr: [child, outputs, o]}}
        """;
    Stack stack = created(TemplateSource.ofText(yaml.formatted(inner.formatted("a"))), true);
    String childId = byName(stack.id()).get("child").physicalId();
    String rId = byName(childId).get("r").physicalId();

    update(stack, TemplateSource.ofText(yaml.formatted(inner.formatted("b"))), true);

    engine.awaitStatus(ALICE, stack.id(), "UPDATE_COMPLETE");
    assertThat(byName(stack.id()).get("child").physicalId()).isEqualTo(childId);
    assertThat(byName(childId).get("r").physicalId()).isEqualTo(rId);
    assertThat(output(stack.id(), "o")).isEqualTo("b");
  }

  private static String group(int count, String value, String removalPolicies) {
    return """
        heat_template_version: 2018-08-31
        resources:
          g:
            type: OS::Heat::ResourceGroup
            properties:
              count: %d
              removal_policies: %s
              resource_def:
                type: OS::Heat::TestResource
                properties: {value: "%s-%%index%%"}
        outputs:
          refs: {value: {get_attr: [g, refs]}}
          removed: {value: {get_attr: [g, removed_rsrc_list]}}
        """.formatted(count, removalPolicies, value);
  }

  private Map<String, String> members(Stack stack) {
    String childId = byName(stack.id()).get("g").physicalId();
    Map<String, String> out = new java.util.TreeMap<>();
    byName(childId).forEach((name, r) -> out.put(name, r.physicalId()));
    return out;
  }

  @Test
  void aGroupGrowsByAddingMembersAndShrinksByRemovingTheHighest() {
    Stack stack = created(TemplateSource.ofText(group(2, "v", "[]")), true);
    String childId = byName(stack.id()).get("g").physicalId();
    Map<String, String> two = members(stack);

    update(stack, TemplateSource.ofText(group(4, "v", "[]")), true);
    engine.awaitStatus(ALICE, stack.id(), "UPDATE_COMPLETE");
    Map<String, String> four = members(stack);
    assertThat(four).containsOnlyKeys("0", "1", "2", "3");
    assertThat(four).containsAllEntriesOf(two);
    assertThat(byName(stack.id()).get("g").physicalId()).isEqualTo(childId);

    update(stack, TemplateSource.ofText(group(1, "v", "[]")), true);
    engine.awaitStatus(ALICE, stack.id(), "UPDATE_COMPLETE");
    assertThat(members(stack)).containsExactlyEntriesOf(Map.of("0", two.get("0")));
  }

  @Test
  void removalPoliciesRemoveTheNamedMemberAndItsNameIsNeverUsedAgain() {
    Stack stack = created(TemplateSource.ofText(group(3, "v", "[]")), true);
    Map<String, String> three = members(stack);

    // By physical id, as Heat accepts too; the group keeps 3 members: 0, 2 and a new 3.
    update(stack, TemplateSource.ofText(group(3, "v", "[{resource_list: ['" + three.get("1") + "']}]")), true);
    engine.awaitStatus(ALICE, stack.id(), "UPDATE_COMPLETE");
    Map<String, String> after = members(stack);
    assertThat(after).containsOnlyKeys("0", "2", "3");
    assertThat(after.get("0")).isEqualTo(three.get("0"));
    assertThat(after.get("2")).isEqualTo(three.get("2"));
    assertThat(engine.heat.outputs(ALICE, stack.id()).stream().filter(o -> o.key().equals("removed")).findFirst()
            .orElseThrow().value().toString()).isEqualTo("[\"1\"]");

    // The policy gone (append mode): 1 stays skipped when the group grows again.
    update(stack, TemplateSource.ofText(group(4, "v", "[]")), true);
    engine.awaitStatus(ALICE, stack.id(), "UPDATE_COMPLETE");
    assertThat(members(stack)).containsOnlyKeys("0", "2", "3", "4");
  }

  @Test
  void aChangedResourceDefinitionUpdatesEveryMemberInPlace() {
    Stack stack = created(TemplateSource.ofText(group(2, "v", "[]")), true);
    Map<String, String> before = members(stack);
    String childId = byName(stack.id()).get("g").physicalId();

    update(stack, TemplateSource.ofText(group(2, "w", "[]")), true);

    engine.awaitStatus(ALICE, stack.id(), "UPDATE_COMPLETE");
    assertThat(members(stack)).isEqualTo(before);
    Map<String, StackResource> child = byName(childId);
    assertThat(child.get("0").resourceStatus()).isEqualTo("UPDATE_COMPLETE");
    assertThat(engine.heat.resource(ALICE, childId, "1", true).attributes().path("output").asText()).isEqualTo("w-1");
  }

  @Test
  void aFailedNestedUpdateRollsTheChildBackWithItsParent() {
    Stack stack = created(withNested(parent("one", false), NESTED), false);
    String childId = byName(stack.id()).get("main").physicalId();
    String changingId = byName(childId).get("changing").physicalId();

    update(stack, withNested(parent("two", true), NESTED), false);

    engine.awaitStatus(ALICE, stack.id(), "ROLLBACK_COMPLETE");
    assertThat(byName(stack.id()).get("main").physicalId()).isEqualTo(childId);
    Stack child = engine.heat.find(ALICE, childId);
    assertThat(child.stackStatus()).isEqualTo("ROLLBACK_COMPLETE");
    assertThat(output(stack.id(), "out")).isEqualTo("one");
    List<String> events = engine.events(ALICE, childId).stream()
        .map(StackEvent::resourceName).toList();
    assertThat(events).contains("changing");
    // The failed in-place update is undone by updating back (TestResource updates value in place).
    StackResource changing = byName(childId).get("changing");
    assertThat(changing.physicalId()).isNotNull();
    assertThat(changing.resourceStatus()).endsWith("_COMPLETE");
    assertThat(engine.heat.resource(ALICE, childId, "changing", true).attributes().path("output").asText())
        .isEqualTo("one");
    assertThat(changingId).isNotNull();
  }
}
