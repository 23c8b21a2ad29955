package dev.skein.propagation;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import java.util.concurrent.TimeUnit;

/**
 * A remote span context that is the {@code traceparent} header it came in: 24 bytes where a {@link
 * RemoteSpanContext} takes 48, and when it is passed on unchanged the very same string is sent.
 * Used only for a header already in the form we write (version 00, no surrounding whitespace, no
 * unknown flags), which {@link TraceparentFormat#parse} has validated; ids are read from it when
 * asked, which the tracer does once per child span.
 *
 * <p>It is also the non-recording {@link Span} that holds it in the {@link
 * io.opentelemetry.context.Context}, as {@link Span#wrap} would make: one object per request
 * instead of two. As a span it does nothing, like any wrapped context; its equality is the span
 * context's.
 */
final class HeaderSpanContext implements LongIdSpanContext, Span {

  private final String traceparent;
  private final TraceState traceState;

  HeaderSpanContext(String traceparent, TraceState traceState) {
    this.traceparent = traceparent;
    this.traceState = traceState == null ? TraceState.getDefault() : traceState;
  }

  /** The header, which is exactly what inject would write for this context. */
  String traceparent() {
    return traceparent;
  }

  @Override
  public long traceIdHigh() {
    return TraceparentFormat.readHex(traceparent, TraceparentFormat.TRACE_ID_OFFSET);
  }

  @Override
  public long traceIdLow() {
    return TraceparentFormat.readHex(traceparent, TraceparentFormat.TRACE_ID_OFFSET + 16);
  }

  @Override
  public long spanIdAsLong() {
    return TraceparentFormat.readHex(traceparent, TraceparentFormat.SPAN_ID_OFFSET);
  }

  @Override
  public String getTraceId() {
    return traceparent.substring(
        TraceparentFormat.TRACE_ID_OFFSET, TraceparentFormat.TRACE_ID_OFFSET + 32);
  }

  @Override
  public String getSpanId() {
    return traceparent.substring(
        TraceparentFormat.SPAN_ID_OFFSET, TraceparentFormat.SPAN_ID_OFFSET + 16);
  }

  @Override
  public TraceFlags getTraceFlags() {
    return TraceFlags.fromByte(flags());
  }

  @Override
  public boolean isSampled() {
    return (flags() & 0x01) != 0;
  }

  private byte flags() {
    // Only 00 to 03 get here: the first digit is 0.
    return (byte) (traceparent.charAt(TraceparentFormat.FLAGS_OFFSET + 1) - '0');
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
  public SpanContext getSpanContext() {
    return this;
  }

  @Override
  public boolean isRecording() {
    return false;
  }

  @Override
  public <T> Span setAttribute(AttributeKey<T> key, T value) {
    return this;
  }

  @Override
  public Span addEvent(String name, Attributes attributes) {
    return this;
  }

  @Override
  public Span addEvent(String name, Attributes attributes, long timestamp, TimeUnit unit) {
    return this;
  }

  @Override
  public Span setStatus(StatusCode statusCode, String description) {
    return this;
  }

  @Override
  public Span recordException(Throwable exception, Attributes additionalAttributes) {
    return this;
  }

  @Override
  public Span updateName(String name) {
    return this;
  }

  @Override
  public void end() {}

  @Override
  public void end(long timestamp, TimeUnit unit) {}

  /** As {@link RemoteSpanContext#equals}, so the two representations compare equal. */
  @Override
  public boolean equals(Object o) {
    return LongIdSpanContext.valueEquals(this, o);
  }

  /** As {@link RemoteSpanContext#hashCode}. */
  @Override
  public int hashCode() {
    return LongIdSpanContext.valueHashCode(this);
  }

  @Override
  public String toString() {
    return RemoteSpanContext.describe(this);
  }
}
