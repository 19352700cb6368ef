package dev.kiln.image;

import dev.kiln.common.ServiceException;
import dev.kiln.common.ServiceException.Kind;

/** Glance's error messages, so that what users read matches what Glance tells them. */
final class ImageErrors {
  private ImageErrors() {}

  static ServiceException notFound(String id) {
    return ServiceException.notFound("ImageNotFound", "No image found with ID " + id);
  }

  static ServiceException readOnly(String attribute) {
    return ServiceException.forbidden("ReadonlyProperty", "Attribute '" + attribute + "' is read-only.");
  }

  static ServiceException reserved(String attribute) {
    return ServiceException.forbidden("ReservedProperty", "Attribute '" + attribute + "' is reserved.");
  }

  /** An oslo.policy refusal, as Glance words it. */
  static ServiceException policy(String rule) {
    return ServiceException.forbidden("PolicyNotAuthorized", "Policy doesn't allow " + rule + " to be performed.");
  }

  static ServiceException invalid(String message) {
    return ServiceException.invalid("Invalid", message);
  }

  /** A JSON-schema violation, as Glance reports the image schema's refusals. */
  static ServiceException schema(String reason, String validator, String attribute) {
    return ServiceException.invalid(
        "InvalidObject",
        "Provided object does not match schema 'image': "
            + reason
            + "\n\nFailed validating '"
            + validator
            + "' in schema['properties']['"
            + attribute
            + "']");
  }

  static ServiceException negative(String attribute, long value) {
    return invalid("Invalid value '" + value + "' for parameter '" + attribute + "': Cannot be a negative value.");
  }

  static ServiceException transition(ImageStatus from, ImageStatus to) {
    return ServiceException.conflict(
        "InvalidImageStatusTransition",
        "Image status transition from " + from.apiName() + " to " + to.apiName() + " is not allowed");
  }

  static ServiceException overLimit(String message) {
    return new ServiceException(Kind.OVER_LIMIT, "RequestEntityTooLarge", message);
  }
}
