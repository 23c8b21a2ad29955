package dev.skein.propagation;

import io.opentelemetry.api.trace.SpanContext;

/**
 * A {@link SpanContext} that holds its ids as longs. Propagators write such a context's ids as hex
 * straight from the longs, and the tracer reads an extracted one without parsing hex strings, so
 * ids cross a process boundary without a string being made on either side.
 */
public interface LongIdSpanContext extends SpanContext {

  /** The high 8 bytes of the 16-byte trace id. */
  long traceIdHigh();

  /** The low 8 bytes of the 16-byte trace id. */
  long traceIdLow();

  long spanIdAsLong();

  /**
   * Value equality for span contexts, shared by the implementations so that ours and the
   * OpenTelemetry API's compare alike: ids, flags, remoteness and trace state.
   */
  static boolean valueEquals(LongIdSpanContext context, Object o) {
    if (context == o) {
      return true;
    }
    if (!(o instanceof SpanContext other)) {
      return false;
    }
    boolean sameIds =
        other instanceof LongIdSpanContext ids
            ? ids.traceIdHigh() == context.traceIdHigh()
                && ids.traceIdLow() == context.traceIdLow()
                && ids.spanIdAsLong() == context.spanIdAsLong()
            : context.getTraceId().equals(other.getTraceId())
                && context.getSpanId().equals(other.getSpanId());
    return sameIds
        && context.getTraceFlags().equals(other.getTraceFlags())
        && context.isRemote() == other.isRemote()
        && context.getTraceState().equals(other.getTraceState());
  }

  /** A hash code consistent with {@link #valueEquals} among contexts with long ids. */
  static int valueHashCode(LongIdSpanContext context) {
    return Long.hashCode(context.traceIdHigh() ^ context.traceIdLow()) * 31
        + Long.hashCode(context.spanIdAsLong());
  }
}
