package dev.kiln.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link RunningKiln} for a test class, in its own temporary data directory: started before
 * the class's {@code @BeforeAll} methods and closed (and its directory removed) after the class.
 *
 * <pre>{@code @RegisterExtension static final KilnExtension kiln = KilnExtension.start();}</pre>
 */
public final class KilnExtension implements BeforeAllCallback, AfterAllCallback {
  private final Function<Path, RunningKiln> starter;
  private Path dataDir;
  private RunningKiln running;

  private KilnExtension(Function<Path, RunningKiln> starter) {
    this.starter = starter;
  }

  /** A Kiln with the default simulated fleet. */
  public static KilnExtension start() {
    return new KilnExtension(RunningKiln::start);
  }

  /** A Kiln whose simulated fleet has just these compute hosts. */
  public static KilnExtension withHosts(List<String> computeHosts) {
    return new KilnExtension(dir -> RunningKiln.withHosts(dir, computeHosts));
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    dataDir = Files.createTempDirectory("kiln-test-");
    running = starter.apply(dataDir);
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    try {
      if (running != null) {
        running.close();
      }
    } finally {
      deleteTree(dataDir);
    }
  }

  /** The server itself, for helpers that take a {@link RunningKiln}. */
  public RunningKiln running() {
    if (running == null) {
      throw new IllegalStateException("Kiln is not started: register the extension on a static field");
    }
    return running;
  }

  public Api api() {
    return running().api();
  }

  /** A client with a fresh token of the bootstrap admin (see {@link RunningKiln#admin()}). */
  public Api admin() {
    return running().admin();
  }

  /**
   * Debian's {@code openstack} as the bootstrap admin in the admin project. It reads the auth URL
   * when it runs, so a class may keep it in a static final field next to this extension.
   */
  public OpenStackCli adminCli() {
    return OpenStackCli.as(this::authUrl, "admin", RunningKiln.ADMIN_PASSWORD, "admin");
  }

  public dev.kiln.KilnConfig config() {
    return running().config();
  }

  public String baseUrl() {
    return running().baseUrl();
  }

  public String authUrl() {
    return running().authUrl();
  }

  private static void deleteTree(Path root) throws IOException {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
