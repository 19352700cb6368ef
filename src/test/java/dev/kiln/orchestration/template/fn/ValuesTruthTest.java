package dev.kiln.orchestration.template.fn;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ValuesTruthTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void emptyZeroFalseNullAndMissingAreFalseAndEverythingElseIsTrue() throws Exception {
    for (String falsy : new String[] {"null", "false", "0", "0.0", "\"\"", "[]", "{}"}) {
      assertThat(Values.pyTruth(JSON.readTree(falsy))).as(falsy).isFalse();
    }
    for (String truthy : new String[] {"true", "1", "-0.5", "\"false\"", "\"0\"", "[0]", "{\"a\": null}"}) {
      assertThat(Values.pyTruth(JSON.readTree(truthy))).as(truthy).isTrue();
    }
    assertThat(Values.pyTruth(null)).isFalse();
    assertThat(Values.pyTruth(Values.MISSING)).isFalse();
  }
}
