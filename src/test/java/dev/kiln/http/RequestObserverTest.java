package dev.kiln.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The service tag a request path is timed under. */
class RequestObserverTest {
  @ParameterizedTest
  @CsvSource({
    "/identity/v3/x, identity",
    "/identity, identity",
    "/compute/v2.1/servers, compute",
    "/healthz, healthz",
    "/, root",
    "'', root",
    "image/v2, image"
  })
  void serviceIsTheFirstPathSegment(String path, String service) {
    assertThat(RequestObserver.serviceOf(path)).isEqualTo(service);
  }
}
