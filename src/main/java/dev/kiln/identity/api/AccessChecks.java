package dev.kiln.identity.api;

import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.Caller;

/** Keystone's "admin or the user itself" policy, which many user-owned collections share. */
final class AccessChecks {
  private AccessChecks() {}

  /** Answers {@code userId} when the caller is that user or an admin; else Keystone's 403. */
  static String selfOrAdmin(ApiRequest request, String userId, String policy) {
    Caller caller = request.caller();
    if (!caller.isAdmin() && !caller.userId().equals(userId)) {
      throw ApiError.forbidden("You are not authorized to perform the requested action: " + policy + ".");
    }
    return userId;
  }

  /** {@link #selfOrAdmin(ApiRequest, String, String)} for the path's {@code user_id}. */
  static String selfOrAdmin(ApiRequest request, String policy) {
    return selfOrAdmin(request, request.pathParam("user_id"), policy);
  }
}
