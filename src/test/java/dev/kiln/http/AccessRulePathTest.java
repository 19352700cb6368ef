package dev.kiln.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Access rule path templates match as keystonemiddleware matches them. */
class AccessRulePathTest {
  @Test
  void literalTemplateMatchesOnlyItsOwnPath() {
    assertThat(AccessRulePath.matches("/v2.1/servers", "/v2.1/servers")).isTrue();
    assertThat(AccessRulePath.matches("/v2.1/servers", "/v2.1/servers/")).isFalse();
    assertThat(AccessRulePath.matches("/v2.1/servers", "/v2.1/servers/detail")).isFalse();
    assertThat(AccessRulePath.matches("/v2.1/servers", "/v2.1/server")).isFalse();
    assertThat(AccessRulePath.matches("/v2.1/servers", "/x/v2.1/servers")).isFalse();
  }

  @Test
  void starAndNamedPartStandForOneSegment() {
    for (String template : new String[] {"/v2.1/servers/*/ips", "/v2.1/servers/{server_id}/ips"}) {
      assertThat(AccessRulePath.matches(template, "/v2.1/servers/abc-123/ips")).as(template).isTrue();
      assertThat(AccessRulePath.matches(template, "/v2.1/servers//ips")).as(template).isFalse();
      assertThat(AccessRulePath.matches(template, "/v2.1/servers/a/b/ips")).as(template).isFalse();
      assertThat(AccessRulePath.matches(template, "/v2.1/servers/abc/ips/x")).as(template).isFalse();
    }
    // Inside a segment too: "ser*" is "ser" and at least one more character.
    assertThat(AccessRulePath.matches("/v2.1/ser*", "/v2.1/servers")).isTrue();
    assertThat(AccessRulePath.matches("/v2.1/ser*", "/v2.1/ser")).isFalse();
  }

  @Test
  void doubleStarStandsForAnythingEvenNothing() {
    assertThat(AccessRulePath.matches("/v2.1/**", "/v2.1/servers/a/ips")).isTrue();
    assertThat(AccessRulePath.matches("/v2.1/**", "/v2.1/")).isTrue();
    assertThat(AccessRulePath.matches("/v2.1/**", "/v2.1")).isFalse();
    assertThat(AccessRulePath.matches("/v3/**/volumes", "/v3/p1/volumes")).isTrue();
    assertThat(AccessRulePath.matches("/v3/**/volumes", "/v3//volumes")).isTrue();
    assertThat(AccessRulePath.matches("/v3/**/volumes", "/v3/p1/volumes/v1")).isFalse();
    // "***" is "**" then "*".
    assertThat(AccessRulePath.matches("/a/***", "/a/x/y")).isTrue();
    assertThat(AccessRulePath.matches("/a/***", "/a/")).isFalse();
  }

  @Test
  void unclosedBracesStandForNothing() {
    assertThat(AccessRulePath.matches("/a{b", "/ab")).isTrue();
    assertThat(AccessRulePath.matches("/a}b", "/ab")).isTrue();
    assertThat(AccessRulePath.matches("/{a{b}/c", "/x/c")).isTrue();
  }

  /** The same answers as keystonemiddleware's regular expression, over many templates and paths. */
  @Test
  void agreesWithTheRegularExpressionKeystonemiddlewareBuilds() {
    String[] templates = {
      "/v2.1/servers", "/v2.1/*", "/v2.1/**", "/**", "*", "**", "/a/*/b/**", "/a/**/b/*", "/{x}/{y}",
      "/a*b/**c", "/***", "/a/{b/c", "/v3/*/volumes/{id}/action", ""
    };
    String[] paths = {
      "", "/", "/a", "/a/b", "/a/x/b/y", "/a/x/y/b/z", "/v2.1/servers", "/v2.1/servers/1", "/v2.1/",
      "/ab/c", "/axb/yc", "/a/c", "/v3/p/volumes/v/action", "/v3/p/volumes//action", "/x/y"
    };
    for (String template : templates) {
      Pattern regex = keystonemiddlewareRegex(template);
      for (String path : paths) {
        assertThat(AccessRulePath.matches(template, path))
            .as("template %s, path %s", template, path)
            .isEqualTo(regex.matcher(path).matches());
      }
    }
  }

  /** The reference: keystonemiddleware's translation of a template into a regular expression. */
  private static Pattern keystonemiddlewareRegex(String template) {
    java.util.regex.Matcher tokens =
        Pattern.compile("(?<tag>\\{[^}]*\\})|(?<wild>\\*(?=$|[^*]))|(?<recwild>\\*\\*)|(?<literal>[^{}*])")
            .matcher(template);
    StringBuilder regex = new StringBuilder();
    while (tokens.find()) {
      if (tokens.group("tag") != null || tokens.group("wild") != null) {
        regex.append("[^/]+");
      } else if (tokens.group("recwild") != null) {
        regex.append(".*");
      } else {
        regex.append(Pattern.quote(tokens.group("literal")));
      }
    }
    return Pattern.compile(regex.toString());
  }
}
