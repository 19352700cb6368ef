package dev.kiln.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.helidon.common.uri.UriQuery;
import io.helidon.webserver.http.ServerRequest;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** limit/marker pagination: slicing, the next marker, the next link, and bad parameters. */
class PageRequestTest {
  private static final List<String> ITEMS = List.of("a", "b", "c", "d", "e");
  private static final Function<String, String> ID = Function.identity();

  private static PageRequest.Page<String> page(Integer limit, String marker) {
    return new PageRequest(limit, marker).apply(ITEMS, ID);
  }

  /**
   * An {@link ApiRequest} over a hand-written {@link ServerRequest} stand-in that answers only
   * {@code query()}; any other call fails the test.
   */
  private static ApiRequest requestWithQuery(String rawQuery) {
    UriQuery query = UriQuery.create(rawQuery);
    ServerRequest server =
        (ServerRequest)
            Proxy.newProxyInstance(
                ServerRequest.class.getClassLoader(),
                new Class<?>[] {ServerRequest.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("query") && method.getParameterCount() == 0) {
                    return query;
                  }
                  throw new UnsupportedOperationException(method.toString());
                });
    return new ApiRequest(server, null, "http://127.0.0.1:5000", ApiVersion.NONE, FaultStyle.NOVA);
  }

  @Test
  void noLimitAndNoMarkerIsEverything() {
    PageRequest.Page<String> page = page(null, null);
    assertThat(page.items()).containsExactlyElementsOf(ITEMS);
    assertThat(page.nextMarker()).isNull();
  }

  @Test
  void limitCutsTheFirstPage() {
    PageRequest.Page<String> page = page(2, null);
    assertThat(page.items()).containsExactly("a", "b");
    assertThat(page.nextMarker()).isEqualTo("b");
    assertThat(page.limit()).isEqualTo(2);
  }

  @Test
  void pageStartsAfterTheMarker() {
    PageRequest.Page<String> page = page(2, "b");
    assertThat(page.items()).containsExactly("c", "d");
    assertThat(page.nextMarker()).isEqualTo("d");
  }

  @Test
  void noLimitMeansEverythingAfterTheMarker() {
    PageRequest.Page<String> page = page(null, "b");
    assertThat(page.items()).containsExactly("c", "d", "e");
    assertThat(page.nextMarker()).isNull();
  }

  @Test
  void lastPartialPageHasNoNextMarker() {
    PageRequest.Page<String> page = page(2, "d");
    assertThat(page.items()).containsExactly("e");
    assertThat(page.nextMarker()).isNull();
  }

  @Test
  void fullPageWithNothingAfterItHasNoNextMarker() {
    PageRequest.Page<String> page = page(2, "c");
    assertThat(page.items()).containsExactly("d", "e");
    assertThat(page.nextMarker()).isNull();
  }

  @Test
  void limitExactlyTheSizeHasNoNextMarker() {
    assertThat(page(5, null).nextMarker()).isNull();
    assertThat(page(6, null).items()).hasSize(5);
  }

  @Test
  void markerOnTheLastItemIsAnEmptyPage() {
    PageRequest.Page<String> page = page(2, "e");
    assertThat(page.items()).isEmpty();
    assertThat(page.nextMarker()).isNull();
  }

  @Test
  void limitZeroIsAnEmptyPageWithoutNext() {
    PageRequest.Page<String> page = page(0, null);
    assertThat(page.items()).isEmpty();
    assertThat(page.nextMarker()).isNull();
  }

  @Test
  void markerIsMatchedThroughTheIdFunction() {
    record Item(String id) {}
    List<Item> items = List.of(new Item("x1"), new Item("x2"), new Item("x3"));
    PageRequest.Page<Item> page = new PageRequest(1, "x1").apply(items, Item::id);
    assertThat(page.items()).containsExactly(new Item("x2"));
    assertThat(page.nextMarker()).isEqualTo("x2");
  }

  @Test
  void unknownMarkerIs400() {
    ApiError error = catchThrowableOfType(ApiError.class, () -> page(2, "zzz"));
    assertThat(error.status()).isEqualTo(400);
    assertThat(error.type()).isEqualTo("MarkerNotFound");
    assertThat(error.getMessage()).contains("zzz");
  }

  @Test
  void pageItemsAreACopy() {
    java.util.ArrayList<String> source = new java.util.ArrayList<>(ITEMS);
    PageRequest.Page<String> page = new PageRequest(2, null).apply(source, ID);
    source.set(0, "changed");
    assertThat(page.items()).containsExactly("a", "b");
  }

  @Test
  void linksHaveANextHrefWithLimitAndEncodedMarker() {
    List<String> ids = List.of("a b/c&d", "zz", "yy");
    PageRequest.Page<String> page = new PageRequest(1, null).apply(ids, ID);
    ArrayNode links = page.links("http://127.0.0.1:5000/v2.0/networks");
    assertThat(links).hasSize(1);
    assertThat(links.get(0).get("rel").asText()).isEqualTo("next");
    assertThat(links.get(0).get("href").asText())
        .isEqualTo("http://127.0.0.1:5000/v2.0/networks?limit=1&marker=a+b%2Fc%26d");
  }

  @Test
  void linksAreEmptyOnTheLastPage() {
    assertThat(page(null, null).links("http://x/things")).isEmpty();
    assertThat(page(10, null).links("http://x/things")).isEmpty();
  }

  @Test
  void fromReadsLimitAndMarker() {
    PageRequest request = PageRequest.from(requestWithQuery("limit=3&marker=abc"));
    assertThat(request).isEqualTo(new PageRequest(3, "abc"));
  }

  @Test
  void fromWithoutParametersIsUnlimitedFirstPage() {
    assertThat(PageRequest.from(requestWithQuery(""))).isEqualTo(new PageRequest(null, null));
  }

  @Test
  void fromAcceptsLimitZero() {
    assertThat(PageRequest.from(requestWithQuery("limit=0")).limit()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "abc", "1.5", "", "99999999999"})
  void fromRefusesALimitThatIsNotAWholeNumber(String limit) {
    ApiError error =
        catchThrowableOfType(
            ApiError.class, () -> PageRequest.from(requestWithQuery("limit=" + limit)));
    assertThat(error.status()).isEqualTo(400);
    assertThat(error.getMessage()).contains("'limit'").contains("'" + limit + "'");
  }

  @Test
  void hugeLimitAfterAMarkerIsEverythingAfterIt() {
    PageRequest.Page<String> page = page(Integer.MAX_VALUE, "b");
    assertThat(page.items()).containsExactly("c", "d", "e");
    assertThat(page.nextMarker()).isNull();
  }
}
