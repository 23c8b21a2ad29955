package dev.skein.propagation;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;

/**
 * A span context extracted from a request: always remote, always valid (propagators return none
 * when the ids are invalid), ids kept as longs with hex made only on demand.
 */
public final class RemoteSpanContext implements LongIdSpanContext {

  private final long traceIdHigh;
  private final long traceIdLow;
  private final long spanId;
  private final byte flags;
  private final TraceState traceState;

  private RemoteSpanContext(
      long traceIdHigh, long traceIdLow, long spanId, byte flags, TraceState traceState) {
    this.traceIdHigh = traceIdHigh;
    this.traceIdLow = traceIdLow;
    this.spanId = spanId;
    this.flags = flags;
    this.traceState = traceState;
  }

  /**
   * @throws IllegalArgumentException when the trace id or span id is all zeros
   */
  public static RemoteSpanContext create(
      long traceIdHigh, long traceIdLow, long spanId, byte flags, TraceState traceState) {
    if ((traceIdHigh == 0 && traceIdLow == 0) || spanId == 0) {
      throw new IllegalArgumentException("trace id and span id must not be all zeros");
    }
    return new RemoteSpanContext(
        traceIdHigh,
        traceIdLow,
        spanId,
        flags,
        traceState == null ? TraceState.getDefault() : traceState);
  }

  /**
   * Puts {@code span} in {@code context} as the remote parent, unless the context already holds the
   * same remote span: propagators run in order, and when an upstream sent the same span in two
   * formats (W3C and B3, say) the one read first may carry more (tracestate, the random flag).
   */
  static Context withRemoteParent(Context context, RemoteSpanContext span) {
    SpanContext existing = Span.fromContext(context).getSpanContext();
    boolean same =
        existing.isValid()
            && existing.isRemote()
            && (existing instanceof LongIdSpanContext ids
                ? ids.traceIdHigh() == span.traceIdHigh
                    && ids.traceIdLow() == span.traceIdLow
                    && ids.spanIdAsLong() == span.spanId
                : existing.getTraceId().equals(span.getTraceId())
                    && existing.getSpanId().equals(span.getSpanId()));
    return same ? context : context.with(Span.wrap(span));
  }

  @Override
  public long traceIdHigh() {
    return traceIdHigh;
  }

  @Override
  public long traceIdLow() {
    return traceIdLow;
  }

  @Override
  public long spanIdAsLong() {
    return spanId;
  }

  @Override
  public String getTraceId() {
    return Ids.traceIdHex(traceIdHigh, traceIdLow);
  }

  @Override
  public String getSpanId() {
    return Ids.spanIdHex(spanId);
  }

  @Override
  public TraceFlags getTraceFlags() {
    return TraceFlags.fromByte(flags);
  }

  @Override
  public boolean isSampled() {
    return (flags & 0x01) != 0;
  }

  @Override
  public TraceState getTraceState() {
    return traceState;
  }

  @Override
  public boolean isValid() {
    return true;
  }

  @Override
  public boolean isRemote() {
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return LongIdSpanContext.valueEquals(this, o);
  }

  @Override
  public int hashCode() {
    return LongIdSpanContext.valueHashCode(this);
  }

  @Override
  public String toString() {
    return describe(this);
  }

  /** How every remote context prints, whichever form it is kept in. */
  static String describe(SpanContext context) {
    return "RemoteSpanContext{traceId="
        + context.getTraceId()
        + ", spanId="
        + context.getSpanId()
        + ", flags="
        + context.getTraceFlags().asHex()
        + ", traceState="
        + context.getTraceState()
        + "}";
  }
}
