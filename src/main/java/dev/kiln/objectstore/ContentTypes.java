package dev.kiln.objectstore;

import java.net.URLConnection;
import java.util.Locale;
import java.util.Map;

/**
 * The content type Swift gives an object PUT without one (or with {@code X-Detect-Content-Type:
 * true}): guessed from the name's extension, else {@code application/octet-stream}.
 */
final class ContentTypes {
  static final String DEFAULT = "application/octet-stream";

  /** Common types the JDK's own table lacks. */
  private static final Map<String, String> EXTRA =
      Map.ofEntries(
          Map.entry("json", "application/json"),
          Map.entry("yaml", "application/x-yaml"),
          Map.entry("yml", "application/x-yaml"),
          Map.entry("js", "text/javascript"),
          Map.entry("css", "text/css"),
          Map.entry("csv", "text/csv"),
          Map.entry("md", "text/markdown"),
          Map.entry("pdf", "application/pdf"),
          Map.entry("gz", "application/gzip"),
          Map.entry("tgz", "application/gzip"),
          Map.entry("tar", "application/x-tar"),
          Map.entry("zip", "application/zip"),
          Map.entry("iso", "application/x-iso9660-image"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("sh", "application/x-sh"),
          Map.entry("py", "text/x-python"));

  private ContentTypes() {}

  static String guess(String objectName) {
    String base = objectName.substring(objectName.lastIndexOf('/') + 1);
    int dot = base.lastIndexOf('.');
    if (dot >= 0) {
      String extra = EXTRA.get(base.substring(dot + 1).toLowerCase(Locale.ROOT));
      if (extra != null) {
        return extra;
      }
    }
    String guessed = URLConnection.guessContentTypeFromName(base);
    return guessed == null ? DEFAULT : guessed;
  }
}
