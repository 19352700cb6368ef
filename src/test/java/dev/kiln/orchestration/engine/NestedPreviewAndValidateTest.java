package dev.kiln.orchestration.engine;

import static dev.kiln.orchestration.engine.EngineHarness.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.orchestration.NestedTemplate;
import dev.kiln.orchestration.StackPreview;
import dev.kiln.orchestration.StackRequest;
import dev.kiln.orchestration.template.ParsedStack;
import dev.kiln.orchestration.template.TemplateSource;
import dev.kiln.store.Database;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Create preview and template validate see into nested stacks, as Heat's do. */
class NestedPreviewAndValidateTest {
  private EngineHarness engine;

  @BeforeEach
  void setUp() {
    engine = new EngineHarness(Database.inMemory("heat-" + UUID.randomUUID()));
  }

  @AfterEach
  void tearDown() {
    engine.close();
  }

  private static final String LEAF = """
      heat_template_version: 2014-10-16
      description: the leaf
      parameters:
        aparam: {type: number, default: 10}
      resources:
        myres:
          type: OS::Heat::RandomString
          properties:
            length: {get_param: aparam}
      outputs:
        out: {value: {get_attr: [myres, value]}}
      """;

  private static final String MIDDLE = LEAF.replace("OS::Heat::RandomString", "leaf.yaml").replace("the leaf", "the middle");

  private static final String PARENT = """
      heat_template_version: 2014-10-16
      parameters:
        pparam: {type: number, default: 5}
      resources:
        nres:
          type: middle.yaml
          properties:
            aparam: {get_param: pparam}
        plain:
          type: OS::Heat::TestResource
          properties: {value: {get_resource: nres}}
      """;

  private static TemplateSource source() {
    return new TemplateSource(null, PARENT, Map.of("middle.yaml", MIDDLE, "leaf.yaml", LEAF), null, List.of());
  }

  @Test
  void validateShowsTheNestedTemplatesParametersWithTheValuesTheResourceGives() {
    ParsedStack parsed = engine.heat.validate(ALICE, source(), Map.of());

    List<NestedTemplate> nested = engine.heat.nestedTemplates(ALICE, source(), parsed, Map.of());

    assertThat(nested).extracting(NestedTemplate::resourceName).containsExactly("nres");
    NestedTemplate middle = nested.get(0);
    assertThat(middle.type()).isEqualTo("middle.yaml");
    assertThat(middle.template().description()).isEqualTo("the middle");
    assertThat(middle.values()).containsOnlyKeys("aparam");
    assertThat(middle.values().get("aparam").asInt()).isEqualTo(5);
    assertThat(middle.nested()).extracting(NestedTemplate::resourceName).containsExactly("myres");
    assertThat(middle.nested().get(0).values()).isEmpty(); // length is no parameter of the leaf
  }

  @Test
  void aCreatePreviewListsANestedStacksResourcesInPlaceOfItsResource() {
    StackPreview preview = engine.heat.preview(ALICE,
        new StackRequest("prev", source(), Map.of(), null, true, List.of()));

    assertThat(preview.items()).hasSize(2);
    StackPreview.Nested middle = (StackPreview.Nested) preview.items().get(0);
    assertThat(middle.stack().name()).isEqualTo("prev-nres");
    StackPreview.Nested leaf = (StackPreview.Nested) middle.items().get(0);
    StackPreview.Resource myres = (StackPreview.Resource) leaf.items().get(0);
    assertThat(myres.resource().stackName()).isEqualTo("prev-nres-myres");
    assertThat(myres.resource().parentResourceName()).isEqualTo("myres");
    assertThat(myres.resource().attributes().has("value")).isTrue();
    assertThat(myres.properties().path("length").asInt()).as("the leaf's default: length is no parameter of it").isEqualTo(10);
    StackPreview.Resource plain = (StackPreview.Resource) preview.items().get(1);
    assertThat(plain.properties().path("value").asText()).isEqualTo("nres");
    assertThat(plain.properties().path("fail").asBoolean(true)).isFalse();
    assertThat(plain.resource().attributes().has("output")).isTrue();
  }

  @Test
  void aPreviewWithEnvironmentParametersExpandsItsProviderTemplate() {
    String main = """
        heat_template_version: 2015-04-30
        parameters:
          incomming: {type: string}
        resources:
          main:
            type: nested.yaml
            properties: {value: {get_param: incomming}}
        outputs:
          main_out: {value: {get_attr: [main, output]}}
        """;
    String nested = """
        heat_template_version: 2015-04-30
        parameters:
          value: {type: string}
        resources:
          nested:
            type: OS::Heat::TestResource
            properties: {value: {get_param: value}}
        outputs:
          output: {value: {get_attr: [nested, output]}}
        """;
    com.fasterxml.jackson.databind.node.ObjectNode env = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    env.putObject("parameters").put("incomming", "abc");
    StackPreview preview = engine.heat.preview(ALICE, new StackRequest(
        "envp", new TemplateSource(null, main, Map.of("nested.yaml", nested), env, List.of()), Map.of(), null, true,
        List.of()));

    StackPreview.Nested n = (StackPreview.Nested) preview.items().get(0);
    StackPreview.Resource r = (StackPreview.Resource) n.items().get(0);
    assertThat(r.properties().path("value").asText()).isEqualTo("abc");
    assertThat(r.resource().stackName()).isEqualTo("envp-main");
  }

  @Test
  void aTypeMappedToNoneTakesTheOriginalsPropertiesAndAMissingParameterIsAPropertyError() {
    com.fasterxml.jackson.databind.node.ObjectNode env = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    env.putObject("resource_registry").put("OS::Heat::RandomString", "OS::Heat::None");
    engine.heat.validate(ALICE, new TemplateSource(null, LEAF, Map.of(), env, List.of()), Map.of());

    String missing = LEAF.replace("{get_param: aparam}", "{get_param: missing}");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> engine.heat.preview(ALICE, new StackRequest("m", TemplateSource.ofText(missing), Map.of(), null, true,
                List.of())))
        .hasMessage("Property error: : resources.myres.properties.length: : The Parameter (missing) was not provided.");
  }

  @Test
  void aGroupPreviewsEachMember() {
    String yaml = """
        heat_template_version: 2015-04-30
        resources:
          rg:
            type: OS::Heat::ResourceGroup
            properties:
              count: 2
              resource_def:
                type: leaf.yaml
                properties: {aparam: 8}
        """;
    StackPreview preview = engine.heat.preview(ALICE, new StackRequest(
        "grp", new TemplateSource(null, yaml, Map.of("leaf.yaml", LEAF), null, List.of()), Map.of(), null, true,
        List.of()));

    List<String> names = new ArrayList<>();
    collect(preview.items(), names);
    assertThat(names).containsExactly("myres", "myres");
  }

  private static void collect(List<StackPreview.Item> items, List<String> names) {
    for (StackPreview.Item item : items) {
      switch (item) {
        case StackPreview.Resource r -> names.add(r.resource().name());
        case StackPreview.Nested n -> collect(n.items(), names);
      }
    }
  }
}
