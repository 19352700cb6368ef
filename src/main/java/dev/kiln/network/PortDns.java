package dev.kiln.network;

import dev.kiln.common.ServiceException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a port asks of DHCP and DNS beyond its addresses: extra DHCP options ({@code
 * extra_dhcp_opt}) and its DNS name ({@code dns-integration}), checked as Neutron checks them.
 */
final class PortDns {
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final int MAX_NAME = 255;

  private PortDns() {}

  /** Checks a request's DNS name and DHCP options before anything is written. */
  static void check(Ports.Spec spec) {
    if (spec.dnsName() != null) {
      checkDnsName("dns_name", spec.dnsName(), false);
    }
    if (spec.extraDhcpOpts() != null) {
      Set<String> seen = new HashSet<>();
      for (Ports.DhcpOptionRequest o : spec.extraDhcpOpts()) {
        if (o.name() == null || o.name().isBlank()) {
          throw NetworkErrors.invalid("each of extra_dhcp_opts needs an opt_name.");
        }
        if (o.ipVersion() != 4 && o.ipVersion() != 6) {
          throw NetworkErrors.invalid("ip_version " + o.ipVersion() + " of extra DHCP option " + o.name() + " is neither 4 nor 6.");
        }
        if (o.value() != null && o.value().isEmpty()) {
          throw NetworkErrors.invalid("extra DHCP option " + o.name() + " has an empty opt_value.");
        }
        if (!seen.add(o.ipVersion() + " " + o.name())) {
          throw NetworkErrors.invalid("extra DHCP option " + o.name() + " (IPv" + o.ipVersion() + ") is given twice.");
        }
      }
    }
  }

  /**
   * The options after a request: a named option (by name and IP version) takes the new value, a
   * null value removes it, the rest stay as they were.
   */
  static List<Port.DhcpOption> mergeOptions(List<Port.DhcpOption> current, List<Ports.DhcpOptionRequest> changes) {
    List<Port.DhcpOption> out = new ArrayList<>(current);
    for (Ports.DhcpOptionRequest change : changes) {
      out.removeIf(o -> o.name().equals(change.name()) && o.ipVersion() == change.ipVersion());
      if (change.value() != null) {
        out.add(new Port.DhcpOption(change.name(), change.value(), change.ipVersion()));
      }
    }
    return out;
  }

  /**
   * A host name or FQDN, lower case, as Neutron's {@code dns_name} and {@code dns_domain} take
   * them: labels of letters, digits and inner hyphens of at most 63 characters, at most 255 in
   * all, a top-level label that is not all digits; {@code fqdnOnly} asks for the final dot.
   */
  static void checkDnsName(String field, String name, boolean fqdnOnly) {
    if (name.isEmpty()) {
      return;
    }
    if (name.length() > MAX_NAME) {
      throw bad(field, name, "it is longer than " + MAX_NAME + " characters");
    }
    if (fqdnOnly && !name.endsWith(".")) {
      throw bad(field, name, "a domain must end with a dot");
    }
    String trimmed = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    String[] labels = trimmed.split("\\.", -1);
    for (String label : labels) {
      if (!LABEL.matcher(label).matches()) {
        throw bad(
            field, name,
            "'" + label + "' is not a DNS label (1 to 63 lower-case letters, digits or inner hyphens)");
      }
    }
    if (labels.length > 1 && labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
      throw bad(field, name, "its top-level label is all digits");
    }
  }

  private static ServiceException bad(String field, String name, String why) {
    return ServiceException.invalid(
        "InvalidInput", "Invalid input for " + field + ". Reason: '" + name + "' is not a valid DNS name: " + why + ".");
  }
}
