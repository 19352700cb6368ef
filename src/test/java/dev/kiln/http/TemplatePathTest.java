package dev.kiln.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.common.uri.UriPath;
import io.helidon.http.PathMatcher;
import io.helidon.http.PathMatchers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplatePathTest {
  private static final List<String> TEMPLATES =
      List.of(
          "/v2.0/ports",
          "/v2.0/ports/",
          "/v2.0/ports/{port_id}",
          "/v2.0/ports/{port_id}/bindings/{host}/activate",
          "/v3/{project_id}/volumes/{volume_id}/action",
          "/v1/{tenant_id}/stacks/{stack_name}/{stack_id}/resources");

  private static final List<String> PATHS =
      List.of(
          "", "/", "//", "/v2.0/ports", "/v2.0/ports/", "/v2.0/ports//", "/v2.0/portsx", "/v2.0/ports/p1",
          "/v2.0/ports/p1/", "/v2.0/ports/p1/x", "/v2.0/ports/p1/bindings/h1/activate",
          "/v2.0/ports/p1/bindings//activate", "/v2.0/ports/p1/bindings/h1/activate/",
          "/v3/p/volumes/v/action", "/v3/p/volumes/v/action/", "/v3//volumes/v/action",
          "/v1/t/stacks/s/i/resources", "/v1/t/stacks/s/i/resources/", "/v1/t/stacks/s/resources",
          "/v2.0/ports/a%20b", "/v2.0/ports/a%2Fb", "/v2.0/ports/%C3%A9");

  @Test
  void acceptsWhatHelidonsMatchersOfBothFormsAccept() {
    for (String template : TEMPLATES) {
      PathMatcher ours = TemplatePath.of(template).orElseThrow();
      PathMatcher helidons = PathMatchers.create(template);
      String other = template.endsWith("/") ? template.substring(0, template.length() - 1) : template + "/";
      PathMatcher helidonsOther = other.isEmpty() ? helidons : PathMatchers.create(other);
      for (String path : PATHS) {
        UriPath uri = UriPath.create(path);
        PathMatchers.MatchResult expected = helidons.match(uri).accepted() ? helidons.match(uri) : helidonsOther.match(uri);
        PathMatchers.MatchResult actual = ours.match(uri);
        assertThat(actual.accepted()).as("%s against %s", path, template).isEqualTo(expected.accepted());
        if (expected.accepted()) {
          assertThat(actual.path().pathParameters().toMap())
              .as("parameters of %s against %s", path, template)
              .isEqualTo(expected.path().pathParameters().toMap());
        }
      }
    }
  }

  @Test
  void givesTheParametersOfAMatchedPath() {
    PathMatcher matcher = TemplatePath.of("/v2.0/ports/{port_id}/bindings/{host}").orElseThrow();

    PathMatchers.MatchResult result = matcher.match(UriPath.create("/v2.0/ports/p-1/bindings/compute-2/"));

    assertThat(result.accepted()).isTrue();
    assertThat(result.path().pathParameters().toMap())
        .isEqualTo(Map.of("port_id", List.of("p-1"), "host", List.of("compute-2")));
    assertThat(result.path().path()).isEqualTo("/v2.0/ports/p-1/bindings/compute-2/");
    assertThat(matcher.matchingElement()).contains("/v2.0/ports/{port_id}/bindings/{host}");
  }

  @Test
  void leavesSyntaxItDoesNotKnowToHelidon() {
    assertThat(TemplatePath.of("/")).isEmpty();
    assertThat(TemplatePath.of("/files/*")).isEmpty();
    assertThat(TemplatePath.of("/a[/b]")).isEmpty();
    assertThat(TemplatePath.of("/a/{id:\\d+}")).isEmpty();
    assertThat(TemplatePath.of("/a/{id}.json")).isEmpty();
    assertThat(TemplatePath.of("/a/{id")).isEmpty();
  }
}
