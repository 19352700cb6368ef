package dev.kiln.orchestration.template.fn;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * {@code make_url: {scheme, username, password, host, port, path, query, fragment}}: a URL with
 * each part escaped as Python's {@code urllib.parse} escapes it.
 */
public final class MakeUrl implements Function {
  public static final MakeUrl INSTANCE = new MakeUrl();

  private static final Set<String> KEYS =
      Set.of("scheme", "username", "password", "host", "port", "path", "query", "fragment");

  @Override
  public String description() {
    return "Builds a correctly escaped URL from its parts.";
  }

  @Override
  public void check(String name, Node args) {
    if (args instanceof Node.Literal l) {
      checkArgs(name, l.value());
    } else if (args instanceof Node.ListNode) {
      throw TemplateError.invalid("The arguments to \"" + name + "\" must be a map");
    } else if (args instanceof Node.MapNode m) {
      for (String k : m.entries().keySet()) {
        if (!KEYS.contains(k)) {
          throw TemplateError.invalid("Invalid arguments to \"" + name + "\": " + k);
        }
      }
    }
  }

  private static void checkArgs(String name, JsonNode args) {
    if (!args.isObject()) {
      throw TemplateError.invalid("The arguments to \"" + name + "\" must be a map");
    }
    StringBuilder invalid = new StringBuilder();
    for (Iterator<String> it = args.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!KEYS.contains(k)) {
        invalid.append(invalid.isEmpty() ? "" : ", ").append(k);
      }
    }
    if (!invalid.isEmpty()) {
      throw TemplateError.invalid("Invalid arguments to \"" + name + "\": " + invalid);
    }
    for (String k : new String[] {"scheme", "username", "password", "host", "port", "path", "query", "fragment"}) {
      JsonNode v = args.get(k);
      if (v == null) {
        continue;
      }
      if (k.equals("query")) {
        if (!v.isObject()) {
          throw TemplateError.invalid("The \"query\" argument to \"" + name + "\" must be a map");
        }
        return; // Heat stops checking at the query, as here.
      } else if (k.equals("port")) {
        long port;
        if (v.isIntegralNumber()) {
          port = v.longValue();
        } else {
          try {
            port = Long.parseLong(Values.str(v).strip());
          } catch (NumberFormatException e) {
            throw TemplateError.invalid("Invalid URL port \"" + Values.str(v) + "\" for " + name
                + " called with " + Values.repr(args));
          }
        }
        if (!(0 < port && port <= 65535)) {
          throw TemplateError.invalid("Invalid URL port " + port + ", must be in range 1-65535");
        }
      } else if (!v.isTextual()) {
        throw TemplateError.invalid("The \"" + k + "\" argument to \"" + name + "\" must be a string");
      }
    }
  }

  @Override
  public JsonNode apply(String name, JsonNode args, Scope scope) {
    checkArgs(name, args);
    String scheme = text(args, "scheme");
    if (scheme.contains(":")) {
      throw TemplateError.invalid("URL \"scheme\" should not contain ':'");
    }
    StringBuilder netloc = new StringBuilder();
    String user = quote(text(args, "username"), "");
    String pass = quote(text(args, "password"), "");
    if (!user.isEmpty() || !pass.isEmpty()) {
      netloc.append(user);
      if (!pass.isEmpty()) {
        netloc.append(':').append(pass);
      }
      netloc.append('@');
    }
    String host = text(args, "host");
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    host = quote(host, ":");
    netloc.append(host.contains(":") ? "[" + host + "]" : host);
    JsonNode port = args.get("port");
    if (port != null && !Values.str(port).isEmpty() && !(port.isIntegralNumber() && port.longValue() == 0)) {
      netloc.append(':').append(Values.str(port));
    }
    String path = quote(text(args, "path"), "/");
    StringBuilder query = new StringBuilder();
    JsonNode q = args.get("query");
    if (q != null) {
      for (Iterator<Map.Entry<String, JsonNode>> it = q.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!query.isEmpty()) {
          query.append('&');
        }
        query.append(quotePlus(e.getKey())).append('=').append(quotePlus(Values.str(e.getValue())));
      }
    }
    String queryText = query.toString().replace("%2F", "/");
    String fragment = quote(text(args, "fragment"), "/");
    // urlunsplit
    StringBuilder url = new StringBuilder();
    if (!scheme.isEmpty()) {
      url.append(scheme).append(':');
    }
    if (!netloc.isEmpty() || (!scheme.isEmpty() && isNetlocScheme(scheme))) {
      url.append("//").append(netloc);
      if (!path.isEmpty() && !path.startsWith("/")) {
        url.append('/');
      }
    }
    url.append(path);
    if (!queryText.isEmpty()) {
      url.append('?').append(queryText);
    }
    if (!fragment.isEmpty()) {
      url.append('#').append(fragment);
    }
    return Values.text(url.toString());
  }

  private static boolean isNetlocScheme(String scheme) {
    return Set.of("", "ftp", "http", "gopher", "nntp", "telnet", "imap", "wais", "file", "mms",
            "https", "shttp", "snews", "prospero", "rtsp", "rtspu", "rsync", "svn", "svn+ssh",
            "sftp", "nfs", "git", "git+ssh", "ws", "wss")
        .contains(scheme);
  }

  private static String text(JsonNode args, String key) {
    JsonNode v = args.get(key);
    return v == null || v.isNull() ? "" : Values.str(v);
  }

  private static final String ALWAYS_SAFE =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~";

  /** Python's {@code urllib.parse.quote(s, safe)}. */
  static String quote(String s, String safe) {
    StringBuilder b = new StringBuilder();
    for (byte raw : s.getBytes(StandardCharsets.UTF_8)) {
      int c = raw & 0xff;
      if (c < 128 && (ALWAYS_SAFE.indexOf(c) >= 0 || safe.indexOf(c) >= 0)) {
        b.append((char) c);
      } else {
        b.append('%').append(String.format("%02X", c));
      }
    }
    return b.toString();
  }

  /** Python's {@code quote_plus}, as urlencode uses it. */
  static String quotePlus(String s) {
    return quote(s, " ").replace(' ', '+');
  }
}
