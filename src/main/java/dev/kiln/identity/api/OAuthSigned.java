package dev.kiln.identity.api;

import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.identity.OAuthSignatures;
import dev.kiln.identity.OAuthSignatures.Param;
import dev.kiln.identity.OAuthSignatures.SignedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads an OAuth-signed request's parts: the URL it reached, its parameters, its Authorization. */
final class OAuthSigned {
  private OAuthSigned() {}

  /** The signed request; Keystone's 400 when there is no {@code Authorization: OAuth ...} header. */
  static SignedRequest of(ApiRequest request, String method) {
    Map<String, String> oauth = OAuthSignatures.parseAuthorization(request.header("Authorization").orElse(null));
    if (oauth.isEmpty()) {
      throw ApiError.badRequest(
          "ValidationError",
          "No Authorization headers found, cannot proceed with OAuth related calls: send the request's"
              + " OAuth parameters in 'Authorization: OAuth ...'.");
    }
    List<Param> params = new ArrayList<>(OAuthSignatures.parseForm(request.rawQuery()));
    params.addAll(OAuthSignatures.parseForm(request.formBody()));
    // The URL the client reached (the public URL when one is set), as the client signed it.
    return new SignedRequest(method, request.baseUrl() + request.rawPath(), params, oauth);
  }
}
