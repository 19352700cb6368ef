package dev.kiln.http;

/** One API operation: reads the request, calls a service, answers. */
@FunctionalInterface
public interface ApiHandler {
  ApiResponse handle(ApiRequest request);
}
