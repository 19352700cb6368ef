package dev.kiln.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs Debian's real {@code openstack} command (python3-openstackclient), and its {@code heat},
 * {@code cinder} and {@code nova} clients, against a Kiln, the way a user would, with credentials in
 * OS_* variables. The commands run in a long-lived client process ({@link OpenStackDriver}) that
 * forks per command; {@link #processPerCommand()} starts the /usr/bin program itself for each.
 */
public final class OpenStackCli {
  private static final Path OPENSTACK = Path.of("/usr/bin/openstack");

  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  private final Supplier<Map<String, String>> env;
  private final boolean processPerCommand;

  private OpenStackCli(Supplier<Map<String, String>> env) {
    this(env, false);
  }

  private OpenStackCli(Supplier<Map<String, String>> env, boolean processPerCommand) {
    this.env = env;
    this.processPerCommand = processPerCommand;
  }

  /**
   * The same credentials, each command a new process of the installed program ({@code
   * /usr/bin/openstack}, {@code /usr/bin/heat}, ...), as a user's shell starts it: for the tests that
   * cover the packaged entry points themselves.
   */
  public OpenStackCli processPerCommand() {
    return new OpenStackCli(env, true);
  }

  /** Password credentials for {@code user} in {@code project}, both in the default domain. */
  public static OpenStackCli as(String authUrl, String user, String password, String project) {
    return as(() -> authUrl, user, password, project);
  }

  /**
   * Like {@link #as(String, String, String, String)}, with the auth URL read when a command runs:
   * a test class can hold the client in a static final field before its Kiln has a port.
   */
  public static OpenStackCli as(Supplier<String> authUrl, String user, String password, String project) {
    if (!Files.isExecutable(OPENSTACK)) {
      throw new AssertionError(
          "/usr/bin/openstack is missing: install Debian's python3-openstackclient"
              + " (.ci/run does this) to run the client tests.");
    }
    return new OpenStackCli(
        () ->
            Map.of(
                "OS_AUTH_URL", authUrl.get(),
                "OS_USERNAME", user,
                "OS_PASSWORD", password,
                "OS_PROJECT_NAME", project,
                "OS_USER_DOMAIN_NAME", "Default",
                "OS_PROJECT_DOMAIN_NAME", "Default",
                "OS_IDENTITY_API_VERSION", "3",
                "OS_INTERFACE", "public"));
  }

  /**
   * Application credential authentication ({@code OS_AUTH_TYPE=v3applicationcredential}), as a CI
   * system's clouds.yaml uses it: no user name, password or project, only the credential.
   */
  public static OpenStackCli withApplicationCredential(String authUrl, String id, String secret) {
    if (!Files.isExecutable(OPENSTACK)) {
      throw new AssertionError("/usr/bin/openstack is missing: install Debian's python3-openstackclient.");
    }
    return new OpenStackCli(
        () ->
            Map.of(
                "OS_AUTH_URL", authUrl,
                "OS_AUTH_TYPE", "v3applicationcredential",
                "OS_APPLICATION_CREDENTIAL_ID", id,
                "OS_APPLICATION_CREDENTIAL_SECRET", secret,
                "OS_IDENTITY_API_VERSION", "3",
                "OS_INTERFACE", "public"));
  }

  /**
   * The cloud named {@code cloud} in a clouds.yaml file ({@code OS_CLIENT_CONFIG_FILE} and {@code
   * OS_CLOUD}), as a user or a CI system keeps its credentials; nothing else is set.
   */
  public static OpenStackCli withCloud(Path cloudsYaml, String cloud) {
    if (!Files.isExecutable(OPENSTACK)) {
      throw new AssertionError("/usr/bin/openstack is missing: install Debian's python3-openstackclient.");
    }
    return new OpenStackCli(() -> Map.of("OS_CLIENT_CONFIG_FILE", cloudsYaml.toString(), "OS_CLOUD", cloud));
  }

  /** Runs {@code openstack args...}; answers its exit code and output. */
  public Result run(String... args) {
    return invoke("openstack", List.of(args));
  }

  /** Runs Debian's {@code cinder} client at a microversion, with the same credentials. */
  public Result cinder(String microversion, String... args) {
    List<String> all = new ArrayList<>(List.of("--os-volume-api-version", microversion));
    all.addAll(List.of(args));
    return invoke("cinder", all);
  }

  /** Runs Debian's {@code nova} client at a microversion, with the same credentials. */
  public Result nova(String microversion, String... args) {
    List<String> all = new ArrayList<>(List.of("--os-compute-api-version", microversion));
    all.addAll(List.of(args));
    return invoke("nova", all);
  }

  /** Runs Debian's {@code heat} client (python3-heatclient's own, older CLI), same credentials. */
  public Result heat(String... args) {
    return invoke("heat", List.of(args));
  }

  /** Runs a {@code heat} command that must succeed and answers its standard output. */
  public String heatOk(String... args) {
    return succeeded(heat(args), "heat " + String.join(" ", args));
  }

  /** Runs a {@code nova} command that must succeed and answers its standard output. */
  public String novaOk(String microversion, String... args) {
    return succeeded(nova(microversion, args), "nova " + String.join(" ", args));
  }

  private Result invoke(String prog, List<String> args) {
    if (!processPerCommand && OpenStackDriver.enabled()) {
      Optional<Result> result = OpenStackDriver.run(prog, env.get(), args, TIMEOUT);
      if (result.isPresent()) {
        return result.get();
      }
    }
    List<String> command = new ArrayList<>();
    command.add("/usr/bin/" + prog);
    command.addAll(args);
    return exec(command);
  }

  private Result exec(List<String> command) {
    String[] args = command.subList(1, command.size()).toArray(String[]::new);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(k -> k.startsWith("OS_"));
    builder.environment().putAll(env.get());
    try {
      Path out = Files.createTempFile("openstack-out", ".txt");
      Path err = Files.createTempFile("openstack-err", ".txt");
      // No input, as in the driver: a client that asks a question reads end-of-file.
      builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(
            command.getFirst() + " " + String.join(" ", args) + " did not finish in " + TIMEOUT.toSeconds() + " s");
      }
      Result result =
          new Result(
              process.exitValue(),
              Files.readString(out, StandardCharsets.UTF_8),
              Files.readString(err, StandardCharsets.UTF_8));
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
      return result;
    } catch (IOException e) {
      throw new AssertionError("cannot run openstack: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Runs an {@code openstack} command that must succeed and answers its standard output. */
  public String ok(String... args) {
    return succeeded(run(args), "openstack " + String.join(" ", args));
  }

  /** Runs an {@code openstack} command that must succeed, with {@code -f json}, and parses it. */
  public com.fasterxml.jackson.databind.JsonNode json(String... args) {
    List<String> withFormat = new ArrayList<>(List.of(args));
    withFormat.addAll(List.of("-f", "json"));
    String out = ok(withFormat.toArray(String[]::new));
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(out);
    } catch (IOException e) {
      throw new AssertionError("openstack " + String.join(" ", args) + " printed no JSON: " + out, e);
    }
  }

  /**
   * Polls {@code openstack server show} until {@code server} shows {@code status} (for {@link
   * Await#DEFAULT} at most), then asserts that it does.
   */
  public void awaitServerStatus(String server, String status) {
    String shown = Await.value(() -> ok("server", "show", "-c", "status", "-f", "value", server).strip(), status::equals);
    org.assertj.core.api.Assertions.assertThat(shown).as("status of server " + server).isEqualTo(status);
  }

  /** Runs a {@code cinder} command that must succeed and answers its standard output. */
  public String cinderOk(String microversion, String... args) {
    return succeeded(cinder(microversion, args), "cinder " + String.join(" ", args));
  }

  private static String succeeded(Result result, String what) {
    if (result.exitCode() != 0) {
      throw new AssertionError(what + " failed (" + result.exitCode() + "): " + result.stderr() + result.stdout());
    }
    return result.stdout();
  }

  public record Result(int exitCode, String stdout, String stderr) {}
}
