package dev.kiln.orchestration.engine;

import static dev.kiln.orchestration.engine.EngineHarness.ALICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.common.ServiceException;
import dev.kiln.orchestration.Stack;
import dev.kiln.store.Database;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OS::Heat::Stack's {@code context.region_name}: Kiln's region makes the stack, another is a 400 in Heat's words. */
class RemoteStackRegionTest {
  private static final String TEMPLATE =
      """
      heat_template_version: 2013-05-23
      resources:
        my_stack:
          type: OS::Heat::Stack
          properties:
            context: {region_name: %s}
            template: |
              heat_template_version: 2013-05-23
              resources:
                random1: {type: OS::Heat::RandomString}
              outputs:
                remote_key: {value: {get_attr: [random1, value]}}
      outputs:
        key: {value: {get_attr: [my_stack, outputs]}}
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

  @Test
  void theRegionKilnServesMakesTheStack() {
    Stack stack = engine.create(ALICE, "here", TEMPLATE.formatted("RegionOne"));
    engine.awaitStatus(ALICE, stack.id(), "CREATE_COMPLETE");
    assertThat(engine.heat.output(ALICE, stack.id(), "key").value().path("remote_key").asText()).hasSize(32);
  }

  @Test
  void aNestedTemplateWithAnInvalidSectionIsRefusedAtCreateInHeatsWords() {
    String bad = TEMPLATE.formatted("RegionOne").replace("resources:\n          random1", "resource:\n          random1");
    assertThat(bad).contains("resource:\n          random1");

    assertThatThrownBy(() -> engine.create(ALICE, "badnested", bad))
        .isInstanceOf(ServiceException.class)
        .hasMessage("Failed validating stack template using Heat endpoint at region \"RegionOne\" due to \"ERROR: The"
            + " template section is invalid: resource\"");
  }

  @Test
  void anUnknownRegionIsRefusedBeforeAnythingIsMade() {
    assertThatThrownBy(() -> engine.create(ALICE, "there", TEMPLATE.formatted("DARKHOLE")))
        .isInstanceOf(ServiceException.class)
        .hasMessage("Cannot establish connection to Heat endpoint at region \"DARKHOLE\" due to \"public endpoint"
            + " for orchestration service in DARKHOLE region not found\"");
  }
}
