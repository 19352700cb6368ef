package dev.kiln.orchestration.resources.network;

import dev.kiln.common.ServiceException;
import dev.kiln.orchestration.resources.ResourceError;
import java.util.Set;

/**
 * Networking's refusals as Heat reports them: Heat calls Neutron through neutronclient, which
 * raises {@code <NeutronType>Client} for the error types it knows and an exception named after the
 * HTTP status otherwise; the resource's reason starts with that name.
 */
final class NeutronErrors {
  /** The Neutron error types neutronclient has a {@code ...Client} exception for. */
  private static final Set<String> CLIENT_TYPES =
      Set.of(
          "NetworkNotFound", "PortNotFound", "StateInvalid", "NetworkInUse", "PortInUse", "IpAddressInUse",
          "IpAddressAlreadyAllocated", "InvalidIpForNetwork", "InvalidIpForSubnet", "OverQuota",
          "IpAddressGenerationFailure", "MacAddressInUse", "HostNotCompatibleWithFixedIps",
          "ExternalIpAddressExhausted");

  private NeutronErrors() {}

  static ResourceError of(ServiceException e) {
    return new ResourceError(heatType(e), e.getMessage());
  }

  static String heatType(ServiceException e) {
    if (CLIENT_TYPES.contains(e.type())) {
      return e.type() + "Client";
    }
    return switch (e.kind()) {
      case INVALID -> "BadRequest";
      case UNAUTHENTICATED -> "Unauthorized";
      case FORBIDDEN -> "Forbidden";
      case NOT_FOUND -> "NotFound";
      case CONFLICT -> "Conflict";
      case FAILED -> "InternalServerError";
      case UNAVAILABLE -> "ServiceUnavailable";
      case PRECONDITION_FAILED, OVER_LIMIT -> "NeutronClientException";
    };
  }

  static boolean notFound(ServiceException e) {
    return e.kind() == ServiceException.Kind.NOT_FOUND;
  }

  /** A call to Networking whose refusal fails the resource with Heat's wording. */
  interface Call<T> {
    T run();
  }

  static <T> T call(Call<T> call) throws ResourceError {
    try {
      return call.run();
    } catch (ServiceException e) {
      throw of(e);
    }
  }

  /** Runs a removal; a thing already gone counts as removed, as Heat's ignore_not_found does. */
  static void removing(Runnable removal) throws ResourceError {
    try {
      removal.run();
    } catch (ServiceException e) {
      if (!notFound(e)) {
        throw of(e);
      }
    }
  }

  /** Heat's own validation refusals (StackValidationFailed, ResourcePropertyConflict, …). */
  static ResourceError heat(String type, String message) {
    return new ResourceError(type, message);
  }
}
