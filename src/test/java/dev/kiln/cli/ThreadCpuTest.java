package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the requests bench splits a server's CPU by thread and reads its statement counts. */
class ThreadCpuTest {
  @Test
  void threadsAreSortedByWhatTheyDo() {
    assertThat(ThreadCpu.kindOf("ForkJoinPool-1-")).isEqualTo(ThreadCpu.Kind.WORK);
    assertThat(ThreadCpu.kindOf("C2 CompilerThre")).isEqualTo(ThreadCpu.Kind.JIT);
    assertThat(ThreadCpu.kindOf("C1 CompilerThre")).isEqualTo(ThreadCpu.Kind.JIT);
    assertThat(ThreadCpu.kindOf("VM Thread")).isEqualTo(ThreadCpu.Kind.GC);
    assertThat(ThreadCpu.kindOf("GC Thread#0")).isEqualTo(ThreadCpu.Kind.GC);
    assertThat(ThreadCpu.kindOf("MVStore backgro")).isEqualTo(ThreadCpu.Kind.OTHER);
  }

  @Test
  void aLiveProcessHasSpentCpuAndPerCallDividesTheDifference() {
    Map<ThreadCpu.Kind, Long> now = ThreadCpu.snapshot(ProcessHandle.current().pid());
    assertThat(now).containsOnlyKeys(ThreadCpu.Kind.values());
    assertThat(now.values().stream().mapToLong(Long::longValue).sum()).isPositive();
    Map<ThreadCpu.Kind, Long> before = Map.of(
        ThreadCpu.Kind.WORK, 0L, ThreadCpu.Kind.JIT, 10L, ThreadCpu.Kind.GC, 0L, ThreadCpu.Kind.OTHER, 0L);
    Map<ThreadCpu.Kind, Long> after = Map.of(
        ThreadCpu.Kind.WORK, 400L, ThreadCpu.Kind.JIT, 210L, ThreadCpu.Kind.GC, 4L, ThreadCpu.Kind.OTHER, 0L);
    assertThat(ThreadCpu.perCall(before, after, 4))
        .containsEntry(ThreadCpu.Kind.WORK, 100L)
        .containsEntry(ThreadCpu.Kind.JIT, 50L)
        .containsEntry(ThreadCpu.Kind.GC, 1L)
        .containsEntry(ThreadCpu.Kind.OTHER, 0L);
  }

  @Test
  void statementsPerRequestAreTheRoutesSumOverItsCount() {
    String metrics = String.join("\n",
        "kiln_http_server_statements_count{method=\"POST\",route=\"/volume/v3/{project_id}/volumes\",service=\"volume\",status=\"202\"} 600",
        "kiln_http_server_statements_sum{method=\"POST\",route=\"/volume/v3/{project_id}/volumes\",service=\"volume\",status=\"202\"} 4200",
        "kiln_http_server_statements_count{method=\"POST\",route=\"/volume/v3/{project_id}/volumes/{volume_id}/action\",service=\"volume\",status=\"202\"} 5",
        "kiln_http_server_statements_sum{method=\"POST\",route=\"/volume/v3/{project_id}/volumes/{volume_id}/action\",service=\"volume\",status=\"202\"} 50");
    assertThat(RequestsBench.statements(metrics, "POST", "/volumes\"", "202")).isEqualTo("7.0");
    assertThat(RequestsBench.statements(metrics, "GET", "/volumes\"", "200")).isEqualTo("n/a");
  }
}
