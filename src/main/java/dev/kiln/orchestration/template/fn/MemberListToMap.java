package dev.kiln.orchestration.template.fn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code Fn::MemberListToMap: [keyName, valueName, ['.member.0.Name=k', '.member.0.Value=v',
 * …]]}: AWS query-style member lists as a map.
 */
public final class MemberListToMap implements Function {
  public static final MemberListToMap INSTANCE = new MemberListToMap();

  @Override
  public String description() {
    return "A map from an AWS-style list of '.member.N.Name=key' and '.member.N.Value=value' items.";
  }

  @Override
  public JsonNode apply(String name, JsonNode args, Scope scope) {
    if (!args.isArray() || args.size() != 3) {
      throw TemplateError.invalid("Wrong Arguments try: \"{'Fn::MemberListToMap': ['Name', 'Value',"
          + " ['.member.0.Name=key', '.member.0.Value=door']]}\"");
    }
    if (!args.get(0).isTextual()) {
      throw TemplateError.invalid(name + " Key Name must be a string");
    }
    if (!args.get(1).isTextual()) {
      throw TemplateError.invalid(name + " Value Name must be a string");
    }
    if (!args.get(2).isArray()) {
      throw TemplateError.invalid("Member list must be a list");
    }
    Map<String, String> partials = new HashMap<>();
    for (JsonNode item : args.get(2)) {
      if (!item.isTextual()) {
        throw TemplateError.invalid("Member list items must be strings");
      }
      String[] kv = item.textValue().split("=", 2);
      partials.put(kv[0], kv.length > 1 ? kv[1] : "");
    }
    String keyName = args.get(0).textValue();
    String valueName = args.get(1).textValue();
    TreeMap<Integer, String[]> pairs = new TreeMap<>();
    for (Map.Entry<String, String> e : partials.entrySet()) {
      String[] parts = e.getKey().split("\\.");
      // '.member.N.Name': ['', 'member', 'N', 'Name']
      if (parts.length == 4 && parts[1].equals("member")) {
        try {
          int n = Integer.parseInt(parts[2]);
          String[] pair = pairs.computeIfAbsent(n, x -> new String[2]);
          if (parts[3].equals(keyName)) {
            pair[0] = e.getValue();
          } else if (parts[3].equals(valueName)) {
            pair[1] = e.getValue();
          }
        } catch (NumberFormatException ignored) {
          // not a member entry
        }
      }
    }
    ObjectNode out = Values.object();
    pairs.values().forEach(p -> {
      if (p[0] != null && p[1] != null) {
        out.put(p[0], p[1]);
      }
    });
    return out;
  }
}
