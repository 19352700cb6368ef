package dev.kiln.orchestration.store;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.store.Sql;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The SQL of {@code heat_template}. */
public final class TemplateStore {
  private final Sql sql;

  public TemplateStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  public void insert(TemplateRow row) {
    com.fasterxml.jackson.databind.node.ObjectNode files = JsonColumns.object();
    row.files().forEach(files::put);
    sql.update(
        "INSERT INTO heat_template (id, template, files, environment, environment_files, created_at)"
            + " VALUES (?, ?, ?, ?, ?, ?)",
        row.id(),
        JsonColumns.write(row.template()),
        JsonColumns.write(files),
        JsonColumns.write(row.environment()),
        JsonColumns.writeStrings(row.environmentFiles()),
        row.createdAt());
  }

  public Optional<TemplateRow> find(String id) {
    return sql.queryOne(
        "SELECT id, template, files, environment, environment_files, created_at FROM heat_template WHERE id = ?",
        TemplateStore::map,
        id);
  }

  private static TemplateRow map(Sql.Row row) throws SQLException {
    Map<String, String> files = new LinkedHashMap<>();
    JsonNode stored = JsonColumns.read(row.getString("files"));
    stored.fields().forEachRemaining(e -> files.put(e.getKey(), e.getValue().asText()));
    return new TemplateRow(
        row.getString("id"),
        JsonColumns.read(row.getString("template")),
        files,
        JsonColumns.read(row.getString("environment")),
        JsonColumns.readStrings(row.getString("environment_files")),
        row.getInstant("created_at"));
  }
}
