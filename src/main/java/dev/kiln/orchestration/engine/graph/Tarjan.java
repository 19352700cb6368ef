package dev.kiln.orchestration.engine.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tarjan's strongly connected components, iteratively (a 10,000-long chain must not overflow the
 * stack). A component of more than one vertex, or a vertex with an edge to itself, is a cycle.
 */
final class Tarjan<V> {
  private final Graph<V> graph;
  private final Map<V, Integer> index = new HashMap<>();
  private final Map<V, Integer> lowLink = new HashMap<>();
  private final Deque<V> stack = new ArrayDeque<>();
  private final Set<V> onStack = new HashSet<>();
  private final List<List<V>> cycles = new ArrayList<>();
  private int next;

  Tarjan(Graph<V> graph) {
    this.graph = graph;
  }

  List<List<V>> cycles() {
    for (V v : graph.vertices()) {
      if (!index.containsKey(v)) {
        visit(v);
      }
    }
    return cycles;
  }

  private record Frame<V>(V vertex, Iterator<V> next) {}

  private void visit(V root) {
    Deque<Frame<V>> frames = new ArrayDeque<>();
    open(root, frames);
    while (!frames.isEmpty()) {
      Frame<V> frame = frames.peek();
      if (frame.next().hasNext()) {
        V w = frame.next().next();
        if (!index.containsKey(w)) {
          open(w, frames);
        } else if (onStack.contains(w)) {
          lowLink.merge(frame.vertex(), index.get(w), Math::min);
        }
        continue;
      }
      frames.pop();
      V v = frame.vertex();
      if (!frames.isEmpty()) {
        lowLink.merge(frames.peek().vertex(), lowLink.get(v), Math::min);
      }
      if (lowLink.get(v).equals(index.get(v))) {
        Set<V> component = new HashSet<>();
        V w;
        do {
          w = stack.pop();
          onStack.remove(w);
          component.add(w);
        } while (!w.equals(v));
        if (component.size() > 1 || graph.dependenciesOf(v).contains(v)) {
          // Report in the order the vertices were added, not the order the search met them.
          cycles.add(graph.vertices().stream().filter(component::contains).toList());
        }
      }
    }
  }

  private void open(V v, Deque<Frame<V>> frames) {
    index.put(v, next);
    lowLink.put(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    frames.push(new Frame<>(v, graph.dependenciesOf(v).iterator()));
  }
}
