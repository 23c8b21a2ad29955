package dev.skein.storage;

import java.util.Map;
import java.util.Objects;

/**
 * What a trace search asks for. A trace matches when one of its spans satisfies every given
 * condition at once: service, operation, each tag (AND), duration range and start-time window.
 * Matching traces come newest first (by that span's start), at most {@code limit}.
 *
 * @param service the span's service, or null for any
 * @param operation the span's name, or null for any
 * @param tags key to value; a value matches the text form of a span or resource attribute; a null
 *     value only asks that the key be present
 * @param startFromNanos earliest span start, inclusive (epoch nanoseconds)
 * @param startToNanos latest span start, inclusive
 * @param minDurationNanos shortest duration, inclusive (0 for no bound)
 * @param maxDurationNanos longest duration, inclusive ({@code Long.MAX_VALUE} for no bound)
 * @param limit the most trace ids to return, at least 1
 */
public record TraceQuery(
    String service,
    String operation,
    Map<String, String> tags,
    long startFromNanos,
    long startToNanos,
    long minDurationNanos,
    long maxDurationNanos,
    int limit) {

  public TraceQuery {
    tags =
        tags == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tags));
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    if (startFromNanos > startToNanos) {
      throw new IllegalArgumentException("start of the time window is after its end");
    }
    if (minDurationNanos > maxDurationNanos) {
      throw new IllegalArgumentException("minimum duration is above the maximum");
    }
  }

  /** A query for everything in the window, newest first. */
  public static TraceQuery window(long startFromNanos, long startToNanos, int limit) {
    return new TraceQuery(
        null, null, Map.of(), startFromNanos, startToNanos, 0, Long.MAX_VALUE, limit);
  }

  /** True if this one span satisfies every condition. */
  public boolean matches(Span span) {
    if (span.startEpochNanos() < startFromNanos || span.startEpochNanos() > startToNanos) {
      return false;
    }
    if (span.durationNanos() < minDurationNanos || span.durationNanos() > maxDurationNanos) {
      return false;
    }
    if (service != null && !service.equals(span.service())) {
      return false;
    }
    if (operation != null && !operation.equals(span.name())) {
      return false;
    }
    for (Map.Entry<String, String> tag : tags.entrySet()) {
      if (!hasTag(span, tag.getKey(), tag.getValue())) {
        return false;
      }
    }
    return true;
  }

  private static boolean hasTag(Span span, String key, String value) {
    for (Attribute attribute : span.attributes()) {
      if (attribute.key().equals(key)
          && (value == null || value.equals(attribute.valueAsString()))) {
        return true;
      }
    }
    for (Attribute attribute : span.resource()) {
      if (attribute.key().equals(key)
          && (value == null || value.equals(attribute.valueAsString()))) {
        return true;
      }
    }
    return value == null
        ? false
        : Objects.equals(key, Span.SERVICE_NAME) && value.equals(span.service());
  }
}
