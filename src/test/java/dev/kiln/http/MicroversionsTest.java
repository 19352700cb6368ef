package dev.kiln.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Microversion negotiation: which version a request gets, and how bad requests are refused. */
class MicroversionsTest {
  private static final Microversions COMPUTE =
      new Microversions(
          "compute", "X-OpenStack-Nova-API-Version", new ApiVersion(2, 1), new ApiVersion(2, 90));
  private static final Microversions VOLUME =
      new Microversions("volume", null, new ApiVersion(3, 0), new ApiVersion(3, 70));

  private static ApiVersion negotiate(Microversions mv, String standard, String legacy) {
    return mv.negotiate(Optional.ofNullable(standard), Optional.ofNullable(legacy));
  }

  @Test
  void noHeaderMeansTheMinimum() {
    assertThat(negotiate(COMPUTE, null, null)).isEqualTo(new ApiVersion(2, 1));
  }

  @Test
  void latestMeansTheMaximum() {
    assertThat(negotiate(COMPUTE, "compute latest", null)).isEqualTo(new ApiVersion(2, 90));
  }

  @Test
  void latestIsCaseInsensitive() {
    assertThat(negotiate(COMPUTE, "compute LATEST", null)).isEqualTo(new ApiVersion(2, 90));
  }

  @Test
  void latestInTheLegacyHeaderMeansTheMaximum() {
    assertThat(negotiate(COMPUTE, null, "latest")).isEqualTo(new ApiVersion(2, 90));
  }

  @Test
  void standardHeaderPicksTheNamedVersion() {
    assertThat(negotiate(COMPUTE, "compute 2.5", null)).isEqualTo(new ApiVersion(2, 5));
  }

  @Test
  void multiServiceHeaderPicksOnlyThisServicesEntry() {
    assertThat(negotiate(COMPUTE, "volume 3.44, compute 2.5", null))
        .isEqualTo(new ApiVersion(2, 5));
    assertThat(negotiate(VOLUME, "volume 3.44, compute 2.5", null))
        .isEqualTo(new ApiVersion(3, 44));
  }

  @Test
  void anotherServicesOutOfRangeEntryIsIgnored() {
    // 3.44 would be out of range for compute, but it belongs to volume.
    assertThat(negotiate(COMPUTE, "volume 3.44", null)).isEqualTo(new ApiVersion(2, 1));
  }

  @Test
  void serviceTypeInTheHeaderIsCaseInsensitive() {
    assertThat(negotiate(COMPUTE, "Compute 2.7", null)).isEqualTo(new ApiVersion(2, 7));
  }

  @Test
  void legacyHeaderIsUsedWhenTheStandardOneDoesNotNameThisService() {
    assertThat(negotiate(COMPUTE, "volume 3.44", "2.12")).isEqualTo(new ApiVersion(2, 12));
    assertThat(negotiate(COMPUTE, null, " 2.12 ")).isEqualTo(new ApiVersion(2, 12));
  }

  @Test
  void standardHeaderWinsOverTheLegacyOne() {
    assertThat(negotiate(COMPUTE, "compute 2.5", "2.12")).isEqualTo(new ApiVersion(2, 5));
  }

  @Test
  void boundsAreInclusive() {
    assertThat(negotiate(COMPUTE, "compute 2.1", null)).isEqualTo(new ApiVersion(2, 1));
    assertThat(negotiate(COMPUTE, "compute 2.90", null)).isEqualTo(new ApiVersion(2, 90));
  }

  @Test
  void versionAboveMaxIs406NamingMinAndMax() {
    ApiError error =
        catchThrowableOfType(ApiError.class, () -> negotiate(COMPUTE, "compute 2.91", null));
    assertThat(error.status()).isEqualTo(406);
    assertThat(error.getMessage()).contains("2.91").contains("2.1").contains("2.90");
  }

  @Test
  void versionBelowMinIs406() {
    ApiError error =
        catchThrowableOfType(ApiError.class, () -> negotiate(COMPUTE, "compute 2.0", null));
    assertThat(error.status()).isEqualTo(406);
    assertThat(error.getMessage())
        .isEqualTo("Version 2.0 is not supported by the API. Minimum is 2.1 and maximum is 2.90.");
  }

  @Test
  void emptyLegacyHeaderMeansTheMinimum() {
    assertThat(negotiate(COMPUTE, null, "")).isEqualTo(COMPUTE.min());
  }

  @Test
  void otherMajorVersionIs406() {
    ApiError error =
        catchThrowableOfType(ApiError.class, () -> negotiate(COMPUTE, null, "3.0"));
    assertThat(error.status()).isEqualTo(406);
  }

  @ParameterizedTest
  @ValueSource(strings = {"2", "2.x", "-1.2", "2.-1", "x.1", "2.1.1", "2..1"})
  void malformedVersionIs400(String text) {
    ApiError error =
        catchThrowableOfType(ApiError.class, () -> negotiate(COMPUTE, null, text));
    assertThat(error.status()).isEqualTo(400);
    assertThat(error.getMessage()).contains("'" + text + "'");
  }

  @Test
  void malformedVersionInTheStandardHeaderIs400() {
    ApiError error =
        catchThrowableOfType(ApiError.class, () -> negotiate(COMPUTE, "compute 2.x", null));
    assertThat(error.status()).isEqualTo(400);
  }

  @Test
  void responseHeadersNameServiceAndVersionAndVary() {
    assertThat(VOLUME.responseHeaders(new ApiVersion(3, 44)))
        .containsOnly(
            org.assertj.core.api.Assertions.entry("OpenStack-API-Version", "volume 3.44"),
            org.assertj.core.api.Assertions.entry("Vary", "OpenStack-API-Version"));
  }

  @Test
  void responseHeadersIncludeTheLegacyHeaderWhenThereIsOne() {
    assertThat(COMPUTE.responseHeaders(new ApiVersion(2, 5)))
        .containsEntry("OpenStack-API-Version", "compute 2.5")
        .containsEntry("X-OpenStack-Nova-API-Version", "2.5")
        .containsEntry("Vary", "OpenStack-API-Version, X-OpenStack-Nova-API-Version")
        .hasSize(3);
  }

  @Test
  void minAboveMaxIsRefused() {
    assertThatThrownBy(
            () -> new Microversions("compute", null, new ApiVersion(2, 10), new ApiVersion(2, 9)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2.10")
        .hasMessageContaining("2.9");
  }

  @Test
  void serviceTypeIsRequired() {
    assertThatThrownBy(
            () -> new Microversions(null, null, new ApiVersion(2, 1), new ApiVersion(2, 9)))
        .isInstanceOf(NullPointerException.class);
  }
}
