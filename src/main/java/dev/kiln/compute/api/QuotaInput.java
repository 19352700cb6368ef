package dev.kiln.compute.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.compute.quotas.ComputeQuotas;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.Json;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What os-quota-sets and os-quota-class-sets share: which quotas a microversion shows and accepts,
 * reading a body of limits as Nova's JSON schema does, and writing a set of limits.
 */
final class QuotaInput {
  /** nova-network's quotas: gone from quota sets in 2.36 and from quota classes in 2.50. */
  static final List<String> NOVA_NETWORK = List.of("fixed_ips", "floating_ips", "security_group_rules", "security_groups");
  /** Personality files' quotas, gone from both in 2.57. */
  static final List<String> INJECTED_FILES =
      List.of("injected_file_content_bytes", "injected_file_path_bytes", "injected_files");

  private static final Pattern WHOLE_NUMBER = Pattern.compile("^-?[0-9]+$");
  private static final BigInteger MIN = BigInteger.valueOf(-1);
  private static final BigInteger MAX = BigInteger.valueOf(ComputeQuotas.MAX_LIMIT);

  private QuotaInput() {}

  /** The quotas os-quota-sets hides at the request's microversion (it refuses them in a PUT). */
  static Set<String> hiddenFromSets(ApiRequest request) {
    if (Nova.atLeast(request, 57)) {
      return union(NOVA_NETWORK, INJECTED_FILES);
    }
    return Nova.atLeast(request, 36) ? Set.copyOf(NOVA_NETWORK) : Set.of();
  }

  /** The quotas os-quota-class-sets refuses in a PUT at the request's microversion. */
  static Set<String> refusedByClasses(ApiRequest request) {
    if (Nova.atLeast(request, 57)) {
      return union(NOVA_NETWORK, INJECTED_FILES);
    }
    return Nova.atLeast(request, 50) ? Set.copyOf(NOVA_NETWORK) : Set.of();
  }

  /**
   * The limits in {@code body.<envelope>}, in the body's order, checked as Nova's schema checks
   * them: an object with only known quota names (and {@code extra}), each a whole number (or a
   * string of one) from -1 to {@link ComputeQuotas#MAX_LIMIT}.
   */
  static Map<String, Long> limits(JsonNode body, String envelope, Set<String> refused, Set<String> extra) {
    if (!body.isObject()) {
      throw ApiError.badRequest("SchemaValidationError", body + " is not of type 'object'");
    }
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!field.equals(envelope)) {
        throw ApiError.badRequest("SchemaValidationError", "Additional properties are not allowed ('" + field + "' was unexpected)");
      }
    }
    JsonNode set = body.get(envelope);
    if (set == null) {
      throw ApiError.badRequest("SchemaValidationError", "'" + envelope + "' is a required property");
    }
    if (!set.isObject()) {
      throw Nova.invalid(envelope, set, set + " is not of type 'object'");
    }
    Map<String, Long> limits = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = set.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      if (extra.contains(name)) {
        continue;
      }
      if (!ComputeQuotas.BUILT_IN_DEFAULTS.containsKey(name) || refused.contains(name)) {
        throw Nova.invalid(envelope, set, "Additional properties are not allowed ('" + name + "' was unexpected)");
      }
      limits.put(name, limit(envelope + "/" + name, field.getValue()));
    }
    return limits;
  }

  /** A set of limits as Nova shows it: {@code id} first if given, then the visible quotas. */
  static ObjectNode view(String id, Map<String, Long> limits, Set<String> hidden) {
    ObjectNode set = Json.object();
    if (id != null) {
      set.put("id", id);
    }
    limits.forEach(
        (resource, limit) -> {
          if (!hidden.contains(resource)) {
            set.put(resource, limit);
          }
        });
    return set;
  }

  private static long limit(String path, JsonNode value) {
    BigInteger number;
    if (value.isIntegralNumber()) {
      number = value.bigIntegerValue();
    } else if (value.isTextual()) {
      if (!WHOLE_NUMBER.matcher(value.textValue()).matches()) {
        throw Nova.invalid(path, value, "'" + value.textValue() + "' does not match '^-?[0-9]+$'");
      }
      number = new BigInteger(value.textValue());
    } else {
      throw Nova.invalid(path, value, value + " is not of type 'integer', 'string'");
    }
    if (number.compareTo(MIN) < 0) {
      throw Nova.invalid(path, value, number + " is less than the minimum of -1");
    }
    if (number.compareTo(MAX) > 0) {
      throw Nova.invalid(path, value, number + " is greater than the maximum of " + MAX);
    }
    return number.longValue();
  }

  private static Set<String> union(List<String> a, List<String> b) {
    return Set.copyOf(Stream.concat(a.stream(), b.stream()).toList());
  }
}
