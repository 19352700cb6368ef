package dev.kiln.orchestration.engine.graph;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable directed graph whose edges point from a vertex to the vertices it depends on. It
 * knows nothing of what the vertices are: the engine's resources, a test's strings.
 *
 * <p>Vertices keep the order they were added in, so walks and messages are deterministic.
 */
public final class Graph<V> {
  private final Map<V, Set<V>> dependencies;
  private final Map<V, Set<V>> dependents;

  private Graph(Map<V, Set<V>> dependencies, Map<V, Set<V>> dependents) {
    this.dependencies = dependencies;
    this.dependents = dependents;
  }

  public static <V> Builder<V> builder() {
    return new Builder<>();
  }

  /** Every vertex, in the order they were added. */
  public Set<V> vertices() {
    return dependencies.keySet();
  }

  public boolean contains(V vertex) {
    return dependencies.containsKey(vertex);
  }

  /** What {@code vertex} needs first. */
  public Set<V> dependenciesOf(V vertex) {
    return require(dependencies, vertex);
  }

  /** What needs {@code vertex} first. */
  public Set<V> dependentsOf(V vertex) {
    return require(dependents, vertex);
  }

  /** The same vertices with every edge turned round: the order to take things down in. */
  public Graph<V> reversed() {
    return new Graph<>(dependents, dependencies);
  }

  /**
   * Every cycle (strongly connected component of more than one vertex, or a vertex depending on
   * itself), each listed in the order its vertices were added.
   */
  public List<List<V>> cycles() {
    return new Tarjan<>(this).cycles();
  }

  /**
   * @throws CycleException naming the vertices of the first cycle found
   */
  public Graph<V> requireAcyclic() {
    List<List<V>> cycles = cycles();
    if (!cycles.isEmpty()) {
      throw new CycleException(cycles.getFirst());
    }
    return this;
  }

  private Set<V> require(Map<V, Set<V>> edges, V vertex) {
    Set<V> found = edges.get(vertex);
    if (found == null) {
      throw new IllegalArgumentException("not a vertex of this graph: " + vertex);
    }
    return found;
  }

  /** Collects vertices and edges; {@link #build} checks that every edge ends at a vertex. */
  public static final class Builder<V> {
    private final Map<V, Set<V>> dependencies = new LinkedHashMap<>();

    private Builder() {}

    public Builder<V> vertex(V vertex) {
      dependencies.computeIfAbsent(requireNonNull(vertex, "vertex is null"), v -> new LinkedHashSet<>());
      return this;
    }

    /** {@code from} depends on {@code to}: {@code to} comes first. Adds both as vertices. */
    public Builder<V> edge(V from, V to) {
      vertex(to);
      vertex(from);
      dependencies.get(from).add(to);
      return this;
    }

    public Graph<V> build() {
      Map<V, Set<V>> deps = new LinkedHashMap<>();
      Map<V, List<V>> reverse = new LinkedHashMap<>();
      for (V v : dependencies.keySet()) {
        reverse.put(v, new ArrayList<>());
      }
      for (Map.Entry<V, Set<V>> e : dependencies.entrySet()) {
        deps.put(e.getKey(), Collections.unmodifiableSet(new LinkedHashSet<>(e.getValue())));
        for (V to : e.getValue()) {
          reverse.get(to).add(e.getKey());
        }
      }
      Map<V, Set<V>> dependents = new LinkedHashMap<>();
      for (Map.Entry<V, List<V>> e : reverse.entrySet()) {
        dependents.put(e.getKey(), Collections.unmodifiableSet(new LinkedHashSet<>(e.getValue())));
      }
      return new Graph<>(Collections.unmodifiableMap(deps), Collections.unmodifiableMap(dependents));
    }
  }
}
