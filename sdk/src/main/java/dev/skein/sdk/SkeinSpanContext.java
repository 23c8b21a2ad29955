package dev.skein.sdk;

import dev.skein.propagation.Ids;
import dev.skein.propagation.LongIdSpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;

/**
 * The context of a span started here (contexts from requests are the propagators'), held as longs;
 * hex strings are made only when asked for.
 *
 * <p>The layout is kept to 48 bytes (three longs, an int and two references) because an unsampled
 * span is this object and nothing else.
 */
class SkeinSpanContext implements LongIdSpanContext {

  final long traceIdHigh;
  final long traceIdLow;
  final long spanId;

  /** The W3C trace flags. */
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
    return false;
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
