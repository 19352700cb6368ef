package dev.kiln.http;

import io.helidon.common.parameters.Parameters;
import io.helidon.common.uri.UriPath;
import io.helidon.http.PathMatcher;
import io.helidon.http.PathMatchers;
import io.helidon.http.RoutedPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A route's path template ({@code /v2.0/ports/{port_id}}) matched piece by piece, with or without
 * a trailing slash (OpenStack clients add and drop it freely).
 *
 * <p>Why not Helidon's own matcher: it turns every template with a parameter into a regular
 * expression, compiled when the route is registered, and matches each request against those in
 * turn. Kiln's ~1,200 such routes, registered twice for the trailing slash, made ~2,400 patterns
 * at every start: compiling them, and the JIT compiling the regex compiler meanwhile, was CPU the
 * start's two cores were short of, and they stayed in the heap. A parameter here matches what
 * Helidon's would: one or more characters up to the next slash of the decoded path.
 *
 * <p>{@link #of} answers Helidon's matcher for the rest of Helidon's syntax ({@code *}, {@code
 * [...]}, a parameter with a pattern, or text right after a parameter), which Kiln's routes do not
 * use; those are then registered twice, with and without the slash, as before.
 */
final class TemplatePath implements PathMatcher {
  /** The name Helidon gives the parameters of a matched path. */
  private static final String COMPONENT = "http/path";

  private final String template;
  /** The text before each parameter, and after the last one (without a trailing slash). */
  private final String[] literals;
  private final String[] names;
  /** Helidon's matcher, made only if something asks for a prefix match (routes do not). */
  private PathMatcher prefixes;

  private TemplatePath(String template, String[] literals, String[] names) {
    this.template = template;
    this.literals = literals;
    this.names = names;
  }

  /** The matcher for {@code template}, or empty when it uses syntax only Helidon's matcher knows. */
  static Optional<PathMatcher> of(String template) {
    if (template.equals("/") || template.contains("*") || template.contains("[") || template.contains("\\")) {
      return Optional.empty(); // the root has no form without its slash
    }
    String base = template.length() > 1 && template.endsWith("/") ? template.substring(0, template.length() - 1) : template;
    List<String> literals = new ArrayList<>();
    List<String> names = new ArrayList<>();
    int at = 0;
    while (true) {
      int open = base.indexOf('{', at);
      if (open < 0) {
        literals.add(base.substring(at));
        break;
      }
      int close = base.indexOf('}', open);
      if (close < 0) {
        return Optional.empty();
      }
      String name = base.substring(open + 1, close);
      boolean followedBySlashOrEnd = close + 1 == base.length() || base.charAt(close + 1) == '/';
      if (name.isEmpty() || name.contains(":") || name.contains("/") || name.contains("{") || !followedBySlashOrEnd) {
        return Optional.empty();
      }
      literals.add(base.substring(at, open));
      names.add(name);
      at = close + 1;
    }
    return Optional.of(new TemplatePath(template, literals.toArray(String[]::new), names.toArray(String[]::new)));
  }

  @Override
  public PathMatchers.MatchResult match(UriPath uriPath) {
    String path = uriPath.path();
    String[] values = names.length == 0 ? null : new String[names.length];
    int at = 0;
    for (int i = 0; i < names.length; i++) {
      if (!path.startsWith(literals[i], at)) {
        return PathMatchers.MatchResult.notAccepted();
      }
      at += literals[i].length();
      int end = path.indexOf('/', at);
      if (end < 0) {
        end = path.length();
      }
      if (end == at) {
        return PathMatchers.MatchResult.notAccepted();
      }
      values[i] = path.substring(at, end);
      at = end;
    }
    String last = literals[names.length];
    if (!path.startsWith(last, at)) {
      return PathMatchers.MatchResult.notAccepted();
    }
    at += last.length();
    boolean whole = at == path.length() || (at == path.length() - 1 && path.charAt(at) == '/');
    if (!whole) {
      return PathMatchers.MatchResult.notAccepted();
    }
    return new PathMatchers.MatchResult(true, new Matched(uriPath, parameters(values)));
  }

  private Parameters parameters(String[] values) {
    if (values == null) {
      return Parameters.empty(COMPONENT);
    }
    Map<String, String> byName = new HashMap<>(names.length * 2);
    for (int i = 0; i < names.length; i++) {
      byName.put(names[i], values[i]);
    }
    return Parameters.createSingleValueMap(COMPONENT, byName);
  }

  @Override
  public PathMatchers.PrefixMatchResult prefixMatch(UriPath path) {
    PathMatcher helidons = prefixes;
    if (helidons == null) {
      helidons = PathMatchers.create(template);
      prefixes = helidons;
    }
    return helidons.prefixMatch(path);
  }

  @Override
  public Optional<String> matchingElement() {
    return Optional.of(template);
  }

  @Override
  public String toString() {
    return template;
  }

  /** A request's path as this template matched it, with the parameters it found. */
  private record Matched(UriPath request, Parameters pathParameters) implements RoutedPath {
    @Override
    public String rawPath() {
      return request.rawPath();
    }

    @Override
    public String rawPathNoParams() {
      return request.rawPathNoParams();
    }

    @Override
    public String path() {
      return request.path();
    }

    @Override
    public Parameters matrixParameters() {
      return request.matrixParameters();
    }

    @Override
    public void validate() {
      request.validate();
    }

    @Override
    public RoutedPath absolute() {
      return new Matched(request.absolute(), pathParameters);
    }

    @Override
    public String toString() {
      return request.toString();
    }
  }
}
