package dev.kiln.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Strict reading of request objects: every failure a 400 naming the field by its path. */
class JsonInputTest {
  private static JsonNode json(String text) {
    return Json.parse(text.getBytes(StandardCharsets.UTF_8));
  }

  private static ApiError badRequest(ThrowingCallable call) {
    ApiError error = catchThrowableOfType(ApiError.class, call);
    assertThat(error).as("expected an ApiError").isNotNull();
    assertThat(error.status()).isEqualTo(400);
    return error;
  }

  @Test
  void wrappedReturnsTheNamedMemberWithItsPath() {
    JsonInput user = JsonInput.wrapped(json("{\"user\": {\"name\": \"alice\"}}"), "user");
    assertThat(user.path()).isEqualTo("user");
    assertThat(user.string("name")).isEqualTo("alice");
  }

  @Test
  void wrappedRefusesAnotherTopLevelKey() {
    ApiError error = badRequest(() -> JsonInput.wrapped(json("{\"user\": {}, \"x\": 1}"), "user"));
    assertThat(error.getMessage())
        .isEqualTo("Invalid input for field 'x': unknown field. Allowed fields here: user.");
  }

  @Test
  void wrappedRequiresTheKey() {
    ApiError error = badRequest(() -> JsonInput.wrapped(json("{}"), "user"));
    assertThat(error.getMessage()).isEqualTo("Invalid input for field 'user': this field is required.");
  }

  @Test
  void wrappedRefusesAWrongKey() {
    ApiError error = badRequest(() -> JsonInput.wrapped(json("{\"project\": {}}"), "user"));
    assertThat(error.getMessage()).contains("'project'").contains("unknown field");
  }

  @Test
  void wrappedRequiresAnObjectBody() {
    ApiError error = badRequest(() -> JsonInput.wrapped(json("[1, 2]"), "user"));
    assertThat(error.getMessage()).contains("JSON object").contains("'user'");
    badRequest(() -> JsonInput.wrapped(json("\"user\""), "user"));
    badRequest(() -> JsonInput.wrapped(null, "user"));
  }

  @Test
  void wrappedRequiresTheMemberToBeAnObject() {
    ApiError error = badRequest(() -> JsonInput.wrapped(json("{\"user\": \"alice\"}"), "user"));
    assertThat(error.getMessage()).isEqualTo("Invalid input for field 'user': expected an object.");
  }

  @Test
  void wrappedTreatsANullMemberAsMissing() {
    ApiError error = badRequest(() -> JsonInput.wrapped(json("{\"user\": null}"), "user"));
    assertThat(error.getMessage()).contains("this field is required");
  }

  @Test
  void rootRequiresAnObject() {
    assertThat(JsonInput.root(json("{}")).path()).isEmpty();
    ApiError error = badRequest(() -> JsonInput.root(json("42")));
    assertThat(error.getMessage()).isEqualTo("The request body must be a JSON object.");
  }

  @Test
  void unknownFieldNamesTheFullPathAndListsAllowedFieldsSorted() {
    JsonInput user = JsonInput.wrapped(json("{\"user\": {\"name\": \"a\", \"colour\": \"red\"}}"), "user");
    ApiError error = badRequest(() -> user.allowOnly("name", "enabled", "description"));
    assertThat(error.getMessage())
        .isEqualTo(
            "Invalid input for field 'user/colour': unknown field."
                + " Allowed fields here: description, enabled, name.");
  }

  @Test
  void allowOnlyPassesWhenEveryFieldIsAllowed() {
    JsonInput user = JsonInput.wrapped(json("{\"user\": {\"name\": \"a\"}}"), "user");
    assertThat(user.allowOnly("name", "enabled")).isSameAs(user);
  }

  @Test
  void nestedObjectsExtendThePath() {
    JsonInput auth =
        JsonInput.wrapped(
            json("{\"auth\": {\"identity\": {\"password\": {\"user\": {\"name\": 5}}}}}"), "auth");
    JsonInput user = auth.object("identity").object("password").object("user");
    assertThat(user.path()).isEqualTo("auth/identity/password/user");
    ApiError error = badRequest(() -> user.string("name"));
    assertThat(error.getMessage())
        .isEqualTo("Invalid input for field 'auth/identity/password/user/name': expected a string.");
  }

  @Test
  void stringExpectedNamesTheField() {
    JsonInput user = JsonInput.wrapped(json("{\"user\": {\"name\": 12}}"), "user");
    ApiError error = badRequest(() -> user.string("name"));
    assertThat(error.type()).isEqualTo("SchemaValidationError");
    assertThat(error.getMessage()).isEqualTo("Invalid input for field 'user/name': expected a string.");
  }

  @Test
  void booleanExpectedNamesTheField() {
    JsonInput user = JsonInput.wrapped(json("{\"user\": {\"enabled\": \"yes\"}}"), "user");
    ApiError error = badRequest(() -> user.optionalBoolean("enabled"));
    assertThat(error.getMessage())
        .isEqualTo("Invalid input for field 'user/enabled': expected true or false.");
  }

  @Test
  void objectExpectedNamesTheField() {
    JsonInput user = JsonInput.wrapped(json("{\"user\": {\"options\": [1]}}"), "user");
    ApiError error = badRequest(() -> user.object("options"));
    assertThat(error.getMessage())
        .isEqualTo("Invalid input for field 'user/options': expected an object.");
    badRequest(() -> user.optionalObject("options"));
  }

  @Test
  void listExpectedNamesTheField() {
    JsonInput user = JsonInput.wrapped(json("{\"user\": {\"roles\": {}, \"ok\": [1, 2]}}"), "user");
    ApiError error = badRequest(() -> user.array("roles"));
    assertThat(error.getMessage()).isEqualTo("Invalid input for field 'user/roles': expected a list.");
    assertThat(user.array("ok")).hasSize(2);
  }

  @Test
  void requiredMissingSaysThisFieldIsRequired() {
    JsonInput user = JsonInput.wrapped(json("{\"user\": {}}"), "user");
    ApiError error = badRequest(() -> user.string("name"));
    assertThat(error.getMessage())
        .isEqualTo("Invalid input for field 'user/name': this field is required.");
    badRequest(() -> user.object("options"));
    badRequest(() -> user.raw("anything"));
    badRequest(() -> user.array("roles"));
  }

  @Test
  void requiredNullSaysThisFieldIsRequired() {
    JsonInput user = JsonInput.wrapped(json("{\"user\": {\"name\": null}}"), "user");
    ApiError error = badRequest(() -> user.string("name"));
    assertThat(error.getMessage()).contains("'user/name'").contains("this field is required");
  }

  @Test
  void nullReadsAsAbsentForOptionalGetters() {
    JsonInput user =
        JsonInput.wrapped(
            json("{\"user\": {\"description\": null, \"enabled\": null, \"options\": null}}"),
            "user");
    assertThat(user.optionalString("description")).isEmpty();
    assertThat(user.optionalBoolean("enabled")).isEmpty();
    assertThat(user.optionalObject("options")).isEmpty();
    assertThat(user.has("description")).isTrue();
  }

  @Test
  void missingReadsAsAbsentForOptionalGetters() {
    JsonInput user = JsonInput.wrapped(json("{\"user\": {}}"), "user");
    assertThat(user.optionalString("description")).isEmpty();
    assertThat(user.optionalBoolean("enabled")).isEmpty();
    assertThat(user.optionalObject("options")).isEmpty();
    assertThat(user.has("description")).isFalse();
  }

  @Test
  void optionalGettersReturnPresentValues() {
    JsonInput user =
        JsonInput.wrapped(
            json("{\"user\": {\"description\": \"d\", \"enabled\": false, \"options\": {\"k\": \"v\"}}}"),
            "user");
    assertThat(user.optionalString("description")).contains("d");
    assertThat(user.optionalBoolean("enabled")).contains(false);
    assertThat(user.optionalObject("options")).get().extracting(JsonInput::path).isEqualTo("user/options");
  }

  @Test
  void optionalStringStillChecksTheType() {
    JsonInput user = JsonInput.wrapped(json("{\"user\": {\"description\": true}}"), "user");
    ApiError error = badRequest(() -> user.optionalString("description"));
    assertThat(error.getMessage()).contains("'user/description'").contains("expected a string");
  }

  @Test
  void nonBlankStringRejectsEmptyAndBlank() {
    JsonInput user = JsonInput.wrapped(json("{\"user\": {\"a\": \"\", \"b\": \"  \\t\"}}"), "user");
    assertThat(badRequest(() -> user.nonBlankString("a", 64)).getMessage())
        .isEqualTo("Invalid input for field 'user/a': must not be empty.");
    assertThat(badRequest(() -> user.nonBlankString("b", 64)).getMessage())
        .contains("'user/b'").contains("must not be empty");
  }

  @Test
  void nonBlankStringRejectsOverLongStrings() {
    JsonInput user = JsonInput.wrapped(json("{\"user\": {\"name\": \"abcdef\"}}"), "user");
    assertThat(badRequest(() -> user.nonBlankString("name", 5)).getMessage())
        .isEqualTo("Invalid input for field 'user/name': must be at most 5 characters long.");
    assertThat(user.nonBlankString("name", 6)).isEqualTo("abcdef");
  }

  @Test
  void nonBlankStringIsRequiredAndTyped() {
    JsonInput user = JsonInput.wrapped(json("{\"user\": {\"n\": 1}}"), "user");
    assertThat(badRequest(() -> user.nonBlankString("name", 5)).getMessage())
        .contains("this field is required");
    assertThat(badRequest(() -> user.nonBlankString("n", 5)).getMessage())
        .contains("expected a string");
  }

  @Test
  void invalidBuildsAFieldError() {
    JsonInput user = JsonInput.wrapped(json("{\"user\": {}}"), "user");
    ApiError error = user.invalid("password", "too short");
    assertThat(error.status()).isEqualTo(400);
    assertThat(error.getMessage()).isEqualTo("Invalid input for field 'user/password': too short.");
  }
}
