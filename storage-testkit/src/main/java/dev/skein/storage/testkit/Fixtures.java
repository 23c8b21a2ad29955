package dev.skein.storage.testkit;

import dev.skein.storage.Attribute;
import dev.skein.storage.LatencyHistogram;
import dev.skein.storage.Span;
import dev.skein.storage.SpanEvent;
import dev.skein.storage.SpanLink;
import dev.skein.storage.SpanMetric;
import dev.skein.storage.TraceId;
import java.util.List;

/** Times, ids and spans the contract's tests are made of. */
final class Fixtures {
  static final long MILLI = 1_000_000L;
  static final long SECOND = 1_000 * MILLI;
  static final long DAY = 86_400 * SECOND;
  static final long MINUTE_MILLIS = 60_000L;

  /** 2026-03-01T12:00:00Z: a fixed time, so every run stores the same thing. */
  static final long T0 = 1_772_366_400_000_000_000L;

  static final long T0_MILLIS = T0 / MILLI;

  private Fixtures() {}

  /** A trace id that looks random (stores must not rely on ids arriving in order). */
  static TraceId traceId(long n) {
    return new TraceId(mix(n), mix(n ^ 0x5DEECE66DL) | 1);
  }

  static long mix(long z) {
    z = (z + 0x9E3779B97F4A7C15L) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A server span of 1 ms with the given ids, service, name and start. */
  static Span.Builder span(TraceId traceId, long spanId, String service, String name, long start) {
    return Span.builder()
        .traceId(traceId)
        .spanId(spanId)
        .service(service)
        .name(name)
        .kind(Span.Kind.SERVER)
        .startEpochNanos(start)
        .durationNanos(MILLI);
  }

  /** A span with every field set, attribute values of every type among them. */
  static Span everyFieldSpan(TraceId traceId, long spanId) {
    return Span.builder()
        .traceId(traceId)
        .spanId(spanId)
        .parentSpanId(0x7a3e_5c1d_09b2_44f1L)
        .service("checkout")
        .name("POST /cart/{id}")
        .kind(Span.Kind.SERVER)
        .startEpochNanos(T0 + 123_456_789)
        .durationNanos(12_345_678)
        .status(Span.Status.ERROR, "payment declined")
        .addAttribute("http.method", "POST")
        .addAttribute("http.status_code", 502L)
        .addAttribute("retry", true)
        .addAttribute("cached", false)
        .addAttribute("ratio", 0.25)
        .addAttribute("negative", -7L)
        .addAttribute("big", Long.MAX_VALUE)
        .addAttribute("tags", List.of("a", "b \"quoted\""))
        .addAttribute("codes", List.of(1L, -2L))
        .addAttribute("weights", List.of(1.5, -0.0))
        .addAttribute("answers", List.of(true, false))
        .addAttribute("mixed", List.of("x", 1L, 2.5, true))
        .addAttribute("nothing", List.of())
        .addAttribute("unicode", "naïve ✓ 日本")
        .addAttribute("empty", "")
        .addAttribute("http.method", "POST again")
        .addResourceAttribute(Attribute.of("host.name", "web-1"))
        .addResourceAttribute(Attribute.of("service.version", "1.4.2"))
        .addResourceAttribute(Attribute.of("process.pid", 4242L))
        .scope("io.opentelemetry.servlet", "2.1.0")
        .addEvent(new SpanEvent(T0 + 123_456_789 + 5, "retry", List.of()))
        .addEvent(
            new SpanEvent(
                T0,
                "exception",
                List.of(
                    Attribute.of("exception.type", "java.io.IOException"),
                    Attribute.of("exception.escaped", true))))
        .addLink(
            new SpanLink(
                new TraceId(0, 99), 0x77L, "vendor=x", List.of(Attribute.of("reason", "batch"))))
        .addLink(new SpanLink(traceId, 8, "", List.of()))
        .traceState("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE")
        .flags(0x301)
        .build();
  }

  /** A metric with one span counted in {@code bucket}. */
  static SpanMetric metric(
      long minute,
      String service,
      String operation,
      long count,
      long errors,
      long durationSum,
      int bucket) {
    long[] buckets = new long[LatencyHistogram.BUCKETS];
    buckets[bucket] = 1;
    return new SpanMetric(
        minute, service, operation, Span.Kind.SERVER, count, errors, durationSum, buckets);
  }
}
