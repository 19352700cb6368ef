package dev.kiln.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Checks Kiln's answers against Tempest's own JSON response schemas
 * ({@code tempest/lib/api_schema/response/...}), with Tempest's validator, so that a body Tempest
 * would reject fails Kiln's build before it reaches the conformance run.
 *
 * <p>Checks are collected and validated together by one run of Debian's python3 (loading Tempest
 * takes a second or two): {@code check(...)} as the test goes, then {@link #verify()} at its end.
 *
 * <pre>{@code
 * TempestSchemas schemas = new TempestSchemas();
 * schemas.check("volume.volumes.create_volume", created);
 * schemas.check("volume.volumes.show_volume", shown);
 * schemas.verify();
 * }</pre>
 */
public final class TempestSchemas {
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Reads [{name, schema, status, body}] on stdin; prints the failed checks as a JSON list. Mirrors
   * Tempest's RestClient.validate_response, which the conformance run applies to every answer.
   */
  private static final String VALIDATOR =
      """
      import importlib, json, sys
      from tempest.lib.common import rest_client
      failures = []
      for check in json.load(sys.stdin):
          module, _, attribute = check['schema'].rpartition('.')
          schema = getattr(importlib.import_module(
              'tempest.lib.api_schema.response.' + module), attribute)
          resp = type('Resp', (dict,), {})()
          resp.status = check['status']
          try:
              rest_client.RestClient.validate_response(schema, resp, check['body'])
          except Exception as e:
              failures.append('%s (%s): %s' % (check['name'], check['schema'], e))
      print(json.dumps(failures))
      """;

  private final ArrayNode checks = JSON.createArrayNode();

  /** Queues a check of {@code response} against Tempest's schema {@code schema}. */
  public TempestSchemas check(String schema, Api.Response response) {
    return check(schema, schema, response);
  }

  /**
   * Queues a check; {@code name} says which call this was in the failure message.
   *
   * @param schema the schema's module under {@code tempest.lib.api_schema.response} and its
   *     name, dotted: {@code volume.volumes.create_volume}, {@code volume.v3_63.volumes.show_volume}
   */
  public TempestSchemas check(String name, String schema, Api.Response response) {
    ObjectNode check = checks.addObject();
    check.put("name", name);
    check.put("schema", schema);
    check.put("status", response.status());
    check.set("body", response.body().isEmpty() ? null : response.json());
    return this;
  }

  /** Validates every queued check at once; fails with all the bodies Tempest would reject. */
  public void verify() {
    if (checks.isEmpty()) {
      return;
    }
    if (!Files.isExecutable(PYTHON)) {
      throw new AssertionError("/usr/bin/python3 with Debian's python3-tempest is needed to check Tempest's schemas");
    }
    List<String> failures = run(checks);
    checks.removeAll();
    if (!failures.isEmpty()) {
      throw new AssertionError("Tempest would reject these answers:\n" + String.join("\n\n", failures));
    }
  }

  private static List<String> run(JsonNode input) {
    try {
      // Errors go to a file, so that neither pipe can fill up while the other is read.
      Path errors = Files.createTempFile("kiln-tempest-schemas", ".log");
      try {
        Process process =
            new ProcessBuilder(PYTHON.toString(), "-c", VALIDATOR).redirectError(errors.toFile()).start();
        try (OutputStream in = process.getOutputStream()) {
          in.write(JSON.writeValueAsBytes(input));
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new AssertionError("Tempest's schema check did not finish in 60 s");
        }
        if (process.exitValue() != 0) {
          throw new AssertionError(
              "Tempest's schema check could not run (is Debian's python3-tempest installed?):\n"
                  + Files.readString(errors));
        }
        return failuresIn(out);
      } finally {
        Files.deleteIfExists(errors);
      }
    } catch (IOException e) {
      throw new AssertionError("could not run " + PYTHON + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static List<String> failuresIn(String out) throws IOException {
    List<String> failures = new ArrayList<>();
    JSON.readTree(out).forEach(failure -> failures.add(failure.asText()));
    return failures;
  }
}
