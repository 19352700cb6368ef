package dev.kiln.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Request body parsing: one well-formed JSON value, or a 400. */
class JsonTest {
  private static JsonNode parse(String text) {
    return Json.parse(text.getBytes(StandardCharsets.UTF_8));
  }

  private static ApiError parseError(String text) {
    ApiError error = catchThrowableOfType(ApiError.class, () -> parse(text));
    assertThat(error).as("expected an ApiError for %s", text).isNotNull();
    assertThat(error.status()).isEqualTo(400);
    return error;
  }

  @Test
  void parsesAnObject() {
    JsonNode node = parse("{\"a\": {\"b\": [1, true, null]}}");
    assertThat(node.at("/a/b/1").booleanValue()).isTrue();
  }

  @Test
  void malformedJsonIs400() {
    assertThat(parseError("{\"a\": ").getMessage()).startsWith("Malformed request body: ");
    parseError("{a: 1}");
    parseError("{\"a\": 1,}");
    parseError("not json");
  }

  @Test
  void trailingTokensAre400() {
    assertThat(parseError("{\"a\": 1} {\"b\": 2}").getMessage()).startsWith("Malformed request body");
    parseError("{} x");
    parseError("[1] ]");
  }

  @Test
  void duplicateKeysAre400() {
    ApiError error = parseError("{\"a\": 1, \"a\": 2}");
    assertThat(error.getMessage()).contains("a");
    parseError("{\"user\": {\"name\": \"x\", \"name\": \"y\"}}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\n\t "})
  void emptyBodyIs400(String body) {
    assertThat(parseError(body).getMessage())
        .isEqualTo("The request body is empty; a JSON object is expected.");
  }

  @Test
  void bytesRoundTrips() {
    JsonNode node = parse("{\"a\":[1,2]}");
    assertThat(new String(Json.bytes(node), StandardCharsets.UTF_8)).isEqualTo("{\"a\":[1,2]}");
  }
}
