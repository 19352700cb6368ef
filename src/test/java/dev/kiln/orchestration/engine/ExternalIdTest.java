package dev.kiln.orchestration.engine;

import static dev.kiln.orchestration.engine.EngineHarness.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.orchestration.Stack;
import dev.kiln.orchestration.StackUpdate;
import dev.kiln.orchestration.template.TemplateSource;
import dev.kiln.store.Database;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Heat's {@code external_id}: a resource that adopts an existing physical resource instead of
 * making one (ADOPT, then CHECK), whose external_id an update may not change, and whose properties
 * an update leaves alone.
 */
class ExternalIdTest {
  private static final String PLAIN =
      """
      heat_template_version: 2016-10-14
      resources:
        test1:
          type: OS::Heat::TestResource
      """;
  private static final String ADOPTED =
      """
      heat_template_version: 2016-10-14
      resources:
        test1:
          type: OS::Heat::TestResource
          external_id: foobar
          properties: {value: %s}
      outputs:
        str:
          value: {get_resource: test1}
      """;

  private EngineHarness engine;

  @BeforeEach
  void setUp() {
    engine = new EngineHarness(Database.inMemory("heat-" + UUID.randomUUID()), List.of());
  }

  @AfterEach
  void tearDown() {
    engine.close();
  }

  private void update(Stack stack, String yaml) {
    engine.heat.update(ALICE, stack.id(), new StackUpdate(TemplateSource.ofText(yaml), Map.of(), false, List.of(), null, true, null));
  }

  @Test
  void anExternalResourceIsAdoptedAndCheckedNotCreated() {
    Stack stack = engine.create(ALICE, "adopted", ADOPTED.formatted("a"));
    engine.awaitStatus(ALICE, stack.id(), "CREATE_COMPLETE");

    assertThat(engine.heat.output(ALICE, stack.id(), "str").value().asText()).isEqualTo("foobar");
    var resource = engine.resource(ALICE, stack.id(), "test1");
    assertThat(resource.physicalId()).isEqualTo("foobar");
    assertThat(resource.resourceStatus()).isEqualTo("CHECK_COMPLETE");
    assertThat(engine.events(ALICE, stack.id()).stream()
            .filter(e -> "test1".equals(e.resourceName()))
            .map(dev.kiln.orchestration.StackEvent::resourceStatus).toList())
        .containsSubsequence("ADOPT_IN_PROGRESS", "ADOPT_COMPLETE", "CHECK_IN_PROGRESS", "CHECK_COMPLETE")
        .doesNotContain("CREATE_IN_PROGRESS");
  }

  @Test
  void addingAnExternalIdToAnExistingResourceFailsTheUpdate() {
    Stack stack = engine.create(ALICE, "made", PLAIN);
    engine.awaitStatus(ALICE, stack.id(), "CREATE_COMPLETE");
    String made = engine.resource(ALICE, stack.id(), "test1").physicalId();

    update(stack, ADOPTED.formatted("a"));

    Stack failed = engine.awaitStatus(ALICE, stack.id(), "UPDATE_FAILED");
    assertThat(failed.statusReason())
        .isEqualTo("Resource UPDATE failed: NotSupported: resources.test1: Update to property external_id of test1"
            + " (OS::Heat::TestResource) is not supported.");
    assertThat(engine.resource(ALICE, stack.id(), "test1").physicalId()).isEqualTo(made);
  }

  @Test
  void anUpdateKeepingTheExternalIdLeavesTheResourceAlone() {
    Stack stack = engine.create(ALICE, "kept", ADOPTED.formatted("a"));
    engine.awaitStatus(ALICE, stack.id(), "CREATE_COMPLETE");

    update(stack, ADOPTED.formatted("b"));

    engine.awaitStatus(ALICE, stack.id(), "UPDATE_COMPLETE");
    var resource = engine.resource(ALICE, stack.id(), "test1");
    assertThat(resource.physicalId()).isEqualTo("foobar");
    assertThat(resource.resourceStatus()).isEqualTo("CHECK_COMPLETE");

    update(stack, PLAIN);
    engine.awaitStatus(ALICE, stack.id(), "UPDATE_FAILED");
  }
}
