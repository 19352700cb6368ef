package dev.kiln.orchestration.engine.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WalkerTest {
  @Test
  void cyclesAreFoundAndNamedInTheOrderTheirVerticesWereAdded() {
    Graph<String> graph = Graph.<String>builder()
        .edge("a", "b").edge("b", "c").edge("c", "a").edge("d", "a").vertex("e").edge("f", "f").build();

    assertThat(graph.cycles()).containsExactlyInAnyOrder(List.of("a", "b", "c"), List.of("f"));
    assertThatThrownBy(graph::requireAcyclic)
        .isInstanceOf(CycleException.class)
        .hasMessageStartingWith("Circular Dependency Found: ");
  }

  @Test
  void aLongChainIsCheckedWithoutOverflowingTheStack() {
    Graph.Builder<Integer> builder = Graph.builder();
    for (int i = 1; i < 100_000; i++) {
      builder.edge(i, i - 1);
    }
    assertThat(builder.build().cycles()).isEmpty();
  }

  @Test
  void everyVertexStartsOnlyAfterItsDependenciesAndIndependentOnesRunTogether() throws Exception {
    Graph<String> graph = Graph.<String>builder()
        .vertex("x").vertex("y").vertex("z").edge("after", "x").edge("after", "y").edge("after", "z").build();
    CountDownLatch allThreeRunning = new CountDownLatch(3);
    List<String> finished = new CopyOnWriteArrayList<>();

    WalkResult<String> result = Walker.walk(graph, v -> {
      if (!v.equals("after")) {
        allThreeRunning.countDown();
        // Only passes if x, y and z run at the same time.
        assertThat(allThreeRunning.await(5, TimeUnit.SECONDS)).isTrue();
      } else {
        assertThat(finished).containsExactlyInAnyOrder("x", "y", "z");
      }
      finished.add(v);
    });

    assertThat(result.complete()).isTrue();
    assertThat(finished.getLast()).isEqualTo("after");
  }

  @Test
  void aFailureStopsItsDependantsAndNothingNewStarts() throws Exception {
    Graph<String> graph = Graph.<String>builder().edge("b", "a").edge("c", "b").vertex("d").build();
    Map<String, Boolean> visited = new ConcurrentHashMap<>();

    WalkResult<String> result = new Walker<>(graph, v -> {
      visited.put(v, true);
      if (v.equals("a")) {
        throw new IllegalStateException("a broke");
      }
    }, Walker.Options.defaults()).walk();

    assertThat(result.failed()).containsOnlyKeys("a");
    assertThat(result.failed().get("a")).hasMessage("a broke");
    assertThat(result.notRun()).contains("b", "c");
    assertThat(visited).doesNotContainKeys("b", "c");
  }

  @Test
  void theReversedGraphWalksDependantsFirst() throws Exception {
    Graph<Integer> chain = Graph.<Integer>builder().edge(2, 1).edge(3, 2).build();
    List<Integer> order = new CopyOnWriteArrayList<>();

    Walker.walk(chain.reversed(), order::add);

    assertThat(order).containsExactly(3, 2, 1);
  }

  @Test
  void aTimeoutInterruptsRunningVisits() throws Exception {
    Graph<String> graph = Graph.<String>builder().vertex("slow").edge("never", "slow").build();
    AtomicInteger interrupted = new AtomicInteger();

    WalkResult<String> result = new Walker<>(graph, v -> {
      try {
        Thread.sleep(Duration.ofMinutes(1));
      } catch (InterruptedException e) {
        interrupted.incrementAndGet();
        throw e;
      }
    }, Walker.Options.defaults().withTimeout(Duration.ofMillis(100))).walk();

    assertThat(result.timedOut()).isTrue();
    assertThat(interrupted).hasValue(1);
    assertThat(result.notRun()).containsExactly("never");
  }

  @Test
  void maxConcurrentHoldsReadyVerticesBack() throws Exception {
    Graph.Builder<Integer> builder = Graph.builder();
    for (int i = 0; i < 20; i++) {
      builder.vertex(i);
    }
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();

    WalkResult<Integer> result = new Walker<>(builder.build(), v -> {
      most.accumulateAndGet(running.incrementAndGet(), Math::max);
      Thread.sleep(5);
      running.decrementAndGet();
    }, new Walker.Options(true, 3, null, Duration.ofSeconds(1))).walk();

    assertThat(result.succeeded()).hasSize(20);
    assertThat(most.get()).isLessThanOrEqualTo(3);
  }
}
