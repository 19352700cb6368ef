package dev.kiln.orchestration.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.ServiceException;
import dev.kiln.orchestration.template.fn.Values;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Turns a composed YAML document into JSON values as PyYAML's safe loader builds them: YAML 1.1
 * scalars, merge keys ({@code <<}), aliases. An alias shares its anchor's value (as PyYAML shares
 * the object), so nothing is copied; but the document's expanded size (what a consumer walking it
 * would see) is computed first and a document over {@link #MAX_EXPANDED_NODES} — a "billion
 * laughs" bomb — is refused before any of it is built.
 */
final class YamlTree {
  /** More nodes than any template under 512 KB can have without aliases. */
  static final long MAX_EXPANDED_NODES = 1_000_000;

  private final String kind;
  private final IdentityHashMap<Node, Long> sizes = new IdentityHashMap<>();
  private final IdentityHashMap<Node, JsonNode> built = new IdentityHashMap<>();

  YamlTree(String kind) {
    this.kind = kind;
  }

  static ServiceException bomb() {
    return new ServiceException(
        ServiceException.Kind.INVALID,
        "RequestLimitExceeded",
        "Request limit exceeded: the document's YAML aliases expand to more than "
            + MAX_EXPANDED_NODES
            + " values; it is refused rather than expanded.");
  }

  JsonNode convert(Node root) {
    if (size(root, new IdentityHashMap<>()) > MAX_EXPANDED_NODES) {
      throw bomb();
    }
    return build(root);
  }

  /** The expanded node count, memoised per node so that shared anchors are counted in O(n). */
  private long size(Node node, IdentityHashMap<Node, Boolean> inProgress) {
    // Only anchored nodes can be reached twice (through aliases), so only they are remembered.
    boolean anchored = node.getAnchor() != null;
    if (anchored) {
      Long known = sizes.get(node);
      if (known != null) {
        return known;
      }
      if (inProgress.put(node, Boolean.TRUE) != null) {
        throw Errors.badRequest(kind + " not in valid format: a YAML alias refers to its own anchor");
      }
    }
    long total = 1;
    if (node instanceof SequenceNode seq) {
      for (Node child : seq.getValue()) {
        total = Math.addExact(total, size(child, inProgress));
        if (total > MAX_EXPANDED_NODES) {
          throw bomb();
        }
      }
    } else if (node instanceof MappingNode map) {
      for (NodeTuple t : map.getValue()) {
        total = Math.addExact(total, size(t.getKeyNode(), inProgress));
        total = Math.addExact(total, size(t.getValueNode(), inProgress));
        if (total > MAX_EXPANDED_NODES) {
          throw bomb();
        }
      }
    }
    if (anchored) {
      inProgress.remove(node);
      sizes.put(node, total);
    }
    return total;
  }

  private JsonNode build(Node node) {
    boolean anchored = node.getAnchor() != null;
    JsonNode done = anchored ? built.get(node) : null;
    if (done != null) {
      return done;
    }
    JsonNode out =
        switch (node) {
          case ScalarNode s -> scalar(s);
          case SequenceNode seq -> {
            ArrayNode a = Values.array();
            for (Node child : seq.getValue()) {
              a.add(build(child));
            }
            yield a;
          }
          case MappingNode map -> mapping(map);
          default -> throw unsupported(node.getTag());
        };
    if (anchored) {
      built.put(node, out);
    }
    return out;
  }

  private ObjectNode mapping(MappingNode map) {
    ObjectNode o = Values.object();
    List<ObjectNode> merged = new ArrayList<>();
    for (NodeTuple t : map.getValue()) {
      Node key = t.getKeyNode();
      if (key.getTag().equals(Tag.MERGE)) {
        Node v = t.getValueNode();
        if (v instanceof MappingNode m) {
          merged.add(mapping(m));
        } else if (v instanceof SequenceNode seq) {
          for (Node item : seq.getValue()) {
            if (!(item instanceof MappingNode m)) {
              throw Errors.badRequest(
                  kind + " not in valid format: expected a mapping for merging");
            }
            merged.add(mapping(m));
          }
        } else {
          throw Errors.badRequest(
              kind + " not in valid format: expected a mapping or list of mappings for merging");
        }
      }
    }
    // PyYAML: the first merged mapping wins over later ones; explicit keys win over all.
    for (int i = merged.size() - 1; i >= 0; i--) {
      for (Map.Entry<String, JsonNode> e : merged.get(i).properties()) {
        o.set(e.getKey(), e.getValue());
      }
    }
    for (NodeTuple t : map.getValue()) {
      Node key = t.getKeyNode();
      if (key.getTag().equals(Tag.MERGE)) {
        continue;
      }
      o.set(keyText(build(key)), build(t.getValueNode()));
    }
    return o;
  }

  /** A key as Python's json would write it out: JSON object keys are strings. */
  private static String keyText(JsonNode key) {
    if (key.isTextual()) {
      return key.textValue();
    }
    if (key.isBoolean()) {
      return key.booleanValue() ? "true" : "false";
    }
    if (key.isNull()) {
      return "null";
    }
    if (key.isNumber()) {
      return Values.number(key);
    }
    return Values.str(key);
  }

  private JsonNode scalar(ScalarNode s) {
    String v = s.getValue();
    Tag tag = s.getTag();
    if (tag.equals(Tag.STR) || tag.equals(Tag.TIMESTAMP)) {
      return Values.text(v);
    }
    if (tag.equals(Tag.NULL)) {
      return Values.JSON.nullNode();
    }
    if (tag.equals(Tag.BOOL)) {
      String b = v.toLowerCase(Locale.ROOT);
      return Values.JSON.booleanNode(b.equals("yes") || b.equals("true") || b.equals("on"));
    }
    if (tag.equals(Tag.INT)) {
      return Values.integer(integer(v));
    }
    if (tag.equals(Tag.FLOAT)) {
      return floating(v);
    }
    if (tag.equals(Tag.BINARY)) {
      return Values.text(v);
    }
    throw unsupported(tag);
  }

  private ServiceException unsupported(Tag tag) {
    return Errors.badRequest(
        kind
            + " not in valid format: could not determine a constructor for the tag '"
            + tag.getValue()
            + "'");
  }

  /** PyYAML's construct_yaml_int: signs, underscores, 0b, 0x, leading-zero octal, base 60. */
  static BigInteger integer(String text) {
    String v = text.replace("_", "");
    int sign = 1;
    if (v.startsWith("-")) {
      sign = -1;
      v = v.substring(1);
    } else if (v.startsWith("+")) {
      v = v.substring(1);
    }
    BigInteger n;
    if (v.equals("0")) {
      n = BigInteger.ZERO;
    } else if (v.startsWith("0b")) {
      n = new BigInteger(v.substring(2), 2);
    } else if (v.startsWith("0x")) {
      n = new BigInteger(v.substring(2), 16);
    } else if (v.startsWith("0")) {
      n = new BigInteger(v.substring(1), 8);
    } else if (v.contains(":")) {
      n = BigInteger.ZERO;
      for (String part : v.split(":")) {
        n = n.multiply(BigInteger.valueOf(60)).add(new BigInteger(part));
      }
    } else {
      n = new BigInteger(v);
    }
    return sign < 0 ? n.negate() : n;
  }

  private static JsonNode floating(String text) {
    String v = text.replace("_", "").toLowerCase(Locale.ROOT);
    double sign = 1;
    if (v.startsWith("-")) {
      sign = -1;
      v = v.substring(1);
    } else if (v.startsWith("+")) {
      v = v.substring(1);
    }
    if (v.equals(".inf")) {
      return Values.JSON.numberNode(sign * Double.POSITIVE_INFINITY);
    }
    if (v.equals(".nan")) {
      return Values.JSON.numberNode(Double.NaN);
    }
    if (v.contains(":")) {
      double n = 0;
      for (String part : v.split(":")) {
        n = n * 60 + Double.parseDouble(part);
      }
      return Values.JSON.numberNode(sign * n);
    }
    return Values.JSON.numberNode(sign * new BigDecimal(v.endsWith(".") ? v + "0" : v).doubleValue());
  }
}
