package dev.kiln.guest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code script} group, as heat-config-script's hook: the config is written to a file in the
 * working directory and run by the interpreter its {@code #!} line names ({@code /bin/sh} when it
 * has none), with each input as an environment variable (lists and maps as JSON) and {@code
 * heat_outputs_path} set; an output {@code x} is whatever the script wrote to {@code
 * $heat_outputs_path.x}. Unlike the real hook, a script has a time limit: past it the script and
 * its children are killed, and the result says so with status {@value #TIMED_OUT}.
 */
public final class ScriptHook implements ConfigHook {
  /** The status of a script killed at its time limit, as coreutils' timeout(1) reports one. */
  public static final int TIMED_OUT = 124;
  /** The status of a script that could not be started, as a shell reports a missing command. */
  public static final int NOT_STARTED = 127;

  @Override
  public String group() {
    return "script";
  }

  @Override
  public HookResult run(Deployment deployment, HookContext context) throws InterruptedException {
    String name = Sandbox.fileName(deployment.id());
    Path script = context.workingDir().resolve(name);
    Path stdout = context.workingDir().resolve(name + ".stdout");
    Path stderr = context.workingDir().resolve(name + ".stderr");
    Path outputsPath = context.outputsDir().resolve(name);
    String text = configText(deployment.config());
    List<String> skipped = new ArrayList<>();
    Process process;
    try {
      Files.createDirectories(context.workingDir());
      Files.createDirectories(context.outputsDir());
      Files.writeString(script, text, StandardCharsets.UTF_8);
      ownerOnly(script);
      ProcessBuilder builder =
          new ProcessBuilder(command(text, script))
              .directory(context.workingDir().toFile())
              .redirectOutput(stdout.toFile())
              .redirectError(stderr.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
      // The deployment's inputs and the outputs path, in a guest's environment (not Kiln's).
      Map<String, String> env = GuestProcesses.guestEnvironment(builder, context.workingDir()).environment();
      for (Deployment.Input input : deployment.inputs()) {
        if (input.name().isEmpty() || input.name().contains("=") || input.name().indexOf('\0') >= 0) {
          skipped.add(input.name());
          continue;
        }
        env.put(input.name(), input.asText().replace("\0", ""));
      }
      env.put("heat_outputs_path", outputsPath.toString());
      process = builder.start();
    } catch (IOException | IllegalArgumentException e) {
      return HookResult.failed(NOT_STARTED, "The script could not be started: " + e.getMessage());
    }
    boolean finished;
    try {
      finished = process.waitFor(context.timeLimit().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      GuestProcesses.kill(process);
      throw e;
    }
    int status;
    String timeNote = "";
    if (finished) {
      status = process.exitValue();
    } else {
      GuestProcesses.kill(process);
      status = TIMED_OUT;
      timeNote = "The script was killed after running longer than its time limit of "
          + context.timeLimit().toMillis() + " ms.\n";
    }
    Map<String, JsonNode> outputs = new LinkedHashMap<>();
    for (String output : deployment.outputs()) {
      Path file = context.outputsDir().resolve(name + "." + output);
      if (Files.isRegularFile(file)) {
        outputs.put(output, TextNode.valueOf(read(file)));
      }
    }
    String skippedNote = skipped.isEmpty() ? "" : "Inputs not passed (not valid variable names): " + skipped + "\n";
    return new HookResult(outputs, read(stdout), read(stderr) + skippedNote + timeNote, status);
  }

  /** A config as text: strings as they are, anything else as JSON, none as empty. */
  static String configText(JsonNode config) {
    if (config == null || config.isMissingNode() || config.isNull()) {
      return "";
    }
    return config.isTextual() ? config.asText() : config.toString();
  }

  /**
   * The command that runs the script: its {@code #!} interpreter (through {@code env} to the
   * named program, found on the PATH) with the script's path last, or {@code /bin/sh} for a
   * script without one, as a shell runs a file the kernel cannot.
   */
  static List<String> command(String text, Path script) {
    List<String> command = new ArrayList<>();
    String first = text.lines().findFirst().orElse("");
    if (first.startsWith("#!")) {
      List<String> words = List.of(first.substring(2).strip().split("\\s+"));
      if (!words.isEmpty() && !words.getFirst().isEmpty()) {
        command.addAll(words.getFirst().endsWith("/env") && words.size() > 1 ? words.subList(1, words.size()) : words);
      }
    }
    if (command.isEmpty()) {
      command.add("/bin/sh");
    }
    command.add(script.toString());
    return command;
  }


  private static void ownerOnly(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the interpreter reads the file, so it needs no mode
    }
  }

  private static java.io.File nullDevice() {
    return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "";
    }
  }
}
