package dev.kiln.orchestration.template.fn;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code str_replace: {template: …, params: {key: value}}}. Longer keys are replaced first, then
 * lexically smaller ones, and replaced text is never matched again (Heat splits the template on
 * each key in turn). Variants by version: before HOT 2015-10-15 only scalars may be substituted;
 * then maps and lists are substituted as JSON; {@code str_replace_strict} also refuses a key that
 * is not in the template, and {@code str_replace_vstrict} an empty or null value.
 */
public final class StrReplace implements Function {
  public enum Mode {
    SCALARS,
    JSON,
    STRICT,
    VERY_STRICT
  }

  public static final StrReplace SCALARS = new StrReplace(Mode.SCALARS);
  public static final StrReplace JSON = new StrReplace(Mode.JSON);
  public static final StrReplace STRICT = new StrReplace(Mode.STRICT);
  public static final StrReplace VERY_STRICT = new StrReplace(Mode.VERY_STRICT);

  private static final Comparator<String> LONGEST_FIRST =
      Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder());

  private final Mode mode;

  private StrReplace(Mode mode) {
    this.mode = mode;
  }

  @Override
  public String description() {
    return switch (mode) {
      case SCALARS -> "Substitutes the params' values (strings or numbers) for their keys in a string.";
      case JSON ->
          "Substitutes the params' values for their keys in a string; maps and lists are"
              + " substituted as JSON.";
      case STRICT -> "Like str_replace, and fails when a param's key does not occur in the string.";
      case VERY_STRICT ->
          "Like str_replace_strict, and fails when a param's value is null or empty.";
    };
  }

  private static String syntax(String name) {
    return "\""
        + name
        + "\" syntax should be "
        + name
        + ":\n              template: This is var1 template var2\n"
        + "              params:\n                var1: a\n                var2: string";
  }

  @Override
  public void check(String name, Node args) {
    switch (args) {
      case Node.Literal l -> {
        if (!l.value().isObject()) {
          throw TemplateError.invalid("Arguments to \"" + name + "\" must be a map");
        }
        if (!l.value().has("params") || !l.value().has("template")) {
          throw TemplateError.invalid(syntax(name));
        }
        if (!l.value().get("params").isObject()) {
          throw TemplateError.invalid("\"" + name + "\" parameters must be a mapping");
        }
      }
      case Node.MapNode m -> {
        if (!m.entries().containsKey("params") || !m.entries().containsKey("template")) {
          throw TemplateError.invalid(syntax(name));
        }
        Node params = m.entries().get("params");
        if (params instanceof Node.Literal p && !p.value().isObject()
            || params instanceof Node.ListNode) {
          throw TemplateError.invalid("\"" + name + "\" parameters must be a mapping");
        }
      }
      case Node.ListNode l -> throw TemplateError.invalid("Arguments to \"" + name + "\" must be a map");
      case Call c -> {}
    }
  }

  @Override
  public JsonNode apply(String name, JsonNode args, Scope scope) {
    if (!args.isObject()) {
      throw TemplateError.invalid("Arguments to \"" + name + "\" must be a map");
    }
    if (!args.has("params") || !args.has("template")) {
      throw TemplateError.invalid(syntax(name));
    }
    JsonNode template = args.get("template");
    JsonNode params = args.get("params");
    if (!template.isTextual()) {
      throw TemplateError.invalid("\"" + name + "\" template must be a string");
    }
    if (!params.isObject()) {
      throw TemplateError.invalid("\"" + name + "\" params must be a map");
    }
    List<String> keys = new ArrayList<>();
    params.fieldNames().forEachRemaining(keys::add);
    keys.sort(LONGEST_FIRST);
    Set<String> unreplaced = new TreeSet<>(LONGEST_FIRST);
    boolean strict = mode == Mode.STRICT || mode == Mode.VERY_STRICT;
    if (strict) {
      unreplaced.addAll(keys);
    }
    List<String> values = new ArrayList<>(keys.size());
    for (String key : keys) {
      values.add(replacement(name, key, params.get(key)));
    }
    String result = replace(template.textValue(), keys, values, 0, unreplaced);
    if (strict && !unreplaced.isEmpty()) {
      throw TemplateError.invalid(
          "The following params were not found in the template: " + String.join(",", unreplaced));
    }
    return Values.text(result);
  }

  private static String replace(
      String s, List<String> keys, List<String> values, int k, Set<String> unreplaced) {
    if (k == keys.size()) {
      return s;
    }
    String key = keys.get(k);
    List<String> parts = split(s, key);
    if (parts.size() > 1) {
      unreplaced.remove(key);
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < parts.size(); i++) {
      if (i > 0) {
        out.append(values.get(k));
      }
      out.append(replace(parts.get(i), keys, values, k + 1, unreplaced));
    }
    return out.toString();
  }

  /** Python's {@code str.split(sep)} (an empty key never splits here; Python would refuse it). */
  private static List<String> split(String s, String sep) {
    List<String> parts = new ArrayList<>();
    if (sep.isEmpty()) {
      parts.add(s);
      return parts;
    }
    int from = 0;
    for (int at; (at = s.indexOf(sep, from)) >= 0; from = at + sep.length()) {
      parts.add(s.substring(from, at));
    }
    parts.add(s.substring(from));
    return parts;
  }

  private String replacement(String name, String key, JsonNode value) {
    boolean allowEmpty = mode != Mode.VERY_STRICT;
    String empty =
        name
            + " has an undefined or empty value for param "
            + key
            + ", must be a defined non-empty value";
    if (Values.isNull(value)) {
      if (allowEmpty) {
        return "";
      }
      throw TemplateError.invalid(empty);
    }
    if (value.isContainerNode()) {
      if (mode == Mode.SCALARS) {
        throw TemplateError.invalid(
            "\"" + name + "\" params must be strings or numbers, param " + key + " is not valid");
      }
      if (!allowEmpty && value.isEmpty()) {
        throw TemplateError.invalid(empty);
      }
      return Values.dumps(value, true);
    }
    String text = Values.scalarText(value);
    if (!allowEmpty && text.isEmpty()) {
      throw TemplateError.invalid(empty);
    }
    return text;
  }
}
