package dev.kiln.orchestration.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.orchestration.template.ResourceDefinition.Hook;
import dev.kiln.orchestration.template.fn.Values;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An environment's {@code resource_registry} as Heat reads it: a type mapped to another type or
 * to a template file (a provider template), per-resource mappings and hooks under {@code
 * resources:} (names may be shell-style patterns), and wildcard type mappings ({@code OS::Foo::*:
 * OS::Bar::*}, or many-to-one {@code OS::*: OS::Heat::None}).
 */
final class Registry {
  private final JsonNode registry;
  private final JsonNode resources;

  Registry(JsonNode registry) {
    this.registry = registry == null || !registry.isObject() ? Values.object() : registry;
    JsonNode r = this.registry.get("resources");
    this.resources = r != null && r.isObject() ? r : Values.object();
  }

  static boolean isTemplateName(String type) {
    return type.endsWith(".yaml") || type.endsWith(".template");
  }

  /**
   * What {@code type} becomes for resource {@code resourceName}: a template file name (ending in
   * .yaml or .template) or a type to look up among the built-ins. Mappings are followed until
   * neither applies.
   */
  String resolve(String type, String resourceName) {
    String current = type;
    Set<String> seen = new HashSet<>();
    while (seen.add(current)) {
      if (isTemplateName(current)) {
        return current;
      }
      String next = step(current, resourceName);
      if (next == null) {
        return current;
      }
      current = next;
    }
    return current;
  }

  private String step(String type, String resourceName) {
    JsonNode own = resources.get(resourceName);
    if (own != null && own.isObject() && own.get(type) != null && own.get(type).isTextual()) {
      return own.get(type).textValue();
    }
    JsonNode direct = registry.get(type);
    if (direct != null && direct.isTextual()) {
      return direct.textValue();
    }
    // Wildcards: the longest matching prefix wins.
    String best = null;
    for (Iterator<String> it = registry.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      JsonNode v = registry.get(key);
      if (key.endsWith("*") && v.isTextual()) {
        String prefix = key.substring(0, key.length() - 1);
        if (type.startsWith(prefix) && !type.equals(v.textValue())
            && (best == null || key.length() > best.length())) {
          best = key;
        }
      }
    }
    if (best == null) {
      return null;
    }
    String target = registry.get(best).textValue();
    String prefix = best.substring(0, best.length() - 1);
    return target.endsWith("*") ? target.substring(0, target.length() - 1) + type.substring(prefix.length()) : target;
  }

  /** The hooks the environment sets on a resource (Heat's {@code matches_hook}). */
  Set<Hook> hooks(String resourceName) {
    Set<Hook> out = EnumSet.noneOf(Hook.class);
    for (Iterator<Map.Entry<String, JsonNode>> it = resources.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isObject() || !fnmatch(e.getKey(), resourceName)) {
        continue;
      }
      JsonNode hooks = e.getValue().get("hooks");
      if (hooks == null) {
        continue;
      }
      List<String> names = new ArrayList<>();
      if (hooks.isTextual()) {
        names.add(hooks.textValue());
      } else {
        hooks.forEach(h -> names.add(h.textValue()));
      }
      for (Hook h : Hook.values()) {
        if (names.contains(h.heatName())) {
          out.add(h);
        }
      }
    }
    return out;
  }

  /**
   * The registry a nested stack of {@code resourceName} sees (Heat's {@code
   * remove_resources_except}): its {@code resources:} become the entries under that name.
   */
  ObjectNode forNested(String resourceName) {
    ObjectNode copy = ((ObjectNode) registry).deepCopy();
    ObjectNode nested = Values.object();
    for (Iterator<Map.Entry<String, JsonNode>> it = resources.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (fnmatch(e.getKey(), resourceName) && e.getValue().isObject()) {
        nested.setAll((ObjectNode) e.getValue());
      }
    }
    JsonNode own = resources.get(resourceName);
    if (own != null && own.isObject()) {
      nested.setAll((ObjectNode) own);
    }
    copy.set("resources", nested);
    return copy;
  }

  /** Python's {@code fnmatch.fnmatchcase}: {@code *}, {@code ?}, {@code [seq]}, {@code [!seq]}. */
  static boolean fnmatch(String pattern, String name) {
    if (pattern.equals(name)) {
      return true;
    }
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '*') {
        re.append(".*");
      } else if (c == '?') {
        re.append('.');
      } else if (c == '[') {
        int j = pattern.indexOf(']', i + 2);
        if (j < 0) {
          re.append("\\[");
        } else {
          String body = pattern.substring(i + 1, j);
          re.append('[').append(body.startsWith("!") ? "^" + Pattern.quote(body.substring(1)) : Pattern.quote(body)).append(']');
          i = j;
        }
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL).matcher(name).matches();
  }
}
