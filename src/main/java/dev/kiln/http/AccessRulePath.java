package dev.kiln.http;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Matches a request path against an access rule's path template, as keystonemiddleware reads
 * one: {@code *} or a {@code {name}} stands for one or more characters without a {@code /},
 * {@code **} for any characters at all (none, or several segments), anything else for itself; the
 * whole path must match. A lone {@code {} or {@code }} that closes no name counts for nothing, as
 * there.
 *
 * <p>Matched without regular expressions, by carrying the set of path positions reachable after
 * each part of the template: linear in the template times the path, whatever the template holds,
 * so a template with many wildcards cannot make a request slow.
 */
public final class AccessRulePath {
  private AccessRulePath() {}

  private sealed interface Part permits Literal, Segment, Anything {}

  private record Literal(String text) implements Part {}

  /** {@code *} or {@code {name}}: one or more characters, none of them a slash. */
  private record Segment() implements Part {}

  /** {@code **}: any characters. */
  private record Anything() implements Part {}

  /** Whether {@code path} matches {@code template} in full. */
  public static boolean matches(String template, String path) {
    int n = path.length();
    BitSet reach = new BitSet(n + 1);
    reach.set(0);
    for (Part part : parts(template)) {
      if (reach.isEmpty()) {
        return false;
      }
      reach = switch (part) {
        case Literal l -> afterLiteral(reach, path, l.text());
        case Segment s -> afterSegment(reach, path);
        case Anything a -> afterAnything(reach, n);
      };
    }
    return reach.get(n);
  }

  private static BitSet afterLiteral(BitSet reach, String path, String text) {
    BitSet next = new BitSet(path.length() + 1);
    for (int p = reach.nextSetBit(0); p >= 0; p = reach.nextSetBit(p + 1)) {
      if (path.startsWith(text, p)) {
        next.set(p + text.length());
      }
    }
    return next;
  }

  /** Positions q after some reached p with p < q and no slash in path[p, q). */
  private static BitSet afterSegment(BitSet reach, String path) {
    int n = path.length();
    BitSet next = new BitSet(n + 1);
    boolean open = false;
    for (int q = 0; q < n; q++) {
      if (reach.get(q)) {
        open = true;
      }
      if (path.charAt(q) == '/') {
        open = false;
      } else if (open) {
        next.set(q + 1);
      }
    }
    return next;
  }

  private static BitSet afterAnything(BitSet reach, int n) {
    BitSet next = new BitSet(n + 1);
    next.set(reach.nextSetBit(0), n + 1);
    return next;
  }

  private static List<Part> parts(String template) {
    List<Part> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      Part wildcard = null;
      if (c == '*') {
        boolean twice = i + 1 < template.length() && template.charAt(i + 1) == '*';
        wildcard = twice ? new Anything() : new Segment();
        i += twice ? 2 : 1;
      } else if (c == '{' && template.indexOf('}', i + 1) > i) {
        wildcard = new Segment();
        i = template.indexOf('}', i + 1) + 1;
      } else {
        if (c != '{' && c != '}') {
          literal.append(c);
        }
        i++;
      }
      if (wildcard != null) {
        if (!literal.isEmpty()) {
          parts.add(new Literal(literal.toString()));
          literal.setLength(0);
        }
        parts.add(wildcard);
      }
    }
    if (!literal.isEmpty()) {
      parts.add(new Literal(literal.toString()));
    }
    return parts;
  }
}
