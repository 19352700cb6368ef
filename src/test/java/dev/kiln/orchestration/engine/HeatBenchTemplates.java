package dev.kiln.orchestration.engine;

/** Templates of many OS::Heat::None resources, independent or chained. */
final class HeatBenchTemplates {
  private HeatBenchTemplates() {}

  static String independent(int n) {
    StringBuilder t = new StringBuilder("heat_template_version: 2018-08-31\nresources:\n");
    for (int i = 0; i < n; i++) {
      t.append("  r").append(i).append(":\n    type: OS::Heat::None\n");
    }
    return t.toString();
  }

  static String chain(int n) {
    StringBuilder t = new StringBuilder("heat_template_version: 2018-08-31\nresources:\n");
    for (int i = 0; i < n; i++) {
      t.append("  r").append(i).append(":\n    type: OS::Heat::None\n");
      if (i > 0) {
        t.append("    depends_on: r").append(i - 1).append('\n');
      }
    }
    return t.toString();
  }
}
