package dev.kiln.orchestration.template.yaql;

import java.util.ArrayList;
import java.util.List;

/** A recursive-descent parser for Kiln's YAQL subset; errors are IllegalArgumentException. */
final class YaqlParser {
  private final String src;
  private int pos;

  private YaqlParser(String src) {
    this.src = src;
  }

  static YaqlNode parse(String text) {
    YaqlParser p = new YaqlParser(text);
    YaqlNode n = p.or();
    p.skip();
    if (p.pos < p.src.length()) {
      throw p.error("unexpected '" + p.src.charAt(p.pos) + "'");
    }
    return n;
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException("Parse error: " + what + " at position " + pos + " of '" + src + "'");
  }

  private void skip() {
    while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
      pos++;
    }
  }

  private boolean peek(String s) {
    skip();
    return src.startsWith(s, pos);
  }

  private boolean word(String w) {
    skip();
    if (src.startsWith(w, pos)) {
      int end = pos + w.length();
      if (end == src.length() || !Character.isLetterOrDigit(src.charAt(end)) && src.charAt(end) != '_') {
        pos = end;
        return true;
      }
    }
    return false;
  }

  private boolean eat(String s) {
    if (peek(s)) {
      pos += s.length();
      return true;
    }
    return false;
  }

  private void expect(String s) {
    if (!eat(s)) {
      throw error("expected '" + s + "'");
    }
  }

  private YaqlNode or() {
    YaqlNode left = and();
    while (word("or")) {
      left = new YaqlNode.Binary("or", left, and());
    }
    return left;
  }

  private YaqlNode and() {
    YaqlNode left = not();
    while (word("and")) {
      left = new YaqlNode.Binary("and", left, not());
    }
    return left;
  }

  private YaqlNode not() {
    if (word("not")) {
      return new YaqlNode.Unary("not", not());
    }
    return comparison();
  }

  private YaqlNode comparison() {
    YaqlNode left = additive();
    while (true) {
      String op = null;
      for (String candidate : new String[] {"!=", "<=", ">=", "=", "<", ">"}) {
        if (peek(candidate) && !peek("=>")) {
          op = candidate;
          break;
        }
      }
      if (op != null) {
        pos += op.length();
        left = new YaqlNode.Binary(op, left, additive());
      } else if (word("in")) {
        left = new YaqlNode.Binary("in", left, additive());
      } else {
        return left;
      }
    }
  }

  private YaqlNode additive() {
    YaqlNode left = multiplicative();
    while (true) {
      if (eat("+")) {
        left = new YaqlNode.Binary("+", left, multiplicative());
      } else if (peek("-") && !peek("->")) {
        pos++;
        left = new YaqlNode.Binary("-", left, multiplicative());
      } else {
        return left;
      }
    }
  }

  private YaqlNode multiplicative() {
    YaqlNode left = unary();
    while (true) {
      if (eat("*")) {
        left = new YaqlNode.Binary("*", left, unary());
      } else if (eat("/")) {
        left = new YaqlNode.Binary("/", left, unary());
      } else if (word("mod")) {
        left = new YaqlNode.Binary("mod", left, unary());
      } else {
        return left;
      }
    }
  }

  private YaqlNode unary() {
    if (eat("-")) {
      return new YaqlNode.Unary("-", unary());
    }
    return postfix(primary());
  }

  private YaqlNode postfix(YaqlNode n) {
    while (true) {
      if (eat(".")) {
        String name = identifier();
        if (eat("(")) {
          n = new YaqlNode.Invoke(n, name, args(")"));
        } else {
          n = new YaqlNode.Attr(n, name);
        }
      } else if (eat("[")) {
        YaqlNode index = or();
        expect("]");
        n = new YaqlNode.Index(n, index);
      } else {
        return n;
      }
    }
  }

  private List<YaqlNode> args(String close) {
    List<YaqlNode> out = new ArrayList<>();
    if (eat(close)) {
      return out;
    }
    do {
      out.add(or());
    } while (eat(","));
    expect(close);
    return out;
  }

  private String identifier() {
    skip();
    int start = pos;
    while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
      pos++;
    }
    if (start == pos) {
      throw error("expected a name");
    }
    return src.substring(start, pos);
  }

  private YaqlNode primary() {
    skip();
    if (pos >= src.length()) {
      throw error("unexpected end of expression");
    }
    char c = src.charAt(pos);
    if (c == '$') {
      pos++;
      int start = pos;
      while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
        pos++;
      }
      return new YaqlNode.Var(src.substring(start, pos));
    }
    if (c == '(') {
      pos++;
      YaqlNode n = or();
      expect(")");
      return n;
    }
    if (c == '[') {
      pos++;
      return new YaqlNode.ListOf(args("]"));
    }
    if (c == '{') {
      pos++;
      List<YaqlNode> keys = new ArrayList<>();
      List<YaqlNode> values = new ArrayList<>();
      if (!eat("}")) {
        do {
          keys.add(or());
          expect("=>");
          values.add(or());
        } while (eat(","));
        expect("}");
      }
      return new YaqlNode.MapOf(keys, values);
    }
    if (c == '\'' || c == '"') {
      return new YaqlNode.Const(string(c));
    }
    if (Character.isDigit(c)) {
      int start = pos;
      while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
        pos++;
      }
      if (pos + 1 < src.length() && src.charAt(pos) == '.' && Character.isDigit(src.charAt(pos + 1))) {
        pos++;
        while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
          pos++;
        }
        return new YaqlNode.Const(Double.parseDouble(src.substring(start, pos)));
      }
      return new YaqlNode.Const(Long.parseLong(src.substring(start, pos)));
    }
    if (word("true")) {
      return new YaqlNode.Const(Boolean.TRUE);
    }
    if (word("false")) {
      return new YaqlNode.Const(Boolean.FALSE);
    }
    if (word("null")) {
      return new YaqlNode.Const(null);
    }
    String name = identifier();
    expect("(");
    return new YaqlNode.Invoke(null, name, args(")"));
  }

  private String string(char quote) {
    pos++;
    StringBuilder b = new StringBuilder();
    while (pos < src.length() && src.charAt(pos) != quote) {
      char c = src.charAt(pos++);
      if (c == '\\' && pos < src.length()) {
        char e = src.charAt(pos++);
        b.append(switch (e) {
          case 'n' -> '\n';
          case 't' -> '\t';
          default -> e;
        });
      } else {
        b.append(c);
      }
    }
    if (pos >= src.length()) {
      throw error("unterminated string");
    }
    pos++;
    return b.toString();
  }
}
