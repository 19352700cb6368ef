package dev.kiln.orchestration.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * How a resource group changes its members a batch at a time, as Heat's rolling updates do
 * ({@code heat/scaling/rolling_update.py} and {@code template.py}'s member definitions): the
 * sequence of batches, each a group size and how many members may take the new definition in it,
 * and the child template of one batch. Pure: the group runs each batch as an update of its child.
 */
final class GroupRollout {
  private static final int MAX_BATCHES = 100_000;

  private GroupRollout() {}

  /**
   * One batch.
   *
   * @param capacity the group's size during (and after) the batch
   * @param updates how many members take the new definition in it, new members included
   */
  record Batch(int capacity, int updates) {}

  /**
   * The batches that take a group of {@code current} members (none with the new definition yet)
   * to {@code target} members all with it, changing at most {@code batchSize} at once and keeping
   * at least {@code minInService} (as far as the group has them) while doing so: a group that may
   * not shrink grows by a batch first, and shrinks back at the end.
   */
  static List<Batch> batches(int target, int current, int batchSize, int minInService) {
    List<Batch> out = new ArrayList<>();
    int updated = 0;
    while (!(updated >= current && current == target)) {
      if (out.size() >= MAX_BATCHES) {
        throw new IllegalStateException("a rolling update of " + target + " members does not converge");
      }
      int inService = Math.min(minInService, Math.min(target, current));
      int batch = Math.min(batchSize, Math.max(target - updated, 0));
      int capacity = batch + Math.max(Math.min(current, target - batch), inService);
      out.add(new Batch(capacity, batch));
      // Members made beyond what the group had or will have are a surge, not progress.
      updated += batch - Math.max(capacity - Math.max(current, target), 0);
      current = capacity;
    }
    return out;
  }

  /**
   * The child template of one batch: {@code capacity} members, of which at most {@code updates}
   * (new ones first) get the new definition. Members that the group no longer names go first,
   * then the highest indices are changed (or dropped) first, as in Heat; a member already like the
   * new definition is not counted.
   *
   * @param existing the current members that are not skipped, name to definition (JSON as in the
   *     child template), failed ones first
   * @param names the group's first {@code capacity} usable names, in order
   * @param target the group's count
   * @param define the new definition of the member with a given name
   */
  static ObjectNode batchTemplate(
      Map<String, JsonNode> existing, List<String> names, int target, int updates, Function<String, JsonNode> define) {
    int capacity = names.size();
    List<String> old = new ArrayList<>(existing.keySet());
    old.sort(Comparator.comparingInt(name -> priority(name, names, target, capacity))); // stable
    List<String> kept = old.subList(Math.max(0, old.size() - capacity), old.size());
    int creating = capacity - kept.size();
    int replacing = updates - creating;
    Set<String> taken = new LinkedHashSet<>(existing.keySet());
    Iterator<String> fresh = names.stream().filter(n -> !taken.contains(n)).iterator();
    ObjectNode template = JsonNodeFactory.instance.objectNode();
    template.put("heat_template_version", "2015-04-30");
    ObjectNode resources = template.putObject("resources");
    for (int i = 0; i < capacity; i++) {
      if (i < kept.size()) {
        String name = kept.get(i);
        JsonNode before = existing.get(name);
        JsonNode after = define.apply(name);
        if (replacing > 0 && !sameDefinition(before, after)) {
          replacing--;
          resources.set(name, after);
        } else {
          resources.set(name, before);
        }
      } else {
        String name = fresh.next();
        resources.set(name, define.apply(name));
      }
    }
    return template;
  }

  /** Heat's replace priority: not named any more first, then the highest index, surplus names last. */
  private static int priority(String name, List<String> names, int target, int capacity) {
    int index = names.indexOf(name);
    if (index < 0) {
      return 0;
    }
    return index < target ? target - index : capacity;
  }

  /** Definitions compared as values (a number read back from the store as another type is equal). */
  static boolean sameDefinition(JsonNode a, JsonNode b) {
    if (a == null || b == null) {
      return a == b;
    }
    return a.equals(
        (x, y) -> x.isNumber() && y.isNumber()
            ? x.decimalValue().compareTo(y.decimalValue()) == 0 ? 0 : 1
            : x.equals(y) ? 0 : 1,
        b);
  }
}
