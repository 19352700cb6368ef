package dev.kiln.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Error bodies, in the exact shape each OpenStack service's clients parse. */
class FaultStyleTest {
  private static final ApiError NOT_FOUND =
      ApiError.notFound("NetworkNotFound", "Network abc could not be found.");

  private static JsonNode json(String text) {
    return Json.parse(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void keystoneShape() {
    assertThat(FaultStyle.KEYSTONE.render(NOT_FOUND))
        .isEqualTo(
            json(
                """
                {"error": {"code": 404, "title": "Not Found",
                           "message": "Network abc could not be found."}}
                """));
  }

  @Test
  void novaShape() {
    assertThat(FaultStyle.NOVA.render(NOT_FOUND))
        .isEqualTo(
            json(
                """
                {"itemNotFound": {"code": 404, "message": "Network abc could not be found."}}
                """));
  }

  @ParameterizedTest
  @CsvSource({
    "400, badRequest",
    "401, unauthorized",
    "403, forbidden",
    "404, itemNotFound",
    "405, badMethod",
    "406, notAcceptable",
    "409, conflictingRequest",
    "413, overLimit",
    "415, badMediaType",
    "429, overLimit",
    "500, computeFault",
    "501, notImplemented",
    "502, computeFault",
    "503, serviceUnavailable",
    "418, badRequest"
  })
  void novaFaultNames(int status, String name) {
    JsonNode body = FaultStyle.NOVA.render(new ApiError(status, "Whatever", "m"));
    assertThat(body.size()).isEqualTo(1);
    assertThat(body.get(name)).as("fault name for %d", status).isNotNull();
    assertThat(body.get(name).get("code").intValue()).isEqualTo(status);
    assertThat(body.get(name).get("message").textValue()).isEqualTo("m");
  }

  @Test
  void neutronShape() {
    assertThat(FaultStyle.NEUTRON.render(NOT_FOUND))
        .isEqualTo(
            json(
                """
                {"NeutronError": {"type": "NetworkNotFound",
                                  "message": "Network abc could not be found.", "detail": ""}}
                """));
  }

  @Test
  void heatShape() {
    ApiError error = ApiError.notFound("EntityNotFound", "The Stack (s) could not be found.");
    assertThat(FaultStyle.HEAT.render(error))
        .isEqualTo(
            json(
                """
                {"explanation": "The resource could not be found.", "code": 404,
                 "title": "Not Found",
                 "error": {"message": "The Stack (s) could not be found.", "traceback": null,
                           "type": "EntityNotFound"}}
                """));
  }

  @Test
  void heatTracebackIsAnExplicitNull() {
    JsonNode error = FaultStyle.HEAT.render(NOT_FOUND).get("error");
    assertThat(error.has("traceback")).isTrue();
    assertThat(error.get("traceback").isNull()).isTrue();
  }

  @Test
  void heatExplanationFallsBackToTheTitle() {
    JsonNode body = FaultStyle.HEAT.render(ApiError.notAcceptable("no"));
    assertThat(body.get("explanation").textValue()).isEqualTo("Not Acceptable");
    assertThat(body.get("title").textValue()).isEqualTo("Not Acceptable");
    assertThat(body.get("code").intValue()).isEqualTo(406);
  }

  @Test
  void glanceShape() {
    assertThat(FaultStyle.GLANCE.render(NOT_FOUND))
        .isEqualTo(
            json(
                """
                {"code": "404 Not Found", "title": "Not Found",
                 "message": "Network abc could not be found."}
                """));
  }

  @Test
  void keystoneTitleForAnUnlistedStatusIsError() {
    JsonNode body = FaultStyle.KEYSTONE.render(new ApiError(418, "Teapot", "short and stout"));
    assertThat(body.at("/error/title").textValue()).isEqualTo("Error");
  }

  @Test
  void keystoneTitlesForCommonStatuses() {
    assertThat(FaultStyle.KEYSTONE.render(ApiError.badRequest("x")).at("/error/title").textValue())
        .isEqualTo("Bad Request");
    assertThat(FaultStyle.KEYSTONE.render(ApiError.unauthorized("x")).at("/error/title").textValue())
        .isEqualTo("Unauthorized");
    assertThat(FaultStyle.KEYSTONE.render(ApiError.forbidden("x")).at("/error/title").textValue())
        .isEqualTo("Forbidden");
    assertThat(
            FaultStyle.KEYSTONE.render(ApiError.conflict("Conflict", "x")).at("/error/title").textValue())
        .isEqualTo("Conflict");
  }
}
