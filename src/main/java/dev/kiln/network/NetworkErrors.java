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

  static ServiceException routerNotFound(String id) {
    return ServiceException.notFound("RouterNotFound", "Router " + id + " could not be found");
  }

  static ServiceException floatingIpNotFound(String id) {
    return ServiceException.notFound("FloatingIPNotFound", "Floating IP " + id + " could not be found");
  }

  /** Neutron's BadRequest for one resource: {@code Bad router request: ...}. */
  static ServiceException badRequest(String resource, String message) {
    return ServiceException.invalid("BadRequest", "Bad " + resource + " request: " + message);
  }

  /** {@code If-Match: revision_number=N} named another revision than the resource has (412). */
  static ServiceException revisionMismatch(long expected, long current) {
    return new ServiceException(
        Kind.PRECONDITION_FAILED,
        "RevisionNumberConstraintFailed",
        "Constrained to " + expected + ", but current revision is " + current);
  }

  /** Fails with Neutron's 412 unless the resource is at the revision the request expects (if any). */
  static void checkRevision(Long expected, long current) {
    if (expected != null && expected != current) {
      throw revisionMismatch(expected, current);
    }
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
