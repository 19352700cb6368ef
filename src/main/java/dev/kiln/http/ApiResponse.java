package dev.kiln.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a handler answers: a status, extra headers and an optional JSON body. */
public record ApiResponse(int status, Map<String, String> headers, JsonNode body) {

  public ApiResponse {
    headers = Map.copyOf(headers);
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
    return new ApiResponse(status, copy, body);
  }
}
