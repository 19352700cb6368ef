package dev.kiln.volume;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * What Kiln's one simulated backend reports to the scheduler, and Cinder's capabilities filter
 * over it: a volume type's extra specs that name a capability (unscoped, or scoped {@code
 * capabilities:}) must match the reported value, with the extra spec operators {@code <is>},
 * {@code <in>}, {@code <or>}, {@code s==} and {@code ==}, or no backend takes the volume. Cinder
 * refuses also unscoped keys the backend does not report; Kiln checks only the capabilities below,
 * so extra specs meant for other purposes (such as {@code replication_enabled}) never fail a create.
 */
public final class BackendCapabilities {
  public static final String BACKEND_NAME = "simulated";
  public static final String VENDOR = "Open Source";
  public static final String PROTOCOL = "iSCSI";
  public static final String DRIVER_VERSION = "1.0.0";

  /** The capabilities the scheduler matches extra specs against. */
  static final Map<String, String> REPORTED = Map.of(
      "volume_backend_name", BACKEND_NAME,
      "vendor_name", VENDOR,
      "storage_protocol", PROTOCOL,
      "driver_version", DRIVER_VERSION,
      "pool_name", "pool",
      "multiattach", "True",
      "thin_provisioning_support", "True",
      "QoS_support", "False");

  private BackendCapabilities() {}

  /** Whether the backend satisfies every capability the extra specs ask for. */
  static boolean satisfies(Map<String, String> extraSpecs) {
    for (Map.Entry<String, String> spec : extraSpecs.entrySet()) {
      String key = spec.getKey();
      int colon = key.indexOf(':');
      if (colon >= 0) {
        if (!key.substring(0, colon).equals("capabilities")) {
          continue; // scoped for something else (a driver, a QoS consumer...)
        }
        key = key.substring(colon + 1);
      }
      String reported = REPORTED.get(key);
      if (reported != null && !matches(reported, spec.getValue())) {
        return false;
      }
    }
    return true;
  }

  private static boolean matches(String reported, String wanted) {
    String w = wanted.strip();
    if (w.startsWith("<is>")) {
      return Boolean.parseBoolean(reported) == w.substring(4).strip().toLowerCase(Locale.ROOT).equals("true");
    }
    if (w.startsWith("<in>")) {
      return reported.contains(w.substring(4).strip());
    }
    if (w.startsWith("<or>")) {
      return Arrays.stream(w.substring(4).split("<or>")).map(String::strip).anyMatch(reported::equals);
    }
    if (w.startsWith("s==")) {
      return reported.equals(w.substring(3).strip());
    }
    if (w.startsWith("==")) {
      return reported.equals(w.substring(2).strip());
    }
    return reported.equals(w);
  }
}
