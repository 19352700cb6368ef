package dev.kiln.guest;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where and how long a hook may work.
 *
 * @param workingDir the hook's own directory in the server's sandbox (configs, scratch files)
 * @param outputsDir where outputs files go (the script hook's {@code heat_outputs_path} lives here)
 * @param timeLimit how long one deployment may run before the hook stops it
 */
public record HookContext(Path workingDir, Path outputsDir, Duration timeLimit) {
  public HookContext {
    requireNonNull(workingDir, "workingDir is null");
    requireNonNull(outputsDir, "outputsDir is null");
    requireNonNull(timeLimit, "timeLimit is null");
  }
}
