package dev.skein.server.query;

import dev.skein.storage.Attribute;
import dev.skein.storage.Span;
import dev.skein.storage.TraceId;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Hand-built spans for the query tests. */
final class TestSpans {
  private TestSpans() {}

  static TraceId traceId(long low) {
    return new TraceId(0x0af7651916cd43ddL, low);
  }

  /** A span starting {@code minutesAgo} minutes before {@link QueryServer#NOW}. */
  static Span.Builder span(TraceId traceId, long spanId, String service, String name) {
    return Span.builder()
        .traceId(traceId)
        .spanId(spanId)
        .service(service)
        .name(name)
        .kind(Span.Kind.SERVER)
        .startEpochNanos(QueryServer.NOW_NANOS - 60_000_000_000L)
        .durationNanos(5_000_000L)
        .flags(1);
  }

  static Span.Builder at(Span.Builder builder, long minutesAgo) {
    return builder.startEpochNanos(QueryServer.NOW_NANOS - minutesAgo * 60_000_000_000L);
  }

  static Attribute attr(String key, Object value) {
    return new Attribute(key, value);
  }

  static String enc(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  /** Epoch microseconds of {@code minutesAgo} minutes before now. */
  static long micros(long minutesAgo) {
    return (QueryServer.NOW_NANOS - minutesAgo * 60_000_000_000L) / 1000;
  }
}
