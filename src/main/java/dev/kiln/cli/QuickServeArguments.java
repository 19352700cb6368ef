package dev.kiln.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Reads {@code kiln serve}'s arguments without picocli when every one of them is a plain option
 * of {@link ServerOptions} with a value it takes as it is; anything else (help, a typo, a value
 * that needs a message) is left to picocli, which stays the authority on {@code serve}'s options,
 * their help and their errors.
 *
 * <p>Why: picocli is compiled for Java 5, and the JDK's class caches (CDS, the AOT cache) do not
 * keep classes that old, so each start loaded its ~160 classes from the jar, verified them the old
 * way and made proxies for its annotations: about 90 ms of the start's own thread and more of the
 * JIT's, on a start whose target is half a second. {@code QuickServeArgumentsTest} holds this
 * table to picocli's: the same options, and the same settings for the same arguments.
 */
final class QuickServeArguments {
  private static final Pattern WHOLE_NUMBER = Pattern.compile("-?[0-9]{1,9}");

  /** Each option: how its value is set. A multi-value option's first value replaces its default. */
  private static final Map<String, Setter> OPTIONS = options();

  private QuickServeArguments() {}

  /** How an option's value is set; {@code clear} (repeatable options only) empties its default. */
  private record Setter(Consumer<ServerOptions> clear, BiConsumer<ServerOptions, String> set) {
    boolean repeatable() {
      return clear != null;
    }
  }

  private static Map<String, Setter> options() {
    Map<String, Setter> options = new LinkedHashMap<>();
    options.put("--host", single((o, v) -> o.host = v));
    options.put("--port", single((o, v) -> o.port = whole(v)));
    options.put("--data-dir", single((o, v) -> o.dataDir = Path.of(v)));
    options.put("--database-url", single((o, v) -> o.databaseUrl = v));
    options.put("--admin-password", single((o, v) -> o.adminPassword = v));
    options.put("--token-ttl", single((o, v) -> o.tokenTtl = Duration.parse(v)));
    options.put("--password-hash-iterations", single((o, v) -> o.passwordHashIterations = whole(v)));
    options.put("--public-url", single((o, v) -> o.publicUrl = v));
    options.put(
        "--compute-hosts",
        repeatable(o -> o.computeHosts = new ArrayList<>(), (o, v) -> o.computeHosts.addAll(Arrays.asList(v.split(",")))));
    options.put("--compute-host-vcpus", single((o, v) -> o.computeHostVcpus = whole(v)));
    options.put("--compute-host-ram-mb", single((o, v) -> o.computeHostRamMb = whole(v)));
    options.put("--compute-host-disk-gb", single((o, v) -> o.computeHostDiskGb = whole(v)));
    options.put("--compute-zone", repeatable(o -> o.computeZones = new LinkedHashMap<>(), (o, v) -> put(o.computeZones, v)));
    options.put("--compute-latency", single((o, v) -> o.computeLatency = v));
    options.put("--compute-fault", repeatable(o -> o.computeFaults = new LinkedHashMap<>(), (o, v) -> put(o.computeFaults, v)));
    return Map.copyOf(options);
  }

  /** The option names this reads, for the test that holds them to picocli's. */
  static Set<String> names() {
    return OPTIONS.keySet();
  }

  /** The options {@code args} (what follows {@code serve}) set, or empty when picocli should read them. */
  static Optional<ServerOptions> parse(String[] args) {
    ServerOptions options = new ServerOptions();
    Set<String> seen = new HashSet<>();
    try {
      for (int i = 0; i < args.length; i++) {
        String name = args[i];
        String value;
        int equals = name.indexOf('=');
        if (name.startsWith("--") && equals > 0) {
          value = name.substring(equals + 1);
          name = name.substring(0, equals);
        } else if (i + 1 < args.length && !args[i + 1].startsWith("-")) {
          value = args[++i];
        } else {
          return Optional.empty();
        }
        Setter setter = OPTIONS.get(name);
        if (setter == null) {
          return Optional.empty();
        }
        if (seen.add(name)) {
          if (setter.repeatable()) {
            setter.clear().accept(options);
          }
        } else if (!setter.repeatable()) {
          return Optional.empty(); // picocli says which option was given twice
        }
        setter.set().accept(options, value);
      }
    } catch (IllegalArgumentException | DateTimeParseException e) {
      return Optional.empty(); // picocli explains what is wrong with the value
    }
    return Optional.of(options);
  }

  private static Setter single(BiConsumer<ServerOptions, String> set) {
    return new Setter(null, set);
  }

  private static Setter repeatable(Consumer<ServerOptions> clear, BiConsumer<ServerOptions, String> set) {
    return new Setter(clear, set);
  }

  private static int whole(String value) {
    if (!WHOLE_NUMBER.matcher(value).matches()) {
      throw new IllegalArgumentException("not a plain whole number: " + value);
    }
    return Integer.parseInt(value);
  }

  private static void put(Map<String, String> map, String entry) {
    int equals = entry.indexOf('=');
    if (equals <= 0) {
      throw new IllegalArgumentException("not KEY=VALUE: " + entry);
    }
    map.put(entry.substring(0, equals), entry.substring(equals + 1));
  }
}
