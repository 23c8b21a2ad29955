package dev.skein.server.query;

import com.linecorp.armeria.common.QueryParams;
import java.util.ArrayList;
import java.util.List;

/** The query parameters of one request; an empty value counts as absent, as in Jaeger. */
final class ParamReader {
  private final QueryParams params;

  ParamReader(QueryParams params) {
    this.params = params;
  }

  /** The first non-empty value of {@code name}, or null. */
  String get(String name) {
    for (String value : params.getAll(name)) {
      if (!value.isEmpty()) {
        return value;
      }
    }
    return null;
  }

  /** The value of a parameter that must be given. */
  String require(String name) {
    String value = get(name);
    if (value == null) {
      throw new BadParameterException(name, "required");
    }
    return value;
  }

  /** Every non-empty value of a repeatable parameter. */
  List<String> all(String name) {
    List<String> values = new ArrayList<>();
    for (String value : params.getAll(name)) {
      if (!value.isEmpty()) {
        values.add(value);
      }
    }
    return values;
  }

  /** A decimal integer parameter, or {@code fallback} when absent. */
  long getLong(String name, long fallback) {
    String value = get(name);
    return value == null ? fallback : Params.parseLong(name, value);
  }

  /** A non-negative decimal integer parameter, or {@code fallback} when absent. */
  long getNonNegativeLong(String name, long fallback) {
    String value = get(name);
    return value == null ? fallback : Params.parseNonNegativeLong(name, value);
  }

  /** A duration parameter ({@code 1.2s}, {@code 100ms}) in nanoseconds, or {@code fallback}. */
  long getDuration(String name, long fallback) {
    String value = get(name);
    return value == null ? fallback : Params.parseDuration(name, value);
  }
}
