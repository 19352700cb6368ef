package dev.kiln.orchestration.engine.graph;

import java.util.List;
import java.util.stream.Collectors;

/** A graph that was required to be acyclic has a cycle; {@link #cycle()} names its vertices. */
public final class CycleException extends RuntimeException {
  private final transient List<?> cycle;

  CycleException(List<?> cycle) {
    super("Circular Dependency Found: " + cycle.stream().map(String::valueOf).collect(Collectors.joining(", ")));
    this.cycle = List.copyOf(cycle);
  }

  public List<?> cycle() {
    return cycle;
  }
}
