package dev.kiln.guest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One server's disk, as far as its agent needs one, under Kiln's data directory: the deployed
 * markers ({@code deployed/}, as heat-config's {@code /var/lib/heat-config/deployed}), the
 * collectors' last metadata ({@code os-collect-config/}, as its cache directory), and each hook's
 * working directory and outputs. The markers are what keep a deployment from running twice, even
 * across a Kiln restart.
 */
final class Sandbox {
  private final Path root;

  Sandbox(Path root) {
    this.root = requireNonNull(root, "root is null");
  }

  Path root() {
    return root;
  }

  /** A name safe as one path element: letters, digits, '.', '-' and '_' kept, the rest '_'. */
  static String fileName(String s) {
    String safe = s.replaceAll("[^A-Za-z0-9._-]", "_");
    return safe.isEmpty() || safe.startsWith(".") ? "_" + safe : safe;
  }

  private Path marker(Deployment d, String suffix) {
    return root.resolve("deployed").resolve(fileName(d.id()) + "." + fileName(d.action()) + suffix);
  }

  /** Whether this deployment already ran for its action. */
  boolean deployed(Deployment d) {
    return Files.exists(marker(d, ".json"));
  }

  /**
   * Marks the deployment as run, before it runs (as heat-config writes its marker regardless of
   * the hook's success), so a crash mid-run does not run it again.
   */
  void markDeployed(Deployment d) {
    write(marker(d, ".json"), d.item().toPrettyString());
  }

  /** Keeps the signal data sent for a deployment, for whoever looks into a guest's history. */
  void recordNotify(Deployment d, JsonNode signal) {
    write(marker(d, ".notify.json"), signal.toPrettyString());
  }

  Optional<JsonNode> notified(Deployment d) {
    Path file = marker(d, ".notify.json");
    try {
      return Files.exists(file) ? Optional.of(GuestHttp.JSON.readTree(file.toFile())) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The collector's metadata as last acted on, if any. */
  Optional<JsonNode> cached(String collector) {
    Path file = root.resolve("os-collect-config").resolve(fileName(collector) + ".json");
    try {
      return Files.exists(file) ? Optional.of(GuestHttp.JSON.readTree(file.toFile())) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // unreadable: act as if nothing were cached (markers still hold)
    }
  }

  void cache(String collector, JsonNode metadata) {
    write(root.resolve("os-collect-config").resolve(fileName(collector) + ".json"), metadata.toString());
  }

  /** Where a group's hook works and puts outputs, within its time limit. */
  HookContext hookContext(String group, Duration timeLimit) {
    Path dir = root.resolve("hooks").resolve(fileName(group));
    return new HookContext(dir.resolve("work"), dir.resolve("outputs"), timeLimit);
  }

  /** Removes the sandbox, as deleting a server removes its disk. */
  void remove() {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a file whole or not at all (a temporary file moved in place). */
  private static void write(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(temporary, content, StandardCharsets.UTF_8);
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
