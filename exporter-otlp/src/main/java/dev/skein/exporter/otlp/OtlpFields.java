package dev.skein.exporter.otlp;

import dev.skein.propagation.Ids;
import dev.skein.propagation.LongIdSpanContext;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceState;

/** Values as OTLP encodes them, shared by the protobuf and JSON encoders. */
final class OtlpFields {

  /** {@code SpanFlags.SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK}: the next bit is meaningful. */
  static final int HAS_IS_REMOTE = 0x100;

  /** {@code SpanFlags.SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK}. */
  static final int IS_REMOTE = 0x200;

  private OtlpFields() {}

  /** {@code Span.SpanKind}; 0 (unspecified) for a null kind. */
  static int kind(SpanKind kind) {
    if (kind == null) {
      return 0;
    }
    return switch (kind) {
      case INTERNAL -> 1;
      case SERVER -> 2;
      case CLIENT -> 3;
      case PRODUCER -> 4;
      case CONSUMER -> 5;
    };
  }

  /** {@code Status.StatusCode}; 0 (unset) for a null code. */
  static int statusCode(StatusCode code) {
    if (code == null) {
      return 0;
    }
    return switch (code) {
      case UNSET -> 0;
      case OK -> 1;
      case ERROR -> 2;
    };
  }

  /** A dropped count as a uint32; a negative count, which no SDK reports, as 0. */
  static int count(int dropped) {
    return Math.max(0, dropped);
  }

  static IllegalArgumentException unsupported(String key, Object value) {
    return new IllegalArgumentException(
        "attribute '"
            + key
            + "' has a value of type "
            + (value == null ? "null" : value.getClass().getName())
            + "; OTLP takes strings, booleans, longs, doubles, lists of those, and Values");
  }

  /** The W3C trace flags in the low byte, and whether the context (or parent) was remote. */
  static int flags(SpanContext context, boolean remote) {
    int w3c = context == null ? 0 : context.getTraceFlags().asByte() & 0xff;
    return w3c | HAS_IS_REMOTE | (remote ? IS_REMOTE : 0);
  }

  static long traceIdHigh(SpanContext context) {
    return context instanceof LongIdSpanContext ids
        ? ids.traceIdHigh()
        : Ids.parseHex(context.getTraceId(), 0);
  }

  static long traceIdLow(SpanContext context) {
    return context instanceof LongIdSpanContext ids
        ? ids.traceIdLow()
        : Ids.parseHex(context.getTraceId(), 16);
  }

  static long spanId(SpanContext context) {
    return context instanceof LongIdSpanContext ids
        ? ids.spanIdAsLong()
        : Ids.parseHex(context.getSpanId(), 0);
  }

  /**
   * The W3C {@code tracestate} header value of trace states, remembering the last one: the spans of
   * a trace share one trace state object, so it is joined once per batch rather than per span.
   */
  static final class TraceStates {
    private TraceState last;
    private String lastHeader = "";

    /** The header value, or the empty string for an empty (or null) trace state. */
    String header(TraceState traceState) {
      if (traceState == null || traceState.isEmpty()) {
        return "";
      }
      if (traceState != last) {
        StringBuilder joined = new StringBuilder();
        traceState.forEach(
            (key, value) -> {
              if (joined.length() > 0) {
                joined.append(',');
              }
              joined.append(key).append('=').append(value);
            });
        last = traceState;
        lastHeader = joined.toString();
      }
      return lastHeader;
    }
  }
}
