package dev.kiln.orchestration.template.fn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code repeat: {template: body, for_each: {var: list, …}, permutations: bool}}: one copy of the
 * body per combination (or, without permutations, per position) of the lists, with each variable
 * replaced in every string of it. By version: lists only (2015-04-30); lists or maps, whose keys are
 * iterated (2016-10-14); {@code permutations} (2017-09-01).
 */
public final class Repeat implements Function {
  public enum Mode {
    LISTS,
    LISTS_OR_MAPS,
    NESTED_LOOP
  }

  public static final Repeat LISTS = new Repeat(Mode.LISTS);
  public static final Repeat LISTS_OR_MAPS = new Repeat(Mode.LISTS_OR_MAPS);
  public static final Repeat NESTED_LOOP = new Repeat(Mode.NESTED_LOOP);

  private final Mode mode;

  private Repeat(Mode mode) {
    this.mode = mode;
  }

  @Override
  public String description() {
    return switch (mode) {
      case LISTS -> "Repeats a template once for each combination of the items of lists.";
      case LISTS_OR_MAPS ->
          "Repeats a template once for each combination of the items of lists (or keys of maps).";
      case NESTED_LOOP ->
          "Repeats a template for each combination of the items of lists or keys of maps, or with"
              + " permutations false for each position of equally long lists.";
    };
  }

  private static String syntax() {
    return "\"repeat\" syntax should be repeat:\n              template: This is %var%\n"
        + "              for_each:\n                %var%: ['a', 'b', 'c']";
  }

  @Override
  public void check(String name, Node args) {
    switch (args) {
      case Node.Literal l -> {
        if (!l.value().isObject()) {
          throw TemplateError.invalid("Arguments to \"" + name + "\" must be a map");
        }
        checkKeys(name, l.value().has("for_each"), l.value().has("template"), l.value().get("permutations"));
        if (!l.value().get("for_each").isObject()) {
          throw TemplateError.invalid(
              "The \"for_each\" argument to \"" + name + "\" must contain a map");
        }
      }
      case Node.MapNode m -> {
        Node p = m.entries().get("permutations");
        checkKeys(name, m.entries().containsKey("for_each"), m.entries().containsKey("template"),
            p instanceof Node.Literal lit ? lit.value() : null);
        Node fe = m.entries().get("for_each");
        if (fe instanceof Node.ListNode || fe instanceof Node.Literal lit && !lit.value().isObject()) {
          throw TemplateError.invalid(
              "The \"for_each\" argument to \"" + name + "\" must contain a map");
        }
      }
      case Node.ListNode l -> throw TemplateError.invalid("Arguments to \"" + name + "\" must be a map");
      case Call c -> {}
    }
  }

  private void checkKeys(String name, boolean forEach, boolean template, JsonNode permutations) {
    if (!forEach || !template) {
      throw TemplateError.invalid(syntax());
    }
    if (mode == Mode.NESTED_LOOP && permutations != null && !permutations.isBoolean()) {
      throw TemplateError.invalid(
          "\"permutations\" should be boolean type for " + name + " function.");
    }
  }

  @Override
  public JsonNode apply(String name, JsonNode args, Scope scope) {
    if (!args.isObject()) {
      throw TemplateError.invalid("Arguments to \"" + name + "\" must be a map");
    }
    JsonNode perm = mode == Mode.NESTED_LOOP ? args.get("permutations") : null;
    checkKeys(name, args.has("for_each"), args.has("template"), perm);
    boolean nested = perm == null || perm.booleanValue();
    JsonNode forEach = args.get("for_each");
    if (!forEach.isObject()) {
      throw TemplateError.invalid("The \"for_each\" argument to \"" + name + "\" must contain a map");
    }
    List<String> keys = new ArrayList<>();
    List<List<JsonNode>> lists = new ArrayList<>();
    Integer length = null;
    boolean unequal = false;
    for (Iterator<Map.Entry<String, JsonNode>> it = forEach.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      keys.add(e.getKey());
      JsonNode v = e.getValue();
      List<JsonNode> items = new ArrayList<>();
      if (!Values.isNull(v)) {
        boolean mapOk = mode != Mode.LISTS && (nested || mode != Mode.NESTED_LOOP);
        if (v.isArray()) {
          v.forEach(items::add);
        } else if (v.isObject() && mapOk) {
          v.fieldNames().forEachRemaining(k -> items.add(Values.text(k)));
        } else {
          throw TemplateError.invalid("The values of the \"for_each\" argument to \"" + name
              + "\" must be " + (mapOk ? "lists or maps" : "lists"));
        }
        if (length != null && length != items.size()) {
          unequal = true;
        }
        length = items.size();
      }
      lists.add(items);
    }
    if (!nested && unequal) {
      throw TemplateError.invalid("For " + name
          + ", the length of for_each values should be equal if no nested loop.");
    }
    JsonNode template = args.get("template");
    ArrayNode out = Values.array();
    List<String[]> combos = new ArrayList<>();
    if (nested) {
      product(lists, 0, new String[keys.size()], combos);
    } else {
      int n = lists.stream().mapToInt(List::size).min().orElse(0);
      for (int i = 0; i < n; i++) {
        String[] c = new String[keys.size()];
        for (int k = 0; k < keys.size(); k++) {
          c[k] = text(lists.get(k).get(i));
        }
        combos.add(c);
      }
    }
    for (String[] combo : combos) {
      out.add(substitute(template, keys, combo));
    }
    return out;
  }

  private static void product(List<List<JsonNode>> lists, int k, String[] current, List<String[]> out) {
    if (k == lists.size()) {
      out.add(current.clone());
      return;
    }
    for (JsonNode item : lists.get(k)) {
      current[k] = text(item);
      product(lists, k + 1, current, out);
    }
  }

  /** Python's str.replace needs a string; Heat fails on other items in the same way. */
  private static String text(JsonNode item) {
    if (!item.isTextual()) {
      throw TemplateError.invalid("replace() argument 2 must be str, not " + PyTypes.name(item));
    }
    return item.textValue();
  }

  private static JsonNode substitute(JsonNode t, List<String> keys, String[] values) {
    if (t.isTextual()) {
      String s = t.textValue();
      for (int i = 0; i < keys.size(); i++) {
        s = s.replace(keys.get(i), values[i]);
      }
      return Values.text(s);
    }
    if (t.isArray()) {
      ArrayNode a = Values.array();
      t.forEach(e -> a.add(substitute(e, keys, values)));
      return a;
    }
    if (t.isObject()) {
      ObjectNode o = Values.object();
      for (Iterator<Map.Entry<String, JsonNode>> it = t.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        o.set(substitute(Values.text(e.getKey()), keys, values).textValue(),
            substitute(e.getValue(), keys, values));
      }
      return o;
    }
    return t;
  }
}
