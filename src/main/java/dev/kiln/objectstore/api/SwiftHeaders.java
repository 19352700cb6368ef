package dev.kiln.objectstore.api;

import dev.kiln.objectstore.Account;
import dev.kiln.objectstore.Container;
import dev.kiln.objectstore.Metadata;
import dev.kiln.objectstore.StoredObject;
import dev.kiln.objectstore.Timestamps;
import io.helidon.http.Header;
import io.helidon.webserver.http.ServerRequest;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Swift's headers: metadata read from requests, and the headers of accounts, containers and objects. */
final class SwiftHeaders {
  private SwiftHeaders() {}

  /**
   * The metadata change in a request's {@code X-<kind>-Meta-<name>} headers (an empty value
   * removes) and {@code X-Remove-<kind>-Meta-<name>} headers; {@code kind} is account, container or
   * object.
   */
  static Metadata.Update metadataUpdate(ServerRequest req, String kind) {
    // An object keeps a name sent with an empty value; an account or container drops it.
    boolean keepEmpty = kind.equals("object");
    String set = "x-" + kind + "-meta-";
    String remove = "x-remove-" + kind + "-meta-";
    Map<String, String> values = new HashMap<>();
    Set<String> removed = new HashSet<>();
    for (Header h : req.headers()) {
      String name = h.name().toLowerCase(Locale.ROOT);
      if (name.startsWith(set)) {
        // Underscores read as hyphens, as they do through Swift's WSGI environment.
        String key = name.substring(set.length()).replace('_', '-');
        String value = h.get().strip();
        if (value.isEmpty() && !keepEmpty) {
          removed.add(key);
        } else {
          values.put(key, value);
        }
      } else if (name.startsWith(remove)) {
        removed.add(name.substring(remove.length()).replace('_', '-'));
      }
    }
    removed.removeAll(values.keySet());
    return new Metadata.Update(values, removed);
  }

  /** Every header of a request as (name, value) pairs, for {@code KeptHeaders}. */
  static java.util.List<Map.Entry<String, String>> all(ServerRequest req) {
    java.util.List<Map.Entry<String, String>> out = new java.util.ArrayList<>();
    for (Header h : req.headers()) {
      out.add(Map.entry(h.name(), h.get()));
    }
    return out;
  }

  static Map<String, String> account(Account a) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("X-Account-Container-Count", Long.toString(a.containerCount()));
    h.put("X-Account-Object-Count", Long.toString(a.objectCount()));
    h.put("X-Account-Bytes-Used", Long.toString(a.bytesUsed()));
    h.put("X-Timestamp", Timestamps.xTimestamp(a.createdMicros()));
    h.put("X-Account-Storage-Policy-Policy-0-Container-Count", Long.toString(a.containerCount()));
    h.put("X-Account-Storage-Policy-Policy-0-Object-Count", Long.toString(a.objectCount()));
    h.put("X-Account-Storage-Policy-Policy-0-Bytes-Used", Long.toString(a.bytesUsed()));
    meta(h, "X-Account-Meta-", a.metadata());
    return h;
  }

  static Map<String, String> container(Container c) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("X-Container-Object-Count", Long.toString(c.objectCount()));
    h.put("X-Container-Bytes-Used", Long.toString(c.bytesUsed()));
    h.put("X-Timestamp", Timestamps.xTimestamp(c.createdMicros()));
    h.put("X-Storage-Policy", "Policy-0");
    h.put("Last-Modified", Timestamps.httpDate(c.createdMicros()));
    meta(h, "X-Container-Meta-", c.metadata());
    return h;
  }

  /** An object's headers; {@code withMetadata} false hides its metadata (a temp URL's answer). */
  static Map<String, String> object(StoredObject o, boolean withMetadata) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", o.contentType());
    h.put("Etag", o.etag());
    h.put("Last-Modified", Timestamps.httpDate(o.timestampMicros()));
    h.put("X-Timestamp", Timestamps.xTimestamp(o.timestampMicros()));
    h.put("Accept-Ranges", "bytes");
    o.headers().entries().forEach((k, v) -> h.put(titleCase(k), v));
    if (withMetadata) {
      meta(h, "X-Object-Meta-", o.metadata());
    } else {
      Metadata shown = new Metadata(
          o.metadata().entries().entrySet().stream()
              .filter(e -> e.getKey().startsWith("public-"))
              .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
      meta(h, "X-Object-Meta-", shown);
    }
    return h;
  }

  /** Only the object's {@code X-Object-Meta-*} headers (a copy's answer shows them). */
  static Map<String, String> objectMetadata(StoredObject o) {
    Map<String, String> h = new LinkedHashMap<>();
    meta(h, "X-Object-Meta-", o.metadata());
    return h;
  }

  private static void meta(Map<String, String> h, String prefix, Metadata metadata) {
    metadata.entries().forEach((k, v) -> h.put(prefix + titleCase(k), v));
  }

  /** {@code temp-url-key} as Swift shows header names: {@code Temp-Url-Key}. */
  static String titleCase(String name) {
    StringBuilder out = new StringBuilder(name.length());
    boolean start = true;
    for (char c : name.toCharArray()) {
      out.append(start ? Character.toUpperCase(c) : c);
      start = c == '-';
    }
    return out.toString();
  }
}
