package dev.kiln.orchestration.resources.network;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.common.Actor;
import dev.kiln.orchestration.resources.CustomConstraint;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * The custom constraints of the Networking family: {@code neutron.network}, {@code neutron.port}
 * and the other lookups (the value names exactly one resource the stack owner can see), and Heat's
 * address formats {@code ip_addr}, {@code mac_addr}, {@code net_cidr}, {@code ip_or_cidr}.
 * Failures read as Heat's: {@code Error validating value '<value>': <why>}.
 */
final class NetworkConstraints {
  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern MAC =
      Pattern.compile("([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}|([0-9a-fA-F]{4}\\.){2}[0-9a-fA-F]{4}|[0-9a-fA-F]{12}");

  private NetworkConstraints() {}

  static List<CustomConstraint> all(Neutron neutron) {
    Lookup lookup = neutron.lookup;
    return List.of(
        named("neutron.network", (owner, v) -> lookup.problem(owner, Lookup.Kind.NETWORK, v)),
        named("neutron.subnet", (owner, v) -> lookup.problem(owner, Lookup.Kind.SUBNET, v)),
        named("neutron.port", (owner, v) -> lookup.problem(owner, Lookup.Kind.PORT, v)),
        named("neutron.router", (owner, v) -> lookup.problem(owner, Lookup.Kind.ROUTER, v)),
        named("neutron.security_group", (owner, v) -> lookup.problem(owner, Lookup.Kind.SECURITY_GROUP, v)),
        named("neutron.subnetpool", (owner, v) -> lookup.problem(owner, Lookup.Kind.SUBNETPOOL, v)),
        named("neutron.address_scope", (owner, v) -> lookup.problem(owner, Lookup.Kind.ADDRESS_SCOPE, v)),
        // Kiln's Networking has no QoS extension, which is what Heat's constraint checks first.
        named("neutron.qos_policy", (owner, v) -> "The neutron extension (qos) could not be found."),
        named("ip_addr", (owner, v) -> ipProblem(v) == null ? null : "Invalid IP address"),
        named("mac_addr", (owner, v) -> MAC.matcher(v).matches() ? null : "Invalid MAC address."),
        named("net_cidr", (owner, v) -> cidrProblem(v)),
        named("ip_or_cidr", (owner, v) -> v.contains("/") ? cidrProblem(v) : ipProblem(v)));
  }

  private static CustomConstraint named(String name, BiFunction<Actor, String, String> problem) {
    return new CustomConstraint() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Optional<String> check(Actor owner, JsonNode value) {
        String text = value == null || value.isNull() ? "None" : value.asText();
        String why = problem.apply(owner, text);
        return why == null ? Optional.empty() : Optional.of("Error validating value '" + text + "': " + why);
      }
    };
  }

  /** neutron-lib's address check: a dotted quad, or an IPv6 literal. */
  static String ipProblem(String value) {
    var v4 = IPV4.matcher(value);
    if (v4.matches()) {
      for (int i = 1; i <= 4; i++) {
        if (Integer.parseInt(v4.group(i)) > 255) {
          return "'" + value + "' is not a valid IP address";
        }
      }
      return null;
    }
    if (value.contains(":") && value.matches("[0-9a-fA-F:.]+")) {
      try {
        InetAddress.getByName(value);
        return null;
      } catch (UnknownHostException e) {
        return "'" + value + "' is not a valid IP address";
      }
    }
    return "'" + value + "' is not a valid IP address";
  }

  /** neutron-lib's subnet check: an address, a slash and a prefix length of its family. */
  static String cidrProblem(String value) {
    int slash = value.indexOf('/');
    if (slash < 0) {
      if (ipProblem(value) != null) {
        return "'" + value + "' is not a valid IP subnet";
      }
      return "'" + value + "' isn't a recommended CIDR, '" + value + (value.contains(":") ? "/128" : "/32")
          + "' is recommended";
    }
    String address = value.substring(0, slash);
    String length = value.substring(slash + 1);
    int max = address.contains(":") ? 128 : 32;
    if (ipProblem(address) != null || !length.matches("\\d{1,3}") || Integer.parseInt(length) > max) {
      return "'" + value + "' is not a valid IP subnet";
    }
    return null;
  }
}
