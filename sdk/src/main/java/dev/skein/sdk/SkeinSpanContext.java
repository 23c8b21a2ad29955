package dev.skein.sdk;

import dev.skein.propagation.Ids;
import dev.skein.propagation.LongIdSpanContext;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;

/**
 * A span context held as longs; hex strings are made only when asked for.
 *
 * <p>The layout is kept to 48 bytes (three longs, an int and two references) because an unsampled
 * span is this object and nothing else.
 */
class SkeinSpanContext implements LongIdSpanContext {

  /** Set in {@link #bits} above the 8 W3C flag bits for a context extracted from a request. */
  static final int REMOTE = 0x100;

  final long traceIdHigh;
  final long traceIdLow;
  final long spanId;

  /** The W3C trace flags in the low byte, {@link #REMOTE} above them. */
  final int bits;

  final TraceState traceState;

  /** Trace id hex, cached because log correlation asks for it once per line. */
  private String traceIdHex;

  SkeinSpanContext(
      long traceIdHigh, long traceIdLow, long spanId, int bits, TraceState traceState) {
    this.traceIdHigh = traceIdHigh;
    this.traceIdLow = traceIdLow;
    this.spanId = spanId;
    this.bits = bits;
    this.traceState = traceState;
  }

  /**
   * Builds a context from any {@link SpanContext}: ours as is, one with long ids (extracted by a
   * Skein propagator) without parsing, others (another propagator's) from their hex strings.
   */
  static SkeinSpanContext from(SpanContext context) {
    if (context instanceof SkeinSpanContext skein) {
      return skein;
    }
    int bits = context.getTraceFlags().asByte() & 0xFF;
    if (context.isRemote()) {
      bits |= REMOTE;
    }
    if (context instanceof LongIdSpanContext ids) {
      return new SkeinSpanContext(
          ids.traceIdHigh(), ids.traceIdLow(), ids.spanIdAsLong(), bits, context.getTraceState());
    }
    String traceId = context.getTraceId();
    return new SkeinSpanContext(
        Ids.parseHex(traceId, 0),
        Ids.parseHex(traceId, 16),
        Ids.parseHex(context.getSpanId(), 0),
        bits,
        context.getTraceState());
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
    String hex = traceIdHex;
    if (hex == null) {
      hex = Ids.traceIdHex(traceIdHigh, traceIdLow);
      traceIdHex = hex;
    }
    return hex;
  }

  @Override
  public String getSpanId() {
    return Ids.spanIdHex(spanId);
  }

  @Override
  public TraceFlags getTraceFlags() {
    return TraceFlags.fromByte((byte) bits);
  }

  @Override
  public boolean isSampled() {
    return (bits & 0x01) != 0;
  }

  @Override
  public TraceState getTraceState() {
    return traceState;
  }

  @Override
  public boolean isValid() {
    return (traceIdHigh != 0 || traceIdLow != 0) && spanId != 0;
  }

  @Override
  public boolean isRemote() {
    return (bits & REMOTE) != 0;
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
    return "SpanContext{traceId="
        + getTraceId()
        + ", spanId="
        + getSpanId()
        + ", flags="
        + getTraceFlags().asHex()
        + ", remote="
        + isRemote()
        + "}";
  }
}
