package dev.kiln.orchestration.template;

import static dev.kiln.orchestration.template.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Parses and binds a 1,000-resource template and prints how long that takes (not a timed test:
 * the figure is for the README and the engine's benchmark budget of 1,000 resources in under 1 s).
 */
class ParseSpeedTest {

  static String thousandResources() {
    StringBuilder b = new StringBuilder("""
        heat_template_version: 2018-08-31
        parameters:
          prefix: {type: string, default: r}
        resources:
        """);
    for (int i = 0; i < 1000; i++) {
      b.append("  r").append(i).append(":\n    type: OS::Heat::TestResource\n    properties:\n");
      b.append("      value: {str_replace: {template: P-N, params: {P: {get_param: prefix}, N: '").append(i).append("'}}}\n");
      if (i > 0) {
        b.append("      data: {previous: {get_resource: r").append(i - 1).append("}}\n");
      }
    }
    b.append("outputs:\n  last: {value: {get_attr: [r999, output]}}\n");
    return b.toString();
  }

  @Test
  void parsesAndBindsAThousandResources() {
    String text = thousandResources();
    BoundStack s = null;
    long best = Long.MAX_VALUE;
    for (int round = 0; round < 40; round++) {
      long start = System.nanoTime();
      s = Fixtures.parse(text).bind(Map.of(), PSEUDO, ConstraintChecker.NONE);
      best = Math.min(best, System.nanoTime() - start);
    }
    System.out.printf("parse + bind of 1,000 resources (%d KB of YAML): best of 40 = %.1f ms%n",
        text.length() / 1024, best / 1e6);
    assertThat(s.resources()).hasSize(1000);
    assertThat(resource(s, "r5").dependsOn()).containsExactly("r4");
  }
}
