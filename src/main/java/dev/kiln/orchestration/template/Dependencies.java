package dev.kiln.orchestration.template;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Cycle detection over "resource → the resources it needs", refused with Heat's message. */
final class Dependencies {
  private Dependencies() {}

  /**
   * @param graph each resource (in template order) with the resources it needs, all in the graph
   * @throws dev.kiln.common.ServiceException CircularDependencyException naming what remains
   *     once everything that can be ordered is removed
   */
  static void checkAcyclic(Map<String, Set<String>> graph) {
    Map<String, Integer> waiting = new HashMap<>();
    Map<String, List<String>> dependents = new HashMap<>();
    Deque<String> ready = new ArrayDeque<>();
    for (Map.Entry<String, Set<String>> e : graph.entrySet()) {
      waiting.put(e.getKey(), e.getValue().size());
      for (String need : e.getValue()) {
        dependents.computeIfAbsent(need, k -> new ArrayList<>()).add(e.getKey());
      }
      if (e.getValue().isEmpty()) {
        ready.add(e.getKey());
      }
    }
    int done = 0;
    while (!ready.isEmpty()) {
      String r = ready.poll();
      done++;
      for (String d : dependents.getOrDefault(r, List.of())) {
        if (waiting.merge(d, -1, Integer::sum) == 0) {
          ready.add(d);
        }
      }
    }
    if (done == graph.size()) {
      return;
    }
    Map<String, Set<String>> remaining = new LinkedHashMap<>();
    for (Map.Entry<String, Set<String>> e : graph.entrySet()) {
      if (waiting.get(e.getKey()) > 0) {
        Set<String> needs = new TreeSet<>();
        for (String n : e.getValue()) {
          if (waiting.get(n) > 0) {
            needs.add(n);
          }
        }
        remaining.put(e.getKey(), needs);
      }
    }
    StringBuilder b = new StringBuilder("{");
    remaining.forEach((k, v) -> {
      if (b.length() > 1) {
        b.append(", ");
      }
      b.append(k).append(": {").append(String.join(", ", v)).append('}');
    });
    throw Errors.invalid("CircularDependencyException", "Circular Dependency Found: " + b.append('}'));
  }
}
