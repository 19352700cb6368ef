package dev.kiln.orchestration.engine;

import static dev.kiln.orchestration.engine.EngineHarness.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.orchestration.Stack;
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

/**
 * An update preview with {@code show_nested}, as Heat's: nested stacks' resources join the five
 * lists (those of an updated nested stack by its own preview, those of a removed one as deleted,
 * those of an added one as added), and the update that follows does what the preview said.
 */
class NestedUpdatePreviewTest {
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
      resources:
        changing:
          type: OS::Heat::TestResource
          properties: {value: {get_param: value}}
        steady:
          type: OS::Heat::TestResource
          properties: {value: steady}
      """;

  private static String parent(String value, String extra) {
    return """
        heat_template_version: 2018-08-31
        resources:
          main:
            type: nested.yaml
            properties: {value: %s}
          top:
            type: OS::Heat::TestResource
            properties: {value: top}
        %s
        """.formatted(value, extra);
  }

  private static TemplateSource source(String yaml) {
    return new TemplateSource(null, yaml, Map.of("nested.yaml", NESTED), null, List.of());
  }

  private static final String GROUP = """
        grp:
          type: OS::Heat::ResourceGroup
          properties:
            count: 2
            resource_def: {type: OS::Heat::TestResource, properties: {value: m}}
      """;

  private Stack created(String yaml) {
    Stack stack = engine.heat.create(ALICE, new StackRequest(
        "p" + UUID.randomUUID().toString().substring(0, 8), source(yaml), Map.of(), null, true, List.of()));
    return engine.awaitStatus(ALICE, stack.id(), "CREATE_COMPLETE");
  }

  private StackUpdatePreview preview(Stack stack, String yaml, boolean showNested) {
    return engine.heat.previewUpdate(
        ALICE, stack.id(), new StackUpdate(source(yaml), Map.of(), false, List.of(), null, true, null), showNested);
  }

  private static List<String> names(List<StackResource> resources) {
    return resources.stream().map(StackResource::name).sorted().toList();
  }

  @Test
  void anUpdatedNestedStackIsPreviewedResourceByResource() {
    Stack stack = created(parent("one", ""));

    StackUpdatePreview nested = preview(stack, parent("two", ""), true);
    StackUpdatePreview flat = preview(stack, parent("two", ""), false);

    assertThat(names(flat.updated())).containsExactly("main");
    assertThat(names(flat.unchanged())).containsExactly("top");
    assertThat(names(nested.updated())).containsExactly("changing", "main");
    assertThat(names(nested.unchanged())).containsExactly("steady", "top");
    assertThat(nested.added()).isEmpty();
    assertThat(nested.deleted()).isEmpty();
    assertThat(nested.replaced()).isEmpty();
    StackResource changing = nested.updated().stream().filter(r -> r.name().equals("changing")).findFirst().orElseThrow();
    String childId = engine.resources(ALICE, stack.id()).stream().filter(r -> r.name().equals("main")).findFirst()
        .orElseThrow().physicalId();
    assertThat(changing.stackId()).isEqualTo(childId);

    // The update does what the preview said, in the nested stack too.
    engine.heat.update(ALICE, stack.id(), new StackUpdate(source(parent("two", "")), Map.of(), false, List.of(), null,
        true, null));
    engine.awaitStatus(ALICE, stack.id(), "UPDATE_COMPLETE");
    Map<String, String> statuses = new java.util.TreeMap<>();
    engine.resources(ALICE, childId).forEach(r -> statuses.put(r.name(), r.resourceStatus()));
    assertThat(statuses).containsEntry("changing", "UPDATE_COMPLETE").containsEntry("steady", "CREATE_COMPLETE");
  }

  @Test
  void aRemovedNestedStacksResourcesAreDeletedAndAnAddedOnesAdded() {
    Stack stack = created(parent("one", GROUP));

    StackUpdatePreview removing = preview(stack, parent("one", ""), true);
    assertThat(names(removing.deleted())).containsExactly("0", "1", "grp");
    assertThat(names(removing.updated())).containsExactly("main");
    assertThat(names(removing.unchanged())).containsExactly("changing", "steady", "top");

    Stack plain = created(parent("one", ""));
    StackUpdatePreview adding = preview(plain, parent("one", GROUP), true);
    assertThat(names(adding.added())).containsExactly("0", "1", "grp");
    assertThat(names(preview(plain, parent("one", GROUP), false).added())).containsExactly("grp");
  }
}
