package dev.kiln.guest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScriptHookTest {
  @TempDir Path dir;

  private final ScriptHook hook = new ScriptHook();

  private HookContext context(Duration limit) {
    return new HookContext(dir.resolve("work"), dir.resolve("outputs"), limit);
  }

  static Deployment deployment(String id, String group, String config, String inputs, String outputs) {
    String item = "{\"id\": \"" + id + "\", \"name\": \"n-" + id + "\", \"group\": \"" + group + "\", \"config\": "
        + GuestHttp.JSON.valueToTree(config) + ", \"inputs\": " + inputs + ", \"outputs\": " + outputs + "}";
    try {
      return Deployment.of(GuestHttp.JSON.readTree(item)).orElseThrow();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aBashScriptSeesItsInputsAsEnvironmentAndWritesOutputs() throws Exception {
    Deployment d = deployment("d1", "script", """
        #!/bin/bash
        echo "hello $name from $BASH_VERSION" | cut -c1-10
        echo "list is $items"
        echo -n "made $name" > "$heat_outputs_path.result"
        echo -n 7 > "$heat_outputs_path.count"
        echo warned >&2
        """,
        "[{\"name\": \"name\", \"value\": \"kiln\", \"type\": \"String\"},"
            + " {\"name\": \"items\", \"value\": [1, 2], \"type\": \"CommaDelimitedList\"},"
            + " {\"name\": \"port\", \"value\": 8080, \"type\": \"String\"}]",
        "[{\"name\": \"result\"}, {\"name\": \"count\"}, {\"name\": \"never_written\"}]");

    HookResult result = hook.run(d, context(Duration.ofSeconds(20)));

    assertThat(result.statusCode()).isZero();
    assertThat(result.stdout()).isEqualTo("hello kiln\nlist is [1,2]\n");
    assertThat(result.stderr()).isEqualTo("warned\n");
    assertThat(result.outputs()).containsOnlyKeys("result", "count");
    assertThat(result.outputs().get("result").asText()).isEqualTo("made kiln");
    assertThat(d.input("port")).contains("8080"); // String inputs become strings, as heat-config makes them
    JsonNode signal = result.signalData();
    assertThat(signal.toString())
        .isEqualTo("{\"result\":\"made kiln\",\"count\":\"7\",\"deploy_stdout\":\"hello kiln\\nlist is [1,2]\\n\","
            + "\"deploy_stderr\":\"warned\\n\",\"deploy_status_code\":0}");
  }

  @Test
  void aPythonScriptRunsWithItsInterpreterAndOutputsPath() throws Exception {
    Deployment d = deployment("py", "script", """
        #!/usr/bin/env python3
        import os, sys
        with open(os.environ['heat_outputs_path'] + '.answer', 'w') as f:
            f.write(str(int(os.environ['a']) * int(os.environ['b'])))
        print(sys.version_info[0])
        """,
        "[{\"name\": \"a\", \"value\": \"6\"}, {\"name\": \"b\", \"value\": \"7\"}]", "[{\"name\": \"answer\"}]");

    HookResult result = hook.run(d, context(Duration.ofSeconds(20)));

    assertThat(result.stderr()).isEmpty();
    assertThat(result.statusCode()).isZero();
    assertThat(result.stdout()).isEqualTo("3\n");
    assertThat(result.outputs().get("answer").asText()).isEqualTo("42");
    assertThat(dir.resolve("outputs/py.answer")).hasContent("42");
  }

  @Test
  void aScriptWithoutShebangRunsWithSh() throws Exception {
    Deployment d = deployment("plain", "script", "echo plain $x", "[{\"name\": \"x\", \"value\": \"text\"}]", "[]");

    HookResult result = hook.run(d, context(Duration.ofSeconds(20)));

    assertThat(result.statusCode()).isZero();
    assertThat(result.stdout()).isEqualTo("plain text\n");
  }

  @Test
  void aFailingScriptReportsItsStatusAndStderr() throws Exception {
    Deployment d = deployment("bad", "script", "#!/bin/sh\necho partial\necho 'no such package' >&2\nexit 3\n", "[]", "[]");

    HookResult result = hook.run(d, context(Duration.ofSeconds(20)));

    assertThat(result.statusCode()).isEqualTo(3);
    assertThat(result.stdout()).isEqualTo("partial\n");
    assertThat(result.stderr()).isEqualTo("no such package\n");
  }

  @Test
  void aScriptPastItsTimeLimitIsKilledAndSaysSo() throws Exception {
    Deployment d = deployment("slow", "script", "#!/bin/bash\necho started\nsleep 30 &\nwait\necho never\n", "[]", "[]");

    long start = System.nanoTime();
    HookResult result = hook.run(d, context(Duration.ofMillis(500)));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThat(result.statusCode()).isEqualTo(ScriptHook.TIMED_OUT);
    assertThat(result.stdout()).isEqualTo("started\n");
    assertThat(result.stderr()).contains("killed after running longer than its time limit of 500 ms");
    assertThat(ProcessHandle.allProcesses()
            .filter(p -> p.info().commandLine().orElse("").equals("sleep 30"))
            .filter(p -> p.parent().map(pp -> pp.pid() == ProcessHandle.current().pid()).orElse(false)))
        .isEmpty();
  }

  @Test
  void anInterpreterThatIsMissingIsAFailureNotAnException() throws Exception {
    Deployment d = deployment("nope", "script", "#!/no/such/interpreter\necho hi\n", "[]", "[]");

    HookResult result = hook.run(d, context(Duration.ofSeconds(5)));

    assertThat(result.statusCode()).isEqualTo(ScriptHook.NOT_STARTED);
    assertThat(result.stderr()).startsWith("The script could not be started:");
    assertThat(Files.exists(dir.resolve("work/nope"))).isTrue();
  }

  @Test
  void aScriptSeesAGuestsEnvironmentNotKilns() throws Exception {
    // The test JVM's environment stands for Kiln's: none of it may reach a tenant's script.
    String kilnOnly = System.getenv().keySet().stream()
        .filter(k -> !k.equals("PATH") && !k.equals("LANG") && !k.equals("HOME") && k.matches("[A-Za-z_][A-Za-z0-9_]*"))
        .findFirst().orElseThrow();
    Deployment d = deployment("env", "script", "#!/bin/sh\nenv | cut -d= -f1 | sort\n",
        "[{\"name\": \"given\", \"value\": \"x\", \"type\": \"String\"}]", "[]");

    HookResult result = hook.run(d, context(Duration.ofSeconds(20)));

    assertThat(result.statusCode()).isZero();
    assertThat(result.stdout().lines().toList())
        .contains("PATH", "HOME", "given", "heat_outputs_path")
        .doesNotContain(kilnOnly);
  }
}
