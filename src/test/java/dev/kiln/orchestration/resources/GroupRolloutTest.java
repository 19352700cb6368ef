package dev.kiln.orchestration.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The batches of a rolling update and the child template of one batch, as Heat computes them. */
class GroupRolloutTest {
  private static JsonNode def(String value) {
    ObjectNode d = JsonNodeFactory.instance.objectNode().put("type", "OS::Heat::TestResource");
    d.putObject("properties").put("value", value);
    return d;
  }

  @Test
  void batchesGrowFirstWhenMinInServiceForbidsShrinking() {
    assertThat(GroupRollout.batches(4, 4, 2, 3)).containsExactly(
        new GroupRollout.Batch(5, 2), new GroupRollout.Batch(5, 2), new GroupRollout.Batch(4, 1));
  }

  @Test
  void aBatchCreateAddsMaxBatchSizeEachTime() {
    assertThat(GroupRollout.batches(5, 0, 2, 0)).containsExactly(
        new GroupRollout.Batch(2, 2), new GroupRollout.Batch(4, 2), new GroupRollout.Batch(5, 1));
  }

  @Test
  void batchCountsMatchHeatsReplaceScenarios() {
    // (count, existing not skipped, batch size, min in service) -> batches, from Heat's ReplaceTest
    assertThat(GroupRollout.batches(2, 1, 1, 0)).hasSize(2);
    assertThat(GroupRollout.batches(2, 2, 2, 3)).hasSize(3);
    assertThat(GroupRollout.batches(2, 1, 2, 3)).hasSize(3);
    assertThat(GroupRollout.batches(2, 2, 1, 3)).hasSize(4);
    assertThat(GroupRollout.batches(2, 4, 2, 2)).hasSize(2);
    assertThat(GroupRollout.batches(3, 0, 2, 2)).hasSize(2);
    assertThat(GroupRollout.batches(5, 2, 1, 0)).hasSize(5);
    assertThat(GroupRollout.batches(5, 1, 1, 0)).hasSize(5);
    assertThat(GroupRollout.batches(3, 5, 2, 0)).hasSize(2);
    assertThat(GroupRollout.batches(0, 0, 1, 0)).isEmpty();
  }

  @Test
  void aBatchChangesTheHighestIndexFirstAndAddsNewNames() {
    Map<String, JsonNode> existing = new LinkedHashMap<>();
    for (String n : List.of("0", "1", "2", "3")) {
      existing.put(n, def("old"));
    }

    ObjectNode template = GroupRollout.batchTemplate(existing, List.of("0", "1", "2", "3", "4"), 4, 2, n -> def("new"));

    JsonNode resources = template.get("resources");
    List<String> changed = new ArrayList<>();
    resources.fields().forEachRemaining(e -> {
      if (e.getValue().path("properties").path("value").asText().equals("new")) {
        changed.add(e.getKey());
      }
    });
    assertThat(changed).containsExactlyInAnyOrder("3", "4");
    assertThat(resources.size()).isEqualTo(5);
  }

  @Test
  void aShrinkingBatchDropsMembersNoLongerNamedFirst() {
    Map<String, JsonNode> existing = new LinkedHashMap<>();
    for (String n : List.of("0", "1", "2", "3", "4")) {
      existing.put(n, def(n.equals("0") ? "old" : "new"));
    }

    ObjectNode template = GroupRollout.batchTemplate(existing, List.of("0", "1", "2", "3"), 4, 1, n -> def("new"));

    JsonNode resources = template.get("resources");
    assertThat(resources.has("4")).isFalse();
    assertThat(resources.path("0").path("properties").path("value").asText()).isEqualTo("new");
    assertThat(resources.size()).isEqualTo(4);
  }
}
