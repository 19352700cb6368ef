package dev.kiln.identity.api;

import static java.util.Objects.requireNonNull;

import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Caller;
import dev.kiln.http.JsonInput;
import dev.kiln.identity.Directory;
import dev.kiln.identity.Domain;
import dev.kiln.identity.ListFilter;

/** {@code /v3/domains}. */
final class DomainsApi {
  static final int NAME_MAX = 64;

  private final Directory directory;

  DomainsApi(Directory directory) {
    this.directory = requireNonNull(directory, "directory is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get("/v3/domains", Access.ADMIN, this::list)
        .post("/v3/domains", Access.ADMIN, this::create)
        .get("/v3/domains/{domain_id}", Access.AUTHENTICATED, this::show)
        .patch("/v3/domains/{domain_id}", Access.ADMIN, this::update)
        .delete("/v3/domains/{domain_id}", Access.ADMIN, this::delete);
  }

  private ApiResponse list(ApiRequest request) {
    ListFilter filter = QueryFilters.enabled(request, QueryFilters.strings(request, ListFilter.none(), "name"));
    return ApiResponse.ok(views(request).collection("domains", directory.domains(filter), views(request)::domain));
  }

  private ApiResponse create(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "domain");
    in.allowOnly("name", "description", "enabled", "tags", "options");
    Domain domain =
        directory.createDomain(
            in.nonBlankString("name", NAME_MAX),
            in.optionalString("description").orElse(""),
            in.optionalBoolean("enabled").orElse(true));
    return ApiResponse.created(views(request).wrap("domain", views(request).domain(domain)));
  }

  private ApiResponse show(ApiRequest request) {
    String id = request.pathParam("domain_id");
    Caller caller = request.caller();
    // A user may see its own domain and the one its token is scoped to; admins see all.
    if (!caller.isAdmin() && !id.equals(caller.userDomainId()) && !id.equals(caller.domainId())) {
      throw ApiError.forbidden(
          "You are not authorized to perform the requested action: identity:get_domain.");
    }
    return ApiResponse.ok(views(request).wrap("domain", views(request).domain(directory.domain(id))));
  }

  private ApiResponse update(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "domain");
    in.allowOnly("name", "description", "enabled", "tags", "options");
    String name = in.has("name") ? in.nonBlankString("name", NAME_MAX) : null;
    Domain domain =
        directory.updateDomain(
            request.pathParam("domain_id"),
            name,
            in.optionalString("description").orElse(null),
            in.optionalBoolean("enabled").orElse(null));
    return ApiResponse.ok(views(request).wrap("domain", views(request).domain(domain)));
  }

  private ApiResponse delete(ApiRequest request) {
    directory.deleteDomain(request.pathParam("domain_id"));
    return ApiResponse.noContent();
  }

  private static IdentityViews views(ApiRequest request) {
    return new IdentityViews(request.baseUrl());
  }
}
