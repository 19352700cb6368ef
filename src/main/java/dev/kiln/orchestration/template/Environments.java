package dev.kiln.orchestration.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.orchestration.template.fn.Values;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and merges environments as Heat does (the result has Heat's four user-visible sections:
 * parameters, parameter_defaults, resource_registry with its {@code resources}, event_sinks): each environment file in order (Heat's {@code
 * merge_environments}, with {@code parameter_merge_strategies} overwrite / merge / deep_merge),
 * or, when there are none, the request's {@code environment}. Like Heat's API, the request's
 * environment is not used when environment files are given: heatclient sends the same content
 * merged client-side, and using both would apply {@code merge} strategies twice.
 */
final class Environments {
  static final Set<String> SECTIONS =
      Set.of("parameters", "resource_registry", "parameter_defaults", "encrypted_param_names",
          "event_sinks", "parameter_merge_strategies");
  static final List<String> HOOK_TYPES =
      List.of("pre-create", "pre-update", "pre-delete", "post-create", "post-update", "post-delete");

  private Environments() {}

  /** The merged environment as one object with every section present. */
  static ObjectNode merge(TemplateSource source, List<ParameterDefinition> params, boolean cfn) {
    ObjectNode env = empty();
    if (source.environmentFiles().isEmpty()) {
      if (source.environment() != null && !source.environment().isNull()) {
        JsonNode given = source.environment().isTextual()
            ? TemplateReader.parse(source.environment().textValue(), "environment", "Environment")
            : source.environment();
        if (!given.isObject()) {
          throw Errors.badRequest("Environment not in valid format: The environment is not a valid YAML mapping data type.");
        }
        validate(given);
        given.fields().forEachRemaining(e -> {
          if (!e.getKey().equals("parameter_merge_strategies")
              && !e.getKey().equals("encrypted_param_names")) {
            env.set(e.getKey(), e.getValue().deepCopy());
          }
        });
      }
    } else {
      Map<String, String> strategies = new HashMap<>();
      for (String name : source.environmentFiles()) {
        String text = source.files().get(name);
        if (text == null) {
          throw Errors.badRequest(
              "Environment not in valid format: the environment file " + name + " is not in files");
        }
        TemplateReader.checkSize(text.length());
        ObjectNode file = (ObjectNode) TemplateReader.parse(text, name, "Environment").deepCopy();
        validate(file);
        JsonNode fileStrategies = file.remove("parameter_merge_strategies");
        mergeFile(env, file, fileStrategies, strategies, params, cfn, name);
      }
    }
    JsonNode registry = env.get("resource_registry");
    if (registry instanceof ObjectNode r && !r.has("resources")) {
      r.set("resources", Values.object());
    }
    checkRegistry(registry, "resource_registry");
    return env;
  }

  static ObjectNode empty() {
    ObjectNode env = Values.object();
    env.set("parameters", Values.object());
    ObjectNode registry = Values.object();
    registry.set("resources", Values.object());
    env.set("resource_registry", registry);
    env.set("parameter_defaults", Values.object());
    env.set("event_sinks", Values.array());
    return env;
  }

  private static void validate(JsonNode env) {
    for (Iterator<Map.Entry<String, JsonNode>> it = env.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!SECTIONS.contains(e.getKey())) {
        throw Errors.badRequest(
            "Environment not in valid format: environment has wrong section \"" + e.getKey() + "\"");
      }
      if (e.getValue().isNull()) {
        throw Errors.badRequest(
            "Environment not in valid format: environment has empty section \"" + e.getKey() + "\"");
      }
    }
    for (String section : List.of("parameters", "parameter_defaults", "resource_registry")) {
      if (env.has(section) && !env.get(section).isObject()) {
        throw Errors.badRequest(
            "Environment not in valid format: environment section \"" + section + "\" must be a map");
      }
    }
  }

  private static void mergeFile(
      ObjectNode env,
      ObjectNode file,
      JsonNode fileStrategies,
      Map<String, String> chosen,
      List<ParameterDefinition> params,
      boolean cfn,
      String fileName) {
    Map<String, ParameterDefinition> byName = new LinkedHashMap<>();
    params.forEach(p -> byName.put(p.name(), p));
    for (Iterator<Map.Entry<String, JsonNode>> it = file.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String section = e.getKey();
      JsonNode value = e.getValue();
      if (value.isContainerNode() && value.isEmpty() || section.equals("encrypted_param_names")) {
        continue;
      }
      if (section.equals("parameters") || section.equals("parameter_defaults")) {
        mergeParameters((ObjectNode) env.get(section), value, fileStrategies, chosen, byName, cfn, fileName);
      } else if (value.isArray()) {
        ArrayNode merged = env.get(section) instanceof ArrayNode a ? a : Values.array();
        merged.addAll((ArrayNode) value);
        env.set(section, merged);
      } else if (value.isObject() && env.get(section) instanceof ObjectNode old) {
        value.fields().forEachRemaining(kv -> old.set(kv.getKey(), kv.getValue()));
      } else {
        env.set(section, value);
      }
    }
  }

  private static void mergeParameters(
      ObjectNode old,
      JsonNode incoming,
      JsonNode fileStrategies,
      Map<String, String> chosen,
      Map<String, ParameterDefinition> params,
      boolean cfn,
      String fileName) {
    for (Iterator<Map.Entry<String, JsonNode>> it = incoming.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      JsonNode value = e.getValue();
      if (value.isNull()) {
        continue;
      }
      ParameterDefinition p = params.get(key);
      if (p == null) {
        // Heat keeps parameters the template does not declare (they fail later as unknown).
        old.set(key, value);
        continue;
      }
      String strategy = strategy(fileStrategies, key, chosen);
      String previous = chosen.putIfAbsent(key, strategy);
      if (previous != null && !previous.equals(strategy)) {
        throw Errors.invalid("ConflictingMergeStrategyForParam", "Conflicting merge strategy '"
            + strategy + "' for parameter '" + key + "' in file '" + fileName + "'.");
      }
      JsonNode current = old.get(key);
      if (strategy.equals("overwrite") || current == null || isEmpty(current)) {
        old.set(key, value);
        continue;
      }
      ParamType type = ParamType.of(p.type(), cfn);
      boolean deep = strategy.equals("deep_merge");
      old.set(key, switch (type) {
        case JSON -> mergeMap(ParameterBinding.json(current), ParameterBinding.json(value), deep);
        case LIST -> mergeList(current, value);
        case STRING -> Values.text(Values.str(current) + Values.str(value));
        case NUMBER -> Values.JSON.numberNode(
            ConstraintCheck.number(current) + ConstraintCheck.number(value));
        case BOOLEAN -> throw Errors.invalid("InvalidMergeStrategyForParam",
            "Invalid merge strategy 'merge' for parameter '" + key + "'.");
      });
    }
  }

  private static boolean isEmpty(JsonNode n) {
    return n.isNull() || (n.isContainerNode() && n.isEmpty()) || (n.isTextual() && n.textValue().isEmpty());
  }

  private static String strategy(JsonNode fileStrategies, String key, Map<String, String> chosen) {
    if (fileStrategies == null || !fileStrategies.isObject()) {
      return chosen.getOrDefault(key, "overwrite");
    }
    String fallback = fileStrategies.has("default") ? Values.str(fileStrategies.get("default")) : "overwrite";
    String s = fileStrategies.has(key) ? Values.str(fileStrategies.get(key)) : chosen.getOrDefault(key, fallback);
    return Set.of("overwrite", "merge", "deep_merge").contains(s) ? s : fallback;
  }

  private static JsonNode mergeList(JsonNode old, JsonNode incoming) {
    if (incoming.isArray()) {
      ArrayNode out = old.isArray() ? ((ArrayNode) old).deepCopy() : Values.array();
      if (!old.isArray()) {
        out.add(old);
      }
      out.addAll((ArrayNode) incoming);
      return out;
    }
    return Values.text(Values.str(old) + "," + Values.str(incoming));
  }

  private static JsonNode mergeMap(JsonNode old, JsonNode incoming, boolean deep) {
    if (!old.isObject() || !incoming.isObject()) {
      return incoming;
    }
    ObjectNode out = ((ObjectNode) old).deepCopy();
    for (Iterator<Map.Entry<String, JsonNode>> it = incoming.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      JsonNode current = out.get(e.getKey());
      if (v.isNull()) {
        continue;
      }
      if (!deep || current == null || isEmpty(current)) {
        out.set(e.getKey(), v);
      } else if (v.isObject()) {
        out.set(e.getKey(), mergeMap(current, v, true));
      } else if (v.isArray()) {
        out.set(e.getKey(), mergeList(current, v));
      } else if (v.isTextual()) {
        out.put(e.getKey(), Values.str(current) + v.textValue());
      } else {
        out.set(e.getKey(), v);
      }
    }
    return out;
  }

  /** Refuses hook values that are not Heat's hook types, anywhere in the registry. */
  private static void checkRegistry(JsonNode registry, String path) {
    if (registry == null || !registry.isObject()) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = registry.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      if (e.getKey().equals("hooks")) {
        boolean ok = v.isTextual() ? HOOK_TYPES.contains(v.textValue()) : v.isArray();
        if (v.isArray()) {
          for (JsonNode h : v) {
            ok &= h.isTextual() && HOOK_TYPES.contains(h.textValue());
          }
        }
        if (!ok) {
          throw Errors.invalid("InvalidBreakPointHook", "Invalid hook type \"" + Values.str(v)
              + "\" for resource breakpoint, acceptable hook types are: ('"
              + String.join("', '", HOOK_TYPES) + "')");
        }
      } else if (e.getKey().equals("restricted_actions")) {
        boolean ok = v.isTextual() ? Set.of("update", "replace").contains(v.textValue()) : v.isArray();
        if (v.isArray()) {
          for (JsonNode a : v) {
            ok &= a.isTextual() && Set.of("update", "replace").contains(a.textValue());
          }
        }
        if (!ok) {
          throw Errors.invalid("InvalidRestrictedAction", "Invalid restricted_action type \""
              + Values.str(v) + "\" for resource, acceptable restricted_action types are: ('update', 'replace')");
        }
      } else if (v.isObject()) {
        checkRegistry(v, path + "." + e.getKey());
      }
    }
  }

  static Map<String, JsonNode> asMap(JsonNode section) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    if (section != null && section.isObject()) {
      section.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
    }
    return out;
  }

  static Environment record(ObjectNode env) {
    return new Environment(
        asMap(env.get("parameters")),
        asMap(env.get("parameter_defaults")),
        env.get("resource_registry"),
        env.get("event_sinks"));
  }
}
