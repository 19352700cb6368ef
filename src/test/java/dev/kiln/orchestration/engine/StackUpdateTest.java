package dev.kiln.orchestration.engine;

import static dev.kiln.orchestration.engine.EngineHarness.ALICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kiln.common.ServiceException;
import dev.kiln.orchestration.Stack;
import dev.kiln.orchestration.StackEvent;
import dev.kiln.orchestration.StackOutput;
import dev.kiln.orchestration.StackRequest;
import dev.kiln.orchestration.StackResource;
import dev.kiln.orchestration.StackUpdate;
import dev.kiln.orchestration.StackUpdatePreview;
import dev.kiln.orchestration.template.TemplateSource;
import dev.kiln.store.Database;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Stack updates through the service: in place, replaced, added, removed, unchanged; PATCH; preview. */
class StackUpdateTest {
  private static final JsonNodeFactory J = JsonNodeFactory.instance;
  private EngineHarness engine;

  @BeforeEach
  void setUp() {
    engine = new EngineHarness(Database.inMemory("heat-" + UUID.randomUUID()));
  }

  @AfterEach
  void tearDown() {
    engine.close();
  }

  static String template(String aValue, boolean aReplace, String extra) {
    return """
        heat_template_version: 2018-08-31
        resources:
          a:
            type: OS::Heat::TestResource
            properties: {value: %s, update_replace: %s}
          b:
            type: OS::Heat::TestResource
            properties: {value: {get_resource: a}}
          c:
            type: OS::Heat::TestResource
            properties: {value: steady}
        %s
        outputs:
          a: {value: {get_attr: [a, output]}}
          b: {value: {get_attr: [b, output]}}
        """.formatted(aValue, aReplace, extra);
  }

  static StackUpdate put(String yaml) {
    return new StackUpdate(TemplateSource.ofText(yaml), Map.of(), false, List.of(), null, null, null);
  }

  static StackUpdate put(String yaml, boolean disableRollback) {
    return new StackUpdate(TemplateSource.ofText(yaml), Map.of(), false, List.of(), null, disableRollback, null);
  }

  private Stack created(String yaml) {
    Stack stack = engine.create(ALICE, "s" + UUID.randomUUID().toString().substring(0, 8), yaml);
    return engine.awaitStatus(ALICE, stack.id(), "CREATE_COMPLETE");
  }

  private Map<String, StackResource> byName(String stackId) {
    Map<String, StackResource> out = new java.util.LinkedHashMap<>();
    engine.resources(ALICE, stackId).forEach(r -> out.put(r.name(), r));
    return out;
  }

  private String output(String stackId, String key) {
    return engine.heat.outputs(ALICE, stackId).stream().filter(o -> o.key().equals(key)).findFirst()
        .map(StackOutput::value).map(JsonNode::asText).orElseThrow();
  }

  @Test
  void aChangedUpdatableValueIsUpdatedInPlaceAndNothingElseIsTouched() {
    Stack stack = created(template("one", false, ""));
    Map<String, StackResource> before = byName(stack.id());
    int events = engine.events(ALICE, stack.id()).size();

    engine.heat.update(ALICE, stack.id(), put(template("two", false, "")));

    engine.awaitStatus(ALICE, stack.id(), "UPDATE_COMPLETE");
    Map<String, StackResource> after = byName(stack.id());
    assertThat(after.get("a").resourceStatus()).isEqualTo("UPDATE_COMPLETE");
    assertThat(after.get("a").physicalId()).isEqualTo(before.get("a").physicalId());
    assertThat(output(stack.id(), "a")).isEqualTo("two");
    // b refers to a's id, which did not change: b and c are not touched
    assertThat(after.get("b").resourceStatus()).isEqualTo("CREATE_COMPLETE");
    assertThat(after.get("b").updatedAt()).isEqualTo(before.get("b").updatedAt());
    assertThat(after.get("c").updatedAt()).isEqualTo(before.get("c").updatedAt());
    List<StackEvent> newEvents = engine.events(ALICE, stack.id()).subList(events, engine.events(ALICE, stack.id()).size());
    assertThat(newEvents).extracting(e -> e.resourceName() + " " + e.action() + "_" + e.status())
        .containsExactly(stack.name() + " UPDATE_IN_PROGRESS", "a UPDATE_IN_PROGRESS", "a UPDATE_COMPLETE",
            stack.name() + " UPDATE_COMPLETE");
  }

  @Test
  void updateReplaceMakesANewResourceSwitchesItsDependantsAndDeletesTheOldOneLast() {
    Stack stack = created(template("one", false, ""));
    Map<String, StackResource> before = byName(stack.id());

    engine.heat.update(ALICE, stack.id(), put(template("one", true, "")));

    engine.awaitStatus(ALICE, stack.id(), "UPDATE_COMPLETE");
    Map<String, StackResource> after = byName(stack.id());
    assertThat(after.get("a").physicalId()).isNotEqualTo(before.get("a").physicalId());
    assertThat(after.get("a").resourceStatus()).isEqualTo("CREATE_COMPLETE");
    // b's value was a's id: re-resolved against the replacement, so b is updated in place
    assertThat(after.get("b").resourceStatus()).isEqualTo("UPDATE_COMPLETE");
    assertThat(output(stack.id(), "b")).isEqualTo(after.get("a").physicalId());
    assertThat(after.get("c").updatedAt()).isEqualTo(before.get("c").updatedAt());
    List<String> order = engine.events(ALICE, stack.id()).stream()
        .map(e -> e.resourceName() + " " + e.action() + "_" + e.status() + " " + e.physicalResourceId()).toList();
    int oldDeleted = order.indexOf("a DELETE_COMPLETE " + before.get("a").physicalId());
    assertThat(oldDeleted).isPositive();
    assertThat(order.indexOf("b UPDATE_COMPLETE " + after.get("b").physicalId())).isLessThan(oldDeleted);
    assertThat(engine.resources(ALICE, stack.id())).hasSize(3);
  }

  @Test
  void addedResourcesAreCreatedAndRemovedOnesDeleted() {
    Stack stack = created(template("one", false, ""));
    String next = """
        heat_template_version: 2018-08-31
        resources:
          a:
            type: OS::Heat::TestResource
            properties: {value: one, update_replace: false}
          d:
            type: OS::Heat::TestResource
            properties: {value: {get_attr: [a, output]}}
        """;

    engine.heat.update(ALICE, stack.id(), put(next));

    engine.awaitStatus(ALICE, stack.id(), "UPDATE_COMPLETE");
    Map<String, StackResource> after = byName(stack.id());
    assertThat(after.keySet()).containsExactly("a", "d");
    assertThat(after.get("d").resourceStatus()).isEqualTo("CREATE_COMPLETE");
    assertThat(engine.events(ALICE, stack.id())).extracting(e -> e.resourceName() + " " + e.action() + "_" + e.status())
        .contains("b DELETE_COMPLETE", "c DELETE_COMPLETE", "d CREATE_COMPLETE");
  }

  @Test
  void patchKeepsTheTemplateAndMergesParameters() {
    String yaml = """
        heat_template_version: 2018-08-31
        parameters:
          v: {type: string, default: first}
          w: {type: string, default: other}
        resources:
          r:
            type: OS::Heat::TestResource
            properties: {value: {list_join: ['-', [{get_param: v}, {get_param: w}]]}}
        outputs:
          r: {value: {get_attr: [r, output]}}
        """;
    Stack stack = engine.heat.create(ALICE, new StackRequest("patched", TemplateSource.ofText(yaml),
        Map.of("w", J.textNode("kept")), null, true, List.of()));
    engine.awaitStatus(ALICE, stack.id(), "CREATE_COMPLETE");

    engine.heat.update(ALICE, stack.id(),
        new StackUpdate(null, Map.of("v", J.textNode("second")), true, List.of(), null, null, null));

    engine.awaitStatus(ALICE, stack.id(), "UPDATE_COMPLETE");
    assertThat(output(stack.id(), "r")).isEqualTo("second-kept");

    engine.heat.update(ALICE, stack.id(), new StackUpdate(null, Map.of(), true, List.of("w"), null, null, null));
    engine.awaitStatus(ALICE, stack.id(), "UPDATE_COMPLETE");
    assertThat(output(stack.id(), "r")).isEqualTo("second-other");
  }

  @Test
  void patchWithANewEnvironmentMergesItOverTheStacksEnvironment() {
    String yaml = """
        heat_template_version: 2018-08-31
        parameters:
          v: {type: string}
          w: {type: string}
        resources:
          r:
            type: My::Value
            properties: {value: {list_join: ['-', [{get_param: v}, {get_param: w}]]}}
        outputs:
          r: {value: {get_attr: [r, output]}}
        """;
    com.fasterxml.jackson.databind.node.ObjectNode created = J.objectNode();
    created.putObject("parameter_defaults").put("v", "one").put("w", "two");
    created.putObject("resource_registry").put("My::Value", "OS::Heat::TestResource");
    Stack stack = engine.heat.create(ALICE, new StackRequest("env-patched",
        new TemplateSource(null, yaml, Map.of(), created, List.of()), Map.of(), null, true, List.of()));
    engine.awaitStatus(ALICE, stack.id(), "CREATE_COMPLETE");

    com.fasterxml.jackson.databind.node.ObjectNode patch = J.objectNode();
    patch.putObject("parameter_defaults").put("w", "three");
    engine.heat.update(ALICE, stack.id(), new StackUpdate(
        new TemplateSource(J.objectNode(), null, Map.of(), patch, List.of()), Map.of(), true, List.of(), null, null,
        null));

    engine.awaitStatus(ALICE, stack.id(), "UPDATE_COMPLETE");
    assertThat(output(stack.id(), "r")).isEqualTo("one-three");
    JsonNode environment = engine.heat.environment(ALICE, stack.id());
    assertThat(environment.at("/resource_registry/My::Value").asText()).isEqualTo("OS::Heat::TestResource");
    assertThat(environment.at("/parameter_defaults/v").asText()).isEqualTo("one");
  }

  @Test
  void anImmutableParameterCannotChange() {
    String yaml = """
        heat_template_version: 2018-08-31
        parameters:
          v: {type: string, immutable: true}
        resources:
          r:
            type: OS::Heat::TestResource
            properties: {value: {get_param: v}}
        """;
    Stack stack = engine.heat.create(ALICE, new StackRequest("immutable", TemplateSource.ofText(yaml),
        Map.of("v", J.textNode("x")), null, true, List.of()));
    engine.awaitStatus(ALICE, stack.id(), "CREATE_COMPLETE");

    assertThatThrownBy(() -> engine.heat.update(ALICE, stack.id(),
        new StackUpdate(null, Map.of("v", J.textNode("y")), true, List.of(), null, null, null)))
        .isInstanceOfSatisfying(ServiceException.class, e -> {
          assertThat(e.type()).isEqualTo("ImmutableParameterModified");
          assertThat(e.getMessage()).isEqualTo("The following parameters are immutable and may not be updated: v");
        });
    assertThat(engine.heat.find(ALICE, stack.id()).stackStatus()).isEqualTo("CREATE_COMPLETE");
  }

  @Test
  void thePreviewNamesWhatTheUpdateThenDoes() {
    Stack stack = created(template("one", false, ""));
    String next = """
        heat_template_version: 2018-08-31
        resources:
          a:
            type: OS::Heat::TestResource
            properties: {value: one, update_replace: true}
          b:
            type: OS::Heat::TestResource
            properties: {value: {get_resource: a}}
          c:
            type: OS::Heat::TestResource
            properties: {value: changed}
          e:
            type: OS::Heat::None
        """;

    StackUpdatePreview preview = engine.heat.previewUpdate(ALICE, stack.id(), put(next), false);

    assertThat(preview.replaced()).extracting(StackResource::name).containsExactly("a");
    assertThat(preview.updated()).extracting(StackResource::name).containsExactly("c");
    assertThat(preview.unchanged()).extracting(StackResource::name).containsExactly("b");
    assertThat(preview.added()).extracting(StackResource::name).containsExactly("e");
    assertThat(preview.deleted()).isEmpty();
    engine.heat.update(ALICE, stack.id(), put(next));
    engine.awaitStatus(ALICE, stack.id(), "UPDATE_COMPLETE");
    Map<String, StackResource> after = byName(stack.id());
    assertThat(after.get("c").resourceStatus()).isEqualTo("UPDATE_COMPLETE");
    assertThat(after.get("e").resourceStatus()).isEqualTo("CREATE_COMPLETE");
  }

  @Test
  void aRestrictedReplacementFailsTheResourceAndTheUpdate() {
    JsonNode environment = J.objectNode().set("resource_registry", J.objectNode().set("resources",
        J.objectNode().set("a", J.objectNode().put("restricted_actions", "replace"))));
    Stack stack = engine.heat.create(ALICE, new StackRequest("restricted",
        new TemplateSource(null, template("one", false, ""), Map.of(), environment, List.of()), Map.of(), null, true,
        List.of()));
    engine.awaitStatus(ALICE, stack.id(), "CREATE_COMPLETE");
    String physical = byName(stack.id()).get("a").physicalId();

    engine.heat.update(ALICE, stack.id(), new StackUpdate(
        new TemplateSource(null, template("one", true, ""), Map.of(), environment, List.of()), Map.of(), false,
        List.of(), null, null, null));

    Stack failed = engine.awaitStatus(ALICE, stack.id(), "UPDATE_FAILED");
    assertThat(failed.statusReason())
        .isEqualTo("Resource UPDATE failed: ResourceActionRestricted: resources.a: replace is restricted for resource.");
    assertThat(byName(stack.id()).get("a").physicalId()).isEqualTo(physical);
    assertThat(byName(stack.id()).get("a").resourceStatus()).isEqualTo("UPDATE_FAILED");
  }

  @Test
  void aPreUpdateHookHoldsAChangingResourceUntilCleared() {
    JsonNode environment = J.objectNode().set("resource_registry", J.objectNode().set("resources",
        J.objectNode().set("a", J.objectNode().put("hooks", "pre-update"))));
    Stack stack = engine.heat.create(ALICE, new StackRequest("hooked-update",
        new TemplateSource(null, template("one", false, ""), Map.of(), environment, List.of()), Map.of(), null, true,
        List.of()));
    engine.awaitStatus(ALICE, stack.id(), "CREATE_COMPLETE");

    engine.heat.update(ALICE, stack.id(), new StackUpdate(
        new TemplateSource(null, template("two", false, ""), Map.of(), environment, List.of()), Map.of(), false,
        List.of(), null, null, null));

    dev.kiln.testing.Await.until(() -> engine.events(ALICE, stack.id()).stream()
        .anyMatch(e -> "UPDATE paused until Hook pre-update is cleared".equals(e.reason())), "the hook");
    assertThat(engine.heat.find(ALICE, stack.id()).stackStatus()).isEqualTo("UPDATE_IN_PROGRESS");
    assertThat(output(stack.id(), "a")).isEqualTo("one");
    engine.heat.signal(ALICE, stack.id(), "a", J.objectNode().put("unset_hook", "pre-update"));
    engine.awaitStatus(ALICE, stack.id(), "UPDATE_COMPLETE");
    assertThat(output(stack.id(), "a")).isEqualTo("two");
  }

  @Test
  void eachUpdateStopsAtThePreUpdateHookAndTheHeldResourceKeepsItsState() {
    JsonNode environment = J.objectNode().set("resource_registry", J.objectNode().set("resources",
        J.objectNode().set("a", J.objectNode().put("hooks", "pre-update"))));
    Stack stack = engine.heat.create(ALICE, new StackRequest("hooked-twice",
        new TemplateSource(null, template("one", false, ""), Map.of(), environment, List.of()), Map.of(), null, true,
        List.of()));
    engine.awaitStatus(ALICE, stack.id(), "CREATE_COMPLETE");

    for (String value : List.of("two", "three")) {
      long pausesBefore = pauses(stack.id());
      engine.heat.update(ALICE, stack.id(), new StackUpdate(
          new TemplateSource(null, template(value, false, ""), Map.of(), environment, List.of()), Map.of(), false,
          List.of(), null, null, null));
      // The clear of the first update must not let the second one through: it stops again.
      dev.kiln.testing.Await.until(() -> pauses(stack.id()) == pausesBefore + 1, "the hook of the update to " + value);
      String before = value.equals("two") ? "CREATE_COMPLETE" : "UPDATE_COMPLETE";
      assertThat(byName(stack.id()).get("a").resourceStatus()).isEqualTo(before);
      assertThat(engine.events(ALICE, stack.id()))
          .filteredOn(e -> "UPDATE paused until Hook pre-update is cleared".equals(e.reason()))
          .last().extracting(dev.kiln.orchestration.StackEvent::resourceStatus).isEqualTo(before);
      engine.heat.signal(ALICE, stack.id(), "a", J.objectNode().put("unset_hook", "pre-update"));
      engine.awaitStatus(ALICE, stack.id(), "UPDATE_COMPLETE");
      assertThat(output(stack.id(), "a")).isEqualTo(value);
    }
  }

  @Test
  void anUnchangedResourceStillStopsAtItsPreUpdateHook() {
    JsonNode environment = J.objectNode().set("resource_registry", J.objectNode().set("resources",
        J.objectNode().set("a", J.objectNode().put("hooks", "pre-update"))));
    Stack stack = engine.heat.create(ALICE, new StackRequest("hooked-same",
        new TemplateSource(null, template("one", false, ""), Map.of(), environment, List.of()), Map.of(), null, true,
        List.of()));
    engine.awaitStatus(ALICE, stack.id(), "CREATE_COMPLETE");
    String physical = byName(stack.id()).get("a").physicalId();

    engine.heat.update(ALICE, stack.id(), new StackUpdate(
        new TemplateSource(null, template("one", false, ""), Map.of(), environment, List.of()), Map.of(), false,
        List.of(), null, null, null));

    dev.kiln.testing.Await.until(() -> pauses(stack.id()) == 1, "the hook");
    assertThat(engine.heat.find(ALICE, stack.id()).stackStatus()).isEqualTo("UPDATE_IN_PROGRESS");
    engine.heat.signal(ALICE, stack.id(), "a", J.objectNode().put("unset_hook", "pre-update"));
    engine.awaitStatus(ALICE, stack.id(), "UPDATE_COMPLETE");
    assertThat(byName(stack.id()).get("a").physicalId()).isEqualTo(physical);
    assertThat(byName(stack.id()).get("a").resourceStatus()).isEqualTo("CREATE_COMPLETE");
  }

  private long pauses(String stackId) {
    return engine.events(ALICE, stackId).stream()
        .filter(e -> "UPDATE paused until Hook pre-update is cleared".equals(e.reason())).count();
  }
}
