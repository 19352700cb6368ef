package dev.kiln.store;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** A PostgreSQL location given as a libpq URL or a JDBC URL, split into what JDBC needs. */
record PostgresUrl(String jdbcUrl, String user, String password) {

  static PostgresUrl parse(String url) {
    if (url.startsWith("jdbc:postgresql:")) {
      return new PostgresUrl(url, null, null);
    }
    if (!url.startsWith("postgresql://") && !url.startsWith("postgres://")) {
      throw new IllegalArgumentException(
          "database URL must look like postgresql://user:password@host:5432/dbname, got: " + url);
    }
    URI uri = URI.create(url);
    String user = null;
    String password = null;
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = decode(parts[0]);
      password = parts.length > 1 ? decode(parts[1]) : null;
    }
    int port = uri.getPort() == -1 ? 5432 : uri.getPort();
    String database = uri.getPath() == null || uri.getPath().length() <= 1 ? "" : uri.getPath();
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    return new PostgresUrl(
        "jdbc:postgresql://" + uri.getHost() + ":" + port + database + query, user, password);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "PostgresUrl[" + jdbcUrl + ", user=" + user + "]";
  }
}
