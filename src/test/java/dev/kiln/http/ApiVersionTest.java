package dev.kiln.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing, ordering and printing of microversions. */
class ApiVersionTest {
  @Test
  void parsesMajorDotMinor() {
    assertThat(ApiVersion.parse("2.79")).isEqualTo(new ApiVersion(2, 79));
    assertThat(ApiVersion.parse(" 3.0 ")).isEqualTo(new ApiVersion(3, 0));
  }

  @Test
  void minorIsComparedNumericallyNotAsText() {
    assertThat(ApiVersion.parse("2.10")).isGreaterThan(ApiVersion.parse("2.9"));
  }

  @Test
  void majorOutranksMinor() {
    assertThat(new ApiVersion(3, 0)).isGreaterThan(new ApiVersion(2, 99));
    assertThat(new ApiVersion(2, 5)).isEqualByComparingTo(new ApiVersion(2, 5));
  }

  @Test
  void atLeastIsInclusive() {
    ApiVersion v = new ApiVersion(2, 10);
    assertThat(v.atLeast(2, 9)).isTrue();
    assertThat(v.atLeast(2, 10)).isTrue();
    assertThat(v.atLeast(2, 11)).isFalse();
    assertThat(v.atLeast(3, 0)).isFalse();
  }

  @Test
  void printsAsMajorDotMinor() {
    assertThat(new ApiVersion(2, 10)).hasToString("2.10");
    assertThat(ApiVersion.NONE).hasToString("0.0");
  }

  @Test
  void malformedIs400NamingTheValue() {
    ApiError error = catchThrowableOfType(ApiError.class, () -> ApiVersion.parse("2.x"));
    assertThat(error.status()).isEqualTo(400);
    assertThat(error.getMessage()).contains("'2.x'").contains("MAJOR.MINOR");
  }

  @Test
  void negativePartsAre400() {
    assertThat(catchThrowableOfType(ApiError.class, () -> ApiVersion.parse("-1.2")).status())
        .isEqualTo(400);
    assertThat(catchThrowableOfType(ApiError.class, () -> ApiVersion.parse("1.-2")).status())
        .isEqualTo(400);
  }

  @Test
  void numbersTooBigForAnIntAre400() {
    assertThat(
            catchThrowableOfType(ApiError.class, () -> ApiVersion.parse("2.99999999999")).status())
        .isEqualTo(400);
  }

  @ParameterizedTest
  @ValueSource(strings = {"2.5.", "+2.5", "2.+5", "\u0662.\u0665"})
  void lenientSpellingsAre400(String text) {
    assertThat(catchThrowableOfType(ApiError.class, () -> ApiVersion.parse(text))).isNotNull();
  }
}
