package dev.skein.propagation;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;

/**
 * The B3 and Jaeger debug flag ("force trace"), which a {@link SpanContext} has no bit for. It is
 * kept as a {@link Context} entry holding the span context it arrived with, and applies to every
 * span of that trace: a child span made under the extracted context is injected with debug too,
 * while a span of another trace that ends up in the same context is not.
 *
 * <p>A trace-state entry would also survive into child spans, but it would leak into {@code
 * tracestate} headers and count against their 32-member limit.
 */
final class DebugFlag {

  private static final ContextKey<SpanContext> KEY = ContextKey.named("skein-debug-trace");

  private DebugFlag() {}

  /** Marks the trace of {@code extracted} as debug in {@code context}. */
  static Context set(Context context, SpanContext extracted) {
    return context.with(KEY, extracted);
  }

  /** Whether {@code span}'s trace was marked debug when it was extracted into {@code context}. */
  static boolean isSet(Context context, SpanContext span) {
    SpanContext debug = context.get(KEY);
    if (debug == null) {
      return false;
    }
    if (debug instanceof LongIdSpanContext a && span instanceof LongIdSpanContext b) {
      return a.traceIdLow() == b.traceIdLow() && a.traceIdHigh() == b.traceIdHigh();
    }
    return debug.getTraceId().equals(span.getTraceId());
  }
}
