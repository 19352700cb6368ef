package dev.kiln.orchestration.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The attributes of a resource made of members in a nested stack (ResourceGroup, ResourceChain):
 * {@code refs}, {@code refs_map}, {@code attributes} (each member attribute as a map by member),
 * {@code resource.<n>} (one member's attributes), {@code removed_rsrc_list}, and any other name as
 * the list of that attribute of each member.
 */
final class GroupAttributes {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private GroupAttributes() {}

  static JsonNode of(ResourceState group, String name, NestedStacks nested) {
    if (group.physicalId() == null) {
      return NullNode.instance;
    }
    String child = group.physicalId();
    Map<String, ResourceState> members = nested.resources(child);
    List<String> names = new ArrayList<>(members.keySet());
    names.sort(GroupAttributes::byIndex);
    switch (name) {
      case "refs" -> {
        ArrayNode refs = JSON.arrayNode();
        names.forEach(n -> refs.add(nested.referenceId(child, n)));
        return refs;
      }
      case "refs_map" -> {
        ObjectNode refs = JSON.objectNode();
        names.forEach(n -> refs.put(n, nested.referenceId(child, n)));
        return refs;
      }
      case "removed_rsrc_list" -> {
        ArrayNode removed = JSON.arrayNode();
        group.data().path("removed").forEach(removed::add);
        return removed;
      }
      case "attributes" -> {
        ObjectNode byAttribute = JSON.objectNode();
        for (String member : names) {
          for (String attr : memberAttributes(nested, child, member)) {
            ((ObjectNode) byAttribute.with(attr)).set(member, nested.attribute(child, member, attr));
          }
        }
        return byAttribute;
      }
      default -> {
        if (name.startsWith("resource.")) {
          String rest = name.substring("resource.".length());
          int dot = rest.indexOf('.');
          String member = dot < 0 ? rest : rest.substring(0, dot);
          if (!members.containsKey(member)) {
            throw new IllegalArgumentException("Member '" + member + "' not found in group resource '" + group.name() + "'.");
          }
          if (dot >= 0) {
            return nested.attribute(child, member, rest.substring(dot + 1));
          }
          ObjectNode all = JSON.objectNode();
          for (String attr : memberAttributes(nested, child, member)) {
            all.set(attr, nested.attribute(child, member, attr));
          }
          return all;
        }
        ArrayNode values = JSON.arrayNode();
        names.forEach(n -> values.add(nested.attribute(child, n, name)));
        return values;
      }
    }
  }

  private static List<String> memberAttributes(NestedStacks nested, String child, String member) {
    List<String> out = new ArrayList<>(nested.attributeNames(child, member));
    out.remove("show");
    return out;
  }

  static int byIndex(String a, String b) {
    boolean na = a.chars().allMatch(Character::isDigit) && !a.isEmpty();
    boolean nb = b.chars().allMatch(Character::isDigit) && !b.isEmpty();
    if (na && nb) {
      return Long.compare(Long.parseLong(a), Long.parseLong(b));
    }
    return a.compareTo(b);
  }
}
