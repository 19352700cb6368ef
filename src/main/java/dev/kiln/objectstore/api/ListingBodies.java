package dev.kiln.objectstore.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Json;
import dev.kiln.objectstore.Container;
import dev.kiln.objectstore.ListingEntry;
import dev.kiln.objectstore.Refusal;
import dev.kiln.objectstore.StoredObject;
import dev.kiln.objectstore.Timestamps;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Listings in Swift's three formats: plain text (one name a line; an empty one is a 204), JSON
 * (an array of objects, {@code {"subdir": …}} for rolled-up names) and XML.
 */
final class ListingBodies {
  enum Format {
    PLAIN("text/plain; charset=utf-8"),
    JSON("application/json; charset=utf-8"),
    XML("application/xml; charset=utf-8");

    final String contentType;

    Format(String contentType) {
      this.contentType = contentType;
    }
  }

  private ListingBodies() {}

  /** From {@code ?format=}, else the Accept header; an Accept that allows none of them is a 406. */
  static Format format(Optional<String> query, Optional<String> accept) {
    if (query.isPresent()) {
      return switch (query.get().toLowerCase(Locale.ROOT)) {
        case "json" -> Format.JSON;
        case "xml" -> Format.XML;
        default -> Format.PLAIN;
      };
    }
    if (accept.isEmpty() || accept.get().isBlank()) {
      return Format.PLAIN;
    }
    String a = accept.get().toLowerCase(Locale.ROOT);
    if (a.contains("application/json")) {
      return Format.JSON;
    }
    if (a.contains("application/xml") || a.contains("text/xml")) {
      return Format.XML;
    }
    if (a.contains("text/plain") || a.contains("*/*") || a.contains("text/*")) {
      return Format.PLAIN;
    }
    throw new Refusal(Refusal.Kind.NOT_ACCEPTABLE, "Listings come as text/plain, application/json or application/xml.");
  }

  static byte[] containers(Format format, String account, List<ListingEntry<Container>> entries) {
    return switch (format) {
      case PLAIN -> plain(entries);
      case JSON -> {
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (ListingEntry<Container> e : entries) {
          switch (e) {
            case ListingEntry.Subdir<Container> s -> list.addObject().put("subdir", s.name());
            case ListingEntry.Item<Container> i -> {
              ObjectNode n = list.addObject();
              n.put("name", i.name());
              n.put("count", i.value().objectCount());
              n.put("bytes", i.value().bytesUsed());
              n.put("last_modified", Timestamps.listing(i.value().createdMicros()));
            }
          }
        }
        yield Json.bytes(list);
      }
      case XML -> {
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<account name=\"")
            .append(xml(account)).append("\">");
        for (ListingEntry<Container> e : entries) {
          switch (e) {
            case ListingEntry.Subdir<Container> s -> x.append("<subdir name=\"").append(xml(s.name())).append("\" />");
            case ListingEntry.Item<Container> i -> x.append("<container>")
                .append(element("name", i.name()))
                .append(element("count", Long.toString(i.value().objectCount())))
                .append(element("bytes", Long.toString(i.value().bytesUsed())))
                .append(element("last_modified", Timestamps.listing(i.value().createdMicros())))
                .append("</container>");
          }
        }
        yield x.append("</account>").toString().getBytes(StandardCharsets.UTF_8);
      }
    };
  }

  static byte[] objects(Format format, String container, List<ListingEntry<StoredObject>> entries) {
    return switch (format) {
      case PLAIN -> plain(entries);
      case JSON -> {
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (ListingEntry<StoredObject> e : entries) {
          switch (e) {
            case ListingEntry.Subdir<StoredObject> s -> list.addObject().put("subdir", s.name());
            case ListingEntry.Item<StoredObject> i -> {
              ObjectNode n = list.addObject();
              n.put("name", i.name());
              n.put("hash", i.value().etag());
              n.put("bytes", i.value().size());
              n.put("content_type", i.value().contentType());
              n.put("last_modified", Timestamps.listing(i.value().timestampMicros()));
            }
          }
        }
        yield Json.bytes(list);
      }
      case XML -> {
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<container name=\"")
            .append(xml(container)).append("\">");
        for (ListingEntry<StoredObject> e : entries) {
          switch (e) {
            case ListingEntry.Subdir<StoredObject> s -> x.append("<subdir name=\"").append(xml(s.name())).append("\">")
                .append(element("name", s.name())).append("</subdir>");
            case ListingEntry.Item<StoredObject> i -> x.append("<object>")
                .append(element("name", i.name()))
                .append(element("hash", i.value().etag()))
                .append(element("bytes", Long.toString(i.value().size())))
                .append(element("content_type", i.value().contentType()))
                .append(element("last_modified", Timestamps.listing(i.value().timestampMicros())))
                .append("</object>");
          }
        }
        yield x.append("</container>").toString().getBytes(StandardCharsets.UTF_8);
      }
    };
  }

  private static <T> byte[] plain(List<ListingEntry<T>> entries) {
    StringBuilder out = new StringBuilder();
    entries.forEach(e -> out.append(e.name()).append('\n'));
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String element(String name, String text) {
    return "<" + name + ">" + xml(text) + "</" + name + ">";
  }

  private static String xml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
