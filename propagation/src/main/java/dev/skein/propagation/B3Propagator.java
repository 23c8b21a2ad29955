package dev.skein.propagation;

import static dev.skein.propagation.HexFields.isLowerHex;
import static dev.skein.propagation.HexFields.parse;
import static dev.skein.propagation.HexFields.skipOws;
import static dev.skein.propagation.HexFields.trimOwsEnd;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.Collection;
import java.util.List;

/**
 * Zipkin B3 propagation (openzipkin/b3-propagation): the single {@code b3} header and the {@code
 * X-B3-*} headers.
 *
 * <p>Both forms are always extracted, the single header first; inject writes the form this instance
 * was made for. Trace ids are 16 or 32 lowercase hex digits (a 64-bit id fills the low half), span
 * ids 16. A sampling state alone ({@code b3: 0}, {@code X-B3-Sampled: 1}) carries no ids and so
 * extracts no span context. An absent sampling state (B3's "defer") extracts as not sampled, since
 * a span context has no third state.
 *
 * <p>Debug ({@code d}, {@code X-B3-Flags: 1}) implies sampled and is kept in the context next to
 * the span, so that spans of the same trace are injected with debug again; the Jaeger propagator
 * reads and writes the same mark.
 */
public final class B3Propagator implements TextMapPropagator {

  static final String SINGLE = "b3";
  static final String TRACE_ID = "X-B3-TraceId";
  static final String SPAN_ID = "X-B3-SpanId";
  static final String PARENT_SPAN_ID = "X-B3-ParentSpanId";
  static final String SAMPLED = "X-B3-Sampled";
  static final String FLAGS = "X-B3-Flags";

  private static final B3Propagator SINGLE_HEADER = new B3Propagator(true);
  private static final B3Propagator MULTI_HEADERS = new B3Propagator(false);

  private final boolean singleHeader;
  private final List<String> fields;

  private B3Propagator(boolean singleHeader) {
    this.singleHeader = singleHeader;
    this.fields =
        singleHeader ? List.of(SINGLE) : List.of(TRACE_ID, SPAN_ID, PARENT_SPAN_ID, SAMPLED, FLAGS);
  }

  /** Injects the single {@code b3} header ({@code OTEL_PROPAGATORS=b3}). */
  public static B3Propagator injectingSingleHeader() {
    return SINGLE_HEADER;
  }

  /** Injects the {@code X-B3-*} headers ({@code OTEL_PROPAGATORS=b3multi}). */
  public static B3Propagator injectingMultiHeaders() {
    return MULTI_HEADERS;
  }

  @Override
  public Collection<String> fields() {
    return fields;
  }

  @Override
  public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
    if (context == null || setter == null) {
      return;
    }
    SpanContext span = Span.fromContext(context).getSpanContext();
    if (!span.isValid()) {
      return;
    }
    long high;
    long low;
    long spanId;
    if (span instanceof LongIdSpanContext ids) {
      high = ids.traceIdHigh();
      low = ids.traceIdLow();
      spanId = ids.spanIdAsLong();
    } else {
      String traceId = span.getTraceId();
      high = Ids.parseHex(traceId, 0);
      low = Ids.parseHex(traceId, 16);
      spanId = Ids.parseHex(span.getSpanId(), 0);
    }
    boolean debug = DebugFlag.isSet(context, span);
    if (singleHeader) {
      // {trace}-{span}-{state}; the parent id is optional and a span context doesn't know it.
      char[] chars = new char[(high == 0 ? 16 : 32) + 19];
      int offset = HexFields.writeTraceId(high, low, chars, 0);
      chars[offset++] = '-';
      Ids.writeHex(spanId, chars, offset);
      offset += 16;
      chars[offset++] = '-';
      chars[offset] = debug ? 'd' : span.isSampled() ? '1' : '0';
      setter.set(carrier, SINGLE, new String(chars));
      return;
    }
    char[] traceId = new char[high == 0 ? 16 : 32];
    HexFields.writeTraceId(high, low, traceId, 0);
    setter.set(carrier, TRACE_ID, new String(traceId));
    setter.set(carrier, SPAN_ID, Ids.spanIdHex(spanId));
    if (debug) {
      setter.set(carrier, FLAGS, "1"); // debug implies accept: B3 says not to send Sampled too
    } else {
      setter.set(carrier, SAMPLED, span.isSampled() ? "1" : "0");
    }
  }

  @Override
  public <C> Context extract(Context context, C carrier, TextMapGetter<C> getter) {
    if (context == null) {
      context = Context.root();
    }
    if (getter == null) {
      return context;
    }
    String single = getter.get(carrier, SINGLE);
    if (single != null) {
      Context extracted = extractSingle(context, single);
      if (extracted != null) {
        return extracted;
      }
    }
    Context extracted = extractMulti(context, carrier, getter);
    return extracted != null ? extracted : context;
  }

  /**
   * {@code {trace}-{span}[-{state}[-{parent}]]}, read in one pass at fixed offsets; null when
   * invalid or when it carries a sampling state only.
   */
  static Context extractSingle(Context context, String header) {
    int start = skipOws(header, 0, header.length());
    int end = trimOwsEnd(header, start, header.length());
    int length = end - start;
    int traceLength;
    if (length >= 33 && header.charAt(start + 16) == '-') {
      traceLength = 16;
    } else if (length >= 49 && header.charAt(start + 32) == '-') {
      traceLength = 32;
    } else {
      return null;
    }
    int spanStart = start + traceLength + 1;
    if (!isLowerHex(header, start, start + traceLength)
        || !isLowerHex(header, spanStart, spanStart + 16)) {
      return null;
    }
    long high = traceLength == 32 ? parse(header, start, start + 16) : 0;
    long low = parse(header, start + traceLength - 16, start + traceLength);
    long spanId = parse(header, spanStart, spanStart + 16);
    boolean sampled = false;
    boolean debug = false;
    int i = spanStart + 16;
    if (i < end) {
      if (header.charAt(i) != '-' || i + 2 > end) {
        return null;
      }
      switch (header.charAt(i + 1)) {
        case '1' -> sampled = true;
        case '0' -> sampled = false;
        case 'd' -> debug = true;
        default -> {
          return null;
        }
      }
      i += 2;
      if (i < end) {
        // The parent span id: checked so that trailing garbage fails, not kept.
        if (end - i != 17 || header.charAt(i) != '-' || !isLowerHex(header, i + 1, end)) {
          return null;
        }
      }
    }
    return build(context, high, low, spanId, sampled, debug);
  }

  private static <C> Context extractMulti(Context context, C carrier, TextMapGetter<C> getter) {
    String traceId = getter.get(carrier, TRACE_ID);
    String spanId = getter.get(carrier, SPAN_ID);
    if (traceId == null || spanId == null) {
      return null; // ids are required unless only a sampling state is sent, which we can't carry
    }
    int traceStart = skipOws(traceId, 0, traceId.length());
    int traceEnd = trimOwsEnd(traceId, traceStart, traceId.length());
    int traceLength = traceEnd - traceStart;
    if ((traceLength != 16 && traceLength != 32) || !isLowerHex(traceId, traceStart, traceEnd)) {
      return null;
    }
    int spanStart = skipOws(spanId, 0, spanId.length());
    int spanEnd = trimOwsEnd(spanId, spanStart, spanId.length());
    if (spanEnd - spanStart != 16 || !isLowerHex(spanId, spanStart, spanEnd)) {
      return null;
    }
    String parent = getter.get(carrier, PARENT_SPAN_ID);
    if (parent != null) {
      // Absent is fine; present must be well formed (B3 calls "-" or "" malformed).
      int parentStart = skipOws(parent, 0, parent.length());
      int parentEnd = trimOwsEnd(parent, parentStart, parent.length());
      if (parentEnd - parentStart != 16 || !isLowerHex(parent, parentStart, parentEnd)) {
        return null;
      }
    }
    boolean sampled = false;
    String sampledHeader = getter.get(carrier, SAMPLED);
    if (sampledHeader != null) {
      int s = skipOws(sampledHeader, 0, sampledHeader.length());
      int e = trimOwsEnd(sampledHeader, s, sampledHeader.length());
      if (is(sampledHeader, s, e, "1") || is(sampledHeader, s, e, "true")) {
        sampled = true;
      } else if (!is(sampledHeader, s, e, "0") && !is(sampledHeader, s, e, "false")) {
        return null;
      }
    }
    // Only "1" means debug; B3 says any other flags value is ignored.
    String flags = getter.get(carrier, FLAGS);
    boolean debug =
        flags != null
            && is(
                flags,
                skipOws(flags, 0, flags.length()),
                trimOwsEnd(flags, 0, flags.length()),
                "1");
    long high = traceLength == 32 ? parse(traceId, traceStart, traceStart + 16) : 0;
    long low = parse(traceId, traceEnd - 16, traceEnd);
    return build(context, high, low, parse(spanId, spanStart, spanEnd), sampled, debug);
  }

  /** Whether {@code s[from, to)} is {@code expected}, ignoring case (for legacy "True"). */
  private static boolean is(String s, int from, int to, String expected) {
    return to - from == expected.length()
        && s.regionMatches(true, from, expected, 0, expected.length());
  }

  private static Context build(
      Context context, long high, long low, long spanId, boolean sampled, boolean debug) {
    if ((high == 0 && low == 0) || spanId == 0) {
      return null;
    }
    RemoteSpanContext span =
        RemoteSpanContext.create(
            high, low, spanId, (byte) (sampled || debug ? 0x01 : 0x00), TraceState.getDefault());
    Context extracted = RemoteSpanContext.withRemoteParent(context, span);
    return debug ? DebugFlag.set(extracted, span) : extracted;
  }

  @Override
  public String toString() {
    return singleHeader ? "B3Propagator{inject=single}" : "B3Propagator{inject=multi}";
  }
}
