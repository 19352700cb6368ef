package dev.kiln.network.store;

import dev.kiln.network.Port.DhcpOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A port's extra DHCP options as one text column: an option a line, "version TAB name TAB value",
 * with backslash, tab and newline escaped in names and values (which are free text).
 */
final class DhcpOptionText {
  private DhcpOptionText() {}

  static String encode(List<DhcpOption> options) {
    StringBuilder out = new StringBuilder();
    for (DhcpOption o : options) {
      out.append(o.ipVersion()).append('\t').append(escape(o.name())).append('\t').append(escape(o.value())).append('\n');
    }
    return out.toString();
  }

  static List<DhcpOption> decode(String text) {
    if (text == null || text.isEmpty() || text.equals("[]")) {
      return List.of();
    }
    List<DhcpOption> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      String[] parts = line.split("\t", 3);
      out.add(new DhcpOption(unescape(parts[1]), unescape(parts[2]), Integer.parseInt(parts[0])));
    }
    return out;
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
  }

  private static String unescape(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char next = s.charAt(++i);
        out.append(next == 't' ? '\t' : next == 'n' ? '\n' : next);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
