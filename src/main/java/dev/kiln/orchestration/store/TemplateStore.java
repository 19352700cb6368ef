package dev.kiln.orchestration.store;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.store.Sql;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The SQL of {@code heat_template}.
 *
 * <p>A row's parameters live in its {@code environment} column: when a row has them, the column
 * holds {@code {"kiln:parameters": {...}, "kiln:environment": <the environment or null>}}. Heat
 * keeps a template's parameters in its environment too; the wrapper keeps the request's own
 * environment apart (no Heat environment has a section of that name).
 */
public final class TemplateStore {
  private static final String PARAMETERS = "kiln:parameters";
  private static final String ENVIRONMENT = "kiln:environment";

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
        JsonColumns.write(environmentColumn(row)),
        JsonColumns.writeStrings(row.environmentFiles()),
        row.createdAt());
  }

  public Optional<TemplateRow> find(String id) {
    return sql.queryOne(
        "SELECT id, template, files, environment, environment_files, created_at FROM heat_template WHERE id = ?",
        TemplateStore::map,
        id);
  }

  private static JsonNode environmentColumn(TemplateRow row) {
    if (row.parameters() == null) {
      return row.environment();
    }
    com.fasterxml.jackson.databind.node.ObjectNode wrapped = JsonColumns.object();
    wrapped.set(PARAMETERS, row.parameters());
    wrapped.set(ENVIRONMENT, row.environment());
    return wrapped;
  }

  private static TemplateRow map(Sql.Row row) throws SQLException {
    Map<String, String> files = new LinkedHashMap<>();
    JsonNode stored = JsonColumns.read(row.getString("files"));
    stored.fields().forEachRemaining(e -> files.put(e.getKey(), e.getValue().asText()));
    JsonNode environment = JsonColumns.read(row.getString("environment"));
    JsonNode parameters = null;
    if (environment != null && environment.isObject() && environment.has(PARAMETERS)) {
      parameters = environment.get(PARAMETERS);
      environment = environment.get(ENVIRONMENT);
      if (environment != null && environment.isNull()) {
        environment = null;
      }
    }
    return new TemplateRow(
        row.getString("id"),
        JsonColumns.read(row.getString("template")),
        files,
        environment,
        JsonColumns.readStrings(row.getString("environment_files")),
        parameters,
        row.getInstant("created_at"));
  }
}
