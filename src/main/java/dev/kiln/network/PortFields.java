package dev.kiln.network;

import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.network.IpAddresses.Ip;
import dev.kiln.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Neutron's checks of a port request's fields (MAC addresses, allowed address pairs, VNIC types,
 * who may set bindings and pairs) and the errors a port write can meet, apart from {@link Ports},
 * which keeps the ports.
 */
final class PortFields {
  private static final Pattern MAC = Pattern.compile("([0-9a-f]{2}:){5}[0-9a-f]{2}");

  /** Neutron's {@code max_allowed_address_pair}. */
  static final int MAX_ADDRESS_PAIRS = 10;

  private PortFields() {}

  /**
   * Neutron lets only the network's owner (or an admin) give a port allowed address pairs: on a
   * network shared with it, another project could otherwise claim the owner's addresses.
   */
  static void checkPairRights(Actor actor, Network network, Ports.Spec spec, String action) {
    if (spec.allowedAddressPairs() != null && !spec.allowedAddressPairs().isEmpty() && !actor.owns(network.projectId())) {
      throw NetworkErrors.policy(action + ":allowed_address_pairs");
    }
  }

  static void checkBindingRights(Actor actor, Ports.Spec spec, String action) {
    if (actor.admin()) {
      return;
    }
    if (spec.hostId() != null) {
      throw NetworkErrors.policy(action + ":binding:host_id");
    }
    if (spec.profile() != null) {
      throw NetworkErrors.policy(action + ":binding:profile");
    }
    if (spec.vnicType() != null && !spec.vnicType().equals("normal")) {
      throw NetworkErrors.policy(action + ":binding:vnic_type");
    }
  }

  /**
   * Neutron's checks of allowed address pairs: an address or CIDR each, the port's MAC unless one
   * is given, none twice, at most {@link #MAX_ADDRESS_PAIRS}, and only with port security on.
   */
  static List<Port.AddressPair> addressPairs(List<Port.AddressPair> requested, String portMac, boolean portSecurity) {
    if (requested.isEmpty()) {
      return List.of();
    }
    if (!portSecurity) {
      throw ServiceException.conflict(
          "AddressPairAndPortSecurityRequired",
          "Port Security must be enabled in order to have allowed address pairs on a port.");
    }
    if (requested.size() > MAX_ADDRESS_PAIRS) {
      throw ServiceException.invalid(
          "AllowedAddressPairExhausted",
          "The number of allowed address pair exceeds the maximum " + MAX_ADDRESS_PAIRS + ".");
    }
    List<Port.AddressPair> out = new ArrayList<>();
    for (Port.AddressPair pair : requested) {
      if (pair.ipAddress() == null) {
        throw ServiceException.invalid("AllowedAddressPairsMissingIP", "AllowedAddressPair must contain ip_address");
      }
      String address;
      if (pair.ipAddress().contains("/")) {
        IpNetwork cidr = IpNetwork.parse(pair.ipAddress());
        if (cidr == null) {
          throw invalidPairAddress(pair.ipAddress());
        }
        address = cidr.toString();
      } else {
        Ip ip = IpAddresses.parse(pair.ipAddress());
        if (ip == null) {
          throw invalidPairAddress(pair.ipAddress());
        }
        address = ip.toString();
      }
      Port.AddressPair normalized = new Port.AddressPair(address, pair.macAddress() == null ? portMac : mac(pair.macAddress()));
      if (out.contains(normalized)) {
        throw ServiceException.invalid(
            "DuplicateAddressPairInRequest",
            "Request contains duplicate address pair: mac_address " + normalized.macAddress() + " ip_address "
                + normalized.ipAddress() + ".");
      }
      out.add(normalized);
    }
    return out;
  }

  static ServiceException invalidPairAddress(String text) {
    return ServiceException.invalid(
        "InvalidInput",
        "Invalid input for allowed_address_pairs. Reason: '" + text + "' is not a valid IP address or CIDR.");
  }

  static String mac(String text) {
    String mac = canonicalMac(text.toLowerCase(Locale.ROOT));
    if (!MAC.matcher(mac).matches()) {
      throw ServiceException.invalid(
          "InvalidInput", "Invalid input for mac_address. Reason: '" + text + "' is not a valid MAC address.");
    }
    if ((Integer.parseInt(mac.substring(0, 2), 16) & 1) == 1 || mac.equals("00:00:00:00:00:00")) {
      throw ServiceException.invalid(
          "InvalidInput", "Invalid input for mac_address. Reason: '" + text + "' is not a valid unicast MAC address.");
    }
    return mac;
  }

  /**
   * The colon form of the spellings Neutron's MAC check accepts (hyphens, short octets, Cisco's
   * dotted form, bare hex), as Neutron stores every MAC; anything else is left for the check to refuse.
   */
  private static String canonicalMac(String mac) {
    String hex;
    if (mac.matches("[0-9a-f]{4}\\.[0-9a-f]{4}\\.[0-9a-f]{4}") || mac.matches("[0-9a-f]{12}")) {
      hex = mac.replace(".", "");
    } else if (mac.matches("[0-9a-f]{1,2}([:-][0-9a-f]{1,2}){5}") && !(mac.contains(":") && mac.contains("-"))) {
      StringBuilder padded = new StringBuilder();
      for (String octet : mac.split("[:-]")) {
        padded.append(octet.length() == 1 ? "0" + octet : octet);
      }
      hex = padded.toString();
    } else {
      return mac;
    }
    StringBuilder colons = new StringBuilder();
    for (int i = 0; i < 12; i += 2) {
      colons.append(i == 0 ? "" : ":").append(hex, i, i + 2);
    }
    return colons.toString();
  }

  /** The constraint refusals a port change can meet, as Neutron names them. */
  static RuntimeException translate(StoreException e, String networkId, String mac) {
    return switch (e.kind()) {
      case DUPLICATE -> macInUse(networkId, mac);
      case REFERENCED ->
          ServiceException.notFound(
              "SecurityGroupNotFound",
              "A security group of the port was deleted while the port was being saved; retry.");
      default -> e;
    };
  }

  /** Whether the store refused a port because its network has another port with its MAC address. */
  static boolean isMacClash(StoreException e) {
    return e.kind() == StoreException.Kind.DUPLICATE
        && e.getMessage() != null
        && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("network_port_mac_unique");
  }

  static ServiceException macInUse(String networkId, String mac) {
    return ServiceException.conflict(
        "MacAddressInUse",
        "Unable to complete operation for network " + networkId + ". The mac address " + mac + " is in use.");
  }

  static String vnicType(String vnic) {
    if (!Set.of("normal", "direct", "macvtap", "baremetal", "direct-physical", "virtio-forwarder", "smart-nic")
        .contains(vnic)) {
      throw ServiceException.invalid(
          "InvalidInput", "Invalid input for binding:vnic_type. Reason: '" + vnic + "' is not a known VNIC type.");
    }
    return vnic;
  }
}
