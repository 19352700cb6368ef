package dev.kiln.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * The three ways a database reaches today's schema — from the B83 baseline (a new one), from the
 * B19 baseline and the V-files after it (as Kilns made new databases before B83), or through
 * V1..V19 as every Kiln before B19 made it — end with the same tables, columns, keys, indexes and
 * checks, and an up-to-date database is recognised without Flyway. Runs once per database through
 * the thin subclasses.
 */
abstract class SchemaMigrationTest {
  /** A JDBC data source on a new, empty database of the kind under test. */
  protected abstract HikariDataSource newEmptyDatabase();

  /** The dialect of that database: it decides what the {@code h2_only} lines of a script become. */
  protected abstract Dialect dialect();

  @Test
  void databaseMadeByTheOldMigrationPathUpgradesToTheSameSchemaAsANewOne() throws Exception {
    try (HikariDataSource old = newEmptyDatabase();
        HikariDataSource fresh = newEmptyDatabase()) {
      migrateAsBeforeTheBaseline(old);
      assertThat(history(old)).startsWith("1", "2", "3").contains("19").doesNotContain("null");

      Database.migrate(old, dialect());
      Database.migrate(fresh, dialect());

      assertThat(history(fresh)).first().isEqualTo("83");
      assertThat(history(old)).contains("null"); // the repeatable script ran on the old one too
      assertThat(describe(fresh))
          .hasSizeGreaterThan(300)
          .anyMatch(f -> f.startsWith("column identity_revision.revision "))
          .anyMatch(f -> f.startsWith("index compute_server "))
          .anyMatch(f -> f.startsWith("check "))
          .isEqualTo(describe(old));
    }
  }

  @Test
  void databaseMadeFromTheB19BaselineHasTheSameSchemaAsOneMadeFromB83() throws Exception {
    try (HikariDataSource fromB19 = newEmptyDatabase();
        HikariDataSource fresh = newEmptyDatabase()) {
      migrateWith(fromB19, script -> !script.fileName().startsWith("B83__"));
      assertThat(history(fromB19)).startsWith("19", "25", "26").contains("83", "null");

      Database.migrate(fromB19, dialect()); // up to date already: nothing to run, nothing refused
      Database.migrate(fresh, dialect());

      // B83 alone, then only what came after it (later V-files, the repeatable script last).
      assertThat(history(fresh)).first().isEqualTo("83");
      assertThat(history(fresh)).last().isEqualTo("null");
      assertThat(history(fresh))
          .filteredOn(v -> !v.equals("null"))
          .allMatch(v -> Integer.parseInt(v) >= 83, "no version below the baseline");
      assertThat(SchemaCheck.isCurrent(fromB19, shipped())).isTrue();
      assertThat(describe(fresh)).hasSizeGreaterThan(300).isEqualTo(describe(fromB19));
    }
  }

  @Test
  void upToDateDatabaseIsRecognisedWithoutFlyway() {
    try (HikariDataSource ds = newEmptyDatabase()) {
      List<MigrationScripts.Script> shipped = shipped();
      assertThat(SchemaCheck.isCurrent(ds, shipped)).isFalse(); // no history yet

      Database.migrate(ds, dialect());

      // True only if every checksum computed here equals the one Flyway recorded.
      assertThat(SchemaCheck.isCurrent(ds, shipped)).isTrue();
    }
  }

  @Test
  void aScriptAddedLaterIsNotSkipped() {
    try (HikariDataSource ds = newEmptyDatabase()) {
      Database.migrate(ds, dialect());
      List<MigrationScripts.Script> withNewScript = new ArrayList<>(shipped());
      withNewScript.add(
          new MigrationScripts.Script("V99__later.sql", MigrationScripts.Kind.VERSIONED, "99", "later", 1));

      assertThat(SchemaCheck.isCurrent(ds, withNewScript)).isFalse();
    }
  }

  @Test
  void serversOfAnOlderDatabaseAreCountedInTheUsageRowsItGains() throws Exception {
    try (HikariDataSource ds = newEmptyDatabase()) {
      migrateWith(
          ds,
          script -> script.version() == null
              || SchemaCheck.Version.parse(script.version()).compareTo(SchemaCheck.Version.parse("95")) <= 0);
      insertServer(ds, "p1", "alice", 1, 512);
      insertServer(ds, "p1", "alice", 2, 4096);
      insertServer(ds, "p1", "bob", 1, 512);

      Database.migrate(ds, dialect());

      List<String> rows = new ArrayList<>();
      try (Connection c = ds.getConnection();
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery(
              "SELECT project_id, user_id, instances, cores, ram FROM compute_usage ORDER BY project_id, user_id")) {
        while (rs.next()) {
          rows.add(rs.getString(1) + "/" + rs.getString(2) + ": " + rs.getLong(3) + " " + rs.getLong(4) + " " + rs.getLong(5));
        }
      }
      assertThat(rows).containsExactly("p1/alice: 2 3 4608", "p1/bob: 1 1 512");
    }
  }

  private static void insertServer(DataSource ds, String project, String user, int vcpus, int ramMb) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "INSERT INTO compute_server (id, project_id, user_id, name, status, vm_state, power_state, host,"
                + " flavor_id, flavor_name, flavor_vcpus, flavor_ram_mb, flavor_disk_gb, flavor_ephemeral_gb,"
                + " flavor_swap_mb, flavor_extra_specs, created_at, updated_at, reservation_id)"
                + " VALUES (?, ?, ?, 'vm', 'ACTIVE', 'active', 1, 'kiln-compute-1', 'f', 'f', ?, ?, 1, 0, 0, '{}',"
                + " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'r-1')")) {
      ps.setString(1, UUID.randomUUID().toString());
      ps.setString(2, project);
      ps.setString(3, user);
      ps.setInt(4, vcpus);
      ps.setInt(5, ramMb);
      ps.executeUpdate();
    }
  }

  private static List<MigrationScripts.Script> shipped() {
    return MigrationScripts.onClasspath(SchemaMigrationTest.class.getClassLoader(), Database.MIGRATIONS)
        .orElseThrow();
  }

  /** What Kiln did before the baselines existed: only V1..V19, run one by one. */
  private void migrateAsBeforeTheBaseline(DataSource ds) throws IOException {
    migrateWith(
        ds,
        script ->
            script.kind() == MigrationScripts.Kind.VERSIONED
                && SchemaCheck.Version.parse(script.version()).compareTo(SchemaCheck.Version.parse("19")) <= 0);
  }

  /** Flyway over only the shipped scripts {@code which} accepts, as an older Kiln shipped them. */
  private void migrateWith(DataSource ds, Predicate<MigrationScripts.Script> which) throws IOException {
    Path old = Files.createTempDirectory("kiln-older-scripts");
    try {
      for (MigrationScripts.Script script : shipped()) {
        if (which.test(script)) {
          try (InputStream in =
              SchemaMigrationTest.class.getClassLoader()
                  .getResourceAsStream(Database.MIGRATIONS + "/" + script.fileName())) {
            Files.copy(in, old.resolve(script.fileName()));
          }
        }
      }
      Flyway.configure()
          .dataSource(ds)
          .locations("filesystem:" + old)
          .placeholders(Database.placeholders(dialect()))
          .load()
          .migrate();
    } finally {
      try (Stream<Path> files = Files.walk(old)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static List<String> history(DataSource ds) throws SQLException {
    List<String> versions = new ArrayList<>();
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT version FROM flyway_schema_history WHERE success AND type NOT IN ('TABLE', 'SCHEMA')"
                    + " ORDER BY installed_rank")) {
      while (rs.next()) {
        versions.add(String.valueOf(rs.getString(1)));
      }
    }
    return versions;
  }

  /** Tables, columns, primary and foreign keys, indexes and check clauses, as sorted text. */
  static TreeSet<String> describe(DataSource ds) throws SQLException {
    TreeSet<String> facts = new TreeSet<>();
    try (Connection c = ds.getConnection()) {
      DatabaseMetaData meta = c.getMetaData();
      String schema = c.getSchema();
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = meta.getTables(null, schema, "%", new String[] {"TABLE"})) {
        while (rs.next()) {
          String table = rs.getString("TABLE_NAME");
          if (!table.equalsIgnoreCase("flyway_schema_history")) {
            tables.add(table);
          }
        }
      }
      for (String table : tables) {
        try (ResultSet rs = meta.getColumns(null, schema, table, "%")) {
          while (rs.next()) {
            facts.add(
                "column " + table + "." + rs.getString("COLUMN_NAME") + " #" + rs.getInt("ORDINAL_POSITION")
                    + " " + rs.getString("TYPE_NAME") + "(" + rs.getInt("COLUMN_SIZE") + ")"
                    + " nullable=" + rs.getString("IS_NULLABLE") + " default=" + rs.getString("COLUMN_DEF")
                    + " auto=" + rs.getString("IS_AUTOINCREMENT"));
          }
        }
        try (ResultSet rs = meta.getPrimaryKeys(null, schema, table)) {
          while (rs.next()) {
            facts.add("pk " + table + " " + rs.getString("COLUMN_NAME") + " #" + rs.getInt("KEY_SEQ"));
          }
        }
        try (ResultSet rs = meta.getImportedKeys(null, schema, table)) {
          while (rs.next()) {
            facts.add(
                "fk " + table + "." + rs.getString("FKCOLUMN_NAME") + " -> " + rs.getString("PKTABLE_NAME")
                    + "." + rs.getString("PKCOLUMN_NAME") + " delete=" + rs.getInt("DELETE_RULE"));
          }
        }
        try (ResultSet rs = meta.getIndexInfo(null, schema, table, false, false)) {
          while (rs.next()) {
            if (rs.getString("COLUMN_NAME") == null) {
              continue;
            }
            facts.add(
                "index " + table + " unique=" + !rs.getBoolean("NON_UNIQUE") + " "
                    + rs.getString("COLUMN_NAME") + " #" + rs.getInt("ORDINAL_POSITION") + " "
                    + rs.getString("ASC_OR_DESC") + indexName(rs.getString("INDEX_NAME")));
          }
        }
      }
      try (Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT check_clause FROM information_schema.check_constraints"
                      + " WHERE constraint_schema = '" + schema + "'")) {
        while (rs.next()) {
          facts.add("check " + rs.getString(1));
        }
      }
    }
    return facts;
  }

  /** Names the schema scripts gave are compared; generated ones differ from run to run. */
  private static String indexName(String name) {
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    boolean generated =
        lower.startsWith("primary_key_") || lower.startsWith("constraint_") || lower.endsWith("_pkey")
            || lower.endsWith("_key") || lower.contains("_index_");
    return generated ? "" : " " + lower;
  }

  static HikariDataSource pool(String jdbcUrl, String user, String password) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(2);
    return new HikariDataSource(config);
  }

  static class OnH2 extends SchemaMigrationTest {
    @Override
    protected Dialect dialect() {
      return Dialect.H2;
    }

    @Override
    protected HikariDataSource newEmptyDatabase() {
      return pool(
          "jdbc:h2:mem:schema-" + UUID.randomUUID()
              + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
          "sa",
          "");
    }

    /**
     * H2 gives a foreign key an index of its own unless one on exactly its columns exists, so an
     * index a script makes after the key is a second B-tree that each insert writes for nothing.
     * (Three foreign keys share their column with a unique key, whose index H2 could not lend
     * them; each such table is written rarely.)
     */
    @Test
    void noTwoPlainIndexesOfATableHaveTheSameColumns() throws SQLException {
      try (HikariDataSource ds = newEmptyDatabase()) {
        Database.migrate(ds, dialect());
        java.util.Map<String, List<String>> byColumns = new java.util.TreeMap<>();
        try (Connection c = ds.getConnection();
            Statement st = c.createStatement();
            ResultSet rs =
                st.executeQuery(
                    "SELECT i.table_name, i.index_name, LISTAGG(k.column_name, ',')"
                        + " WITHIN GROUP (ORDER BY k.ordinal_position)"
                        + " FROM information_schema.indexes i JOIN information_schema.index_columns k"
                        + " ON k.index_schema = i.index_schema AND k.index_name = i.index_name"
                        + " WHERE i.table_schema = 'public' AND i.index_type_name = 'INDEX'"
                        + " GROUP BY i.table_name, i.index_name")) {
          while (rs.next()) {
            byColumns
                .computeIfAbsent(rs.getString(1) + "(" + rs.getString(3) + ")", k -> new ArrayList<>())
                .add(rs.getString(2));
          }
        }
        assertThat(byColumns).hasSizeGreaterThan(100);
        assertThat(byColumns).allSatisfy((columns, indexes) -> assertThat(indexes).as(columns).hasSize(1));
      }
    }
  }

  static class OnPostgres extends SchemaMigrationTest {
    @Override
    protected Dialect dialect() {
      return Dialect.POSTGRESQL;
    }

    @Override
    protected HikariDataSource newEmptyDatabase() {
      PostgresUrl url = PostgresUrl.parse(TestPostgres.newDatabaseUrl());
      return pool(url.jdbcUrl(), url.user(), url.password());
    }
  }
}
