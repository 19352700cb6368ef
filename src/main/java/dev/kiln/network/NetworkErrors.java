package dev.kiln.network;

import dev.kiln.common.ServiceException;
import dev.kiln.common.ServiceException.Kind;

/** Neutron's error types and messages, so clients that match on them keep working. */
final class NetworkErrors {
  private NetworkErrors() {}

  static ServiceException networkNotFound(String id) {
    return ServiceException.notFound("NetworkNotFound", "Network " + id + " could not be found.");
  }

  static ServiceException subnetNotFound(String id) {
    return ServiceException.notFound("SubnetNotFound", "Subnet " + id + " could not be found.");
  }

  static ServiceException portNotFound(String id) {
    return ServiceException.notFound("PortNotFound", "Port " + id + " could not be found.");
  }

  static ServiceException invalid(String message) {
    return ServiceException.invalid("InvalidInput", "Invalid input for operation: " + message);
  }

  static ServiceException policy(String rule) {
    return new ServiceException(
        Kind.FORBIDDEN, "PolicyNotAuthorized", "(rule:" + rule + ") is disallowed by policy.");
  }

  static ServiceException concurrentChange(String what, String id) {
    return ServiceException.conflict(
        "Conflict", what + " " + id + " was changed by another request at the same time; retry.");
  }
}
