package dev.kiln.http;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The shape of an error body, which differs per OpenStack service. Clients parse these shapes to
 * show the message, so each must match its service exactly.
 */
public enum FaultStyle {
  /** Keystone: {@code {"error": {"code", "title", "message"}}}. */
  KEYSTONE,
  /** Nova, and Cinder which shares its WSGI layer: {@code {"itemNotFound": {"code", "message"}}}. */
  NOVA,
  /** Neutron: {@code {"NeutronError": {"type", "message", "detail"}}}. */
  NEUTRON,
  /** Glance (webob's JSON error body): {@code {"code", "title", "message"}}. */
  GLANCE,
  /** Heat: {@code {"explanation", "code", "title", "error": {"type", "message", "traceback"}}}. */
  HEAT;

  public ObjectNode render(ApiError error) {
    int status = error.status();
    ObjectNode body = Json.object();
    switch (this) {
      case KEYSTONE -> {
        ObjectNode inner = body.putObject("error");
        inner.put("code", status);
        inner.put("title", HttpStatusTitles.title(status));
        inner.put("message", error.getMessage());
      }
      case NOVA -> {
        ObjectNode inner = body.putObject(novaFaultName(status));
        inner.put("code", status);
        inner.put("message", error.getMessage());
      }
      case NEUTRON -> {
        ObjectNode inner = body.putObject("NeutronError");
        inner.put("type", error.type());
        inner.put("message", error.getMessage());
        inner.put("detail", "");
      }
      case GLANCE -> {
        body.put("code", status + " " + HttpStatusTitles.title(status));
        body.put("title", HttpStatusTitles.title(status));
        body.put("message", error.getMessage());
      }
      case HEAT -> {
        body.put("explanation", heatExplanation(status));
        body.put("code", status);
        ObjectNode inner = body.putObject("error");
        inner.put("message", error.getMessage());
        inner.putNull("traceback");
        inner.put("type", error.type());
        body.put("title", HttpStatusTitles.title(status));
      }
    }
    return body;
  }

  /** The fault names Nova and Cinder use as the body's only key. */
  static String novaFaultName(int status) {
    return switch (status) {
      case 400 -> "badRequest";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "itemNotFound";
      case 405 -> "badMethod";
      case 406 -> "notAcceptable";
      case 409 -> "conflictingRequest";
      // Both services name every code they do not list computeFault (Nova's removed APIs' 410s).
      case 410 -> "computeFault";
      case 413, 429 -> "overLimit";
      case 415 -> "badMediaType";
      case 501 -> "notImplemented";
      case 503 -> "serviceUnavailable";
      default -> status >= 500 ? "computeFault" : "badRequest";
    };
  }

  private static String heatExplanation(int status) {
    return switch (status) {
      case 400 -> "The server could not comply with the request since it is either malformed or"
          + " otherwise incorrect.";
      case 401 -> "This server could not verify that you are authorized to access the document you"
          + " requested.";
      case 403 -> "Access was denied to this resource.";
      case 404 -> "The resource could not be found.";
      case 409 -> "There was a conflict when trying to complete your request.";
      default -> HttpStatusTitles.title(status);
    };
  }
}
