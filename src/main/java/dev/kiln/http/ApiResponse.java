package dev.kiln.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a handler answers: a status, extra headers and an optional JSON body, or instead of JSON a
 * {@link RawBody} of bytes streamed to the client (image data).
 */
public record ApiResponse(int status, Map<String, String> headers, JsonNode body, RawBody raw) {

  public ApiResponse {
    headers = Map.copyOf(headers);
    if (body != null && raw != null) {
      throw new IllegalArgumentException("an answer has a JSON body or a raw body, not both");
    }
  }

  public ApiResponse(int status, Map<String, String> headers, JsonNode body) {
    this(status, headers, body, null);
  }

  /**
   * A body that is not JSON: {@code length} bytes (or -1 when unknown) of {@code contentType},
   * copied from {@code data} to the client, which is closed afterwards.
   */
  public record RawBody(String contentType, long length, InputStream data) {
    public RawBody {
      requireNonNull(contentType, "contentType is null");
      requireNonNull(data, "data is null");
    }
  }

  /** A 200 answer whose body is bytes streamed from {@code data}. */
  public static ApiResponse stream(String contentType, long length, InputStream data) {
    return new ApiResponse(200, Map.of(), null, new RawBody(contentType, length, data));
  }

  public static ApiResponse ok(JsonNode body) {
    return new ApiResponse(200, Map.of(), body);
  }

  public static ApiResponse created(JsonNode body) {
    return new ApiResponse(201, Map.of(), body);
  }

  public static ApiResponse accepted(JsonNode body) {
    return new ApiResponse(202, Map.of(), body);
  }

  public static ApiResponse noContent() {
    return new ApiResponse(204, Map.of(), null);
  }

  public static ApiResponse status(int status, JsonNode body) {
    return new ApiResponse(status, Map.of(), body);
  }

  public ApiResponse withHeader(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(name, value);
    return new ApiResponse(status, copy, body, raw);
  }
}
