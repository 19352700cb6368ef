package dev.kiln.compute.fleet;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The simulated fleet as configured: the compute hosts, how long each driver operation takes, and
 * the faults to inject from the start. Applied at every start; the {@code os-kiln-faults} API
 * changes latencies and faults while Kiln runs.
 *
 * @param latencies every operation's latency
 * @param faults the operations that fail from the start, and how
 */
public record FleetConfig(
    List<HostSpec> hosts, Map<DriverOperation, Duration> latencies, Map<DriverOperation, FaultRule> faults) {
  public static final Resources DEFAULT_CAPACITY = new Resources(16, 32_768, 1_000);
  public static final String DEFAULT_ZONE = "nova";
  /** The latency profiles {@code --compute-latency} names, besides a plain duration. */
  public static final String ZERO = "zero";
  public static final String REALISTIC = "realistic";

  public FleetConfig {
    hosts = List.copyOf(hosts);
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException("the fleet needs at least one compute host");
    }
    Set<String> names = new HashSet<>();
    for (HostSpec host : hosts) {
      if (!names.add(host.name())) {
        throw new IllegalArgumentException("compute host " + host.name() + " is configured twice");
      }
    }
    EnumMap<DriverOperation, Duration> all = new EnumMap<>(DriverOperation.class);
    for (DriverOperation op : DriverOperation.values()) {
      Duration latency = requireNonNull(latencies, "latencies is null").getOrDefault(op, Duration.ZERO);
      if (latency.isNegative()) {
        throw new IllegalArgumentException("latency of " + op.apiName() + " cannot be negative");
      }
      all.put(op, latency);
    }
    latencies = Map.copyOf(all);
    faults = Map.copyOf(faults);
  }

  /** Hosts with the default capacity in zone {@value #DEFAULT_ZONE}, zero latency, no faults. */
  public static FleetConfig defaults(List<String> hostNames) {
    return of(hostNames, DEFAULT_CAPACITY, Map.of(), ZERO, Map.of());
  }

  /**
   * Reads the fleet from the command line's terms.
   *
   * @param capacity every host's capacity
   * @param zones availability zones by host name; hosts not named are in {@value #DEFAULT_ZONE}
   * @param latencyProfile {@value #ZERO}, {@value #REALISTIC}, or one latency for every operation
   *     ({@code 250ms}, {@code 2s} or an ISO-8601 duration such as {@code PT0.5S})
   * @param faultSpecs fault rules by operation name, in {@link FaultRule#parse} form
   * @throws IllegalArgumentException naming what is wrong
   */
  public static FleetConfig of(
      List<String> hostNames,
      Resources capacity,
      Map<String, String> zones,
      String latencyProfile,
      Map<String, String> faultSpecs) {
    Set<String> known = new HashSet<>(hostNames);
    for (String host : zones.keySet()) {
      if (!known.contains(host)) {
        throw new IllegalArgumentException(
            "a zone is given for " + host + ", which is not one of the compute hosts " + hostNames);
      }
    }
    List<HostSpec> hosts = new ArrayList<>();
    for (String name : hostNames) {
      hosts.add(new HostSpec(name.trim(), capacity, zones.getOrDefault(name, DEFAULT_ZONE)));
    }
    Map<DriverOperation, FaultRule> faults = new LinkedHashMap<>();
    faultSpecs.forEach(
        (name, spec) ->
            faults.put(
                DriverOperation.fromApiName(name.trim().toLowerCase(Locale.ROOT))
                    .orElseThrow(
                        () ->
                            new IllegalArgumentException(
                                "unknown driver operation '" + name + "'; known: "
                                    + String.join(", ", DriverOperation.apiNames()))),
                FaultRule.parse(spec)));
    return new FleetConfig(hosts, latencies(latencyProfile), faults);
  }

  /** The latency of every operation in a profile. */
  public static Map<DriverOperation, Duration> latencies(String profile) {
    String p = profile == null ? ZERO : profile.trim().toLowerCase(Locale.ROOT);
    EnumMap<DriverOperation, Duration> out = new EnumMap<>(DriverOperation.class);
    for (DriverOperation op : DriverOperation.values()) {
      out.put(
          op,
          switch (p) {
            case ZERO -> Duration.ZERO;
            case REALISTIC -> op.realisticLatency();
            default -> duration(profile);
          });
    }
    return out;
  }

  private static Duration duration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      Duration d;
      if (t.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
      } else if (t.endsWith("s") && !t.startsWith("p")) {
        d = Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1).trim()) * 1000));
      } else {
        d = Duration.parse(text.trim().toUpperCase(Locale.ROOT));
      }
      if (d.isNegative()) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException(
          "Cannot read the latency '" + text + "': expected zero, realistic, or a duration such as"
              + " 250ms, 2s or PT0.5S.");
    }
  }
}
