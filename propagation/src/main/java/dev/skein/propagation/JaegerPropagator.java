package dev.skein.propagation;

import static dev.skein.propagation.HexFields.hexRunEnd;
import static dev.skein.propagation.HexFields.parse;
import static dev.skein.propagation.HexFields.skipOws;
import static dev.skein.propagation.HexFields.trimOwsEnd;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.BaggageBuilder;
import io.opentelemetry.api.baggage.BaggageEntry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Jaeger propagation: {@code uber-trace-id: {trace-id}:{span-id}:{parent-span-id}:{flags}} and
 * baggage as {@code uberctx-{key}} headers.
 *
 * <p>Extract accepts ids of any case and shorter than full length (Jaeger says receivers must
 * left-pad them), flags as one or two hex digits (bit 1 sampled, bit 2 debug, which implies
 * sampled), and the URL-encoded form with {@code %3A} for {@code :}. The parent id is checked but
 * not kept; Jaeger itself calls it deprecated. Baggage values are URL-decoded ({@code +} is a
 * space, as the Jaeger Java client writes it) and keys lowercased, since HTTP does not keep header
 * case (Jaeger recommends lowercase keys); a key that only differs in case from baggage already in
 * the context is taken to be that entry and not added twice. Finding {@code uberctx-} headers needs
 * {@link TextMapGetter#keys}: a getter without it yields no Jaeger baggage.
 *
 * <p>Inject writes 16 or 32 hex digits for the trace id (16 when its high half is zero), parent
 * {@code 0}, two flag digits, and each baggage entry whose key is a token as an {@code uberctx-}
 * header, URL-encoded so that every Jaeger client decodes it. Debug is shared with {@link
 * B3Propagator}.
 */
public final class JaegerPropagator implements TextMapPropagator {

  static final String TRACE_HEADER = "uber-trace-id";
  static final String BAGGAGE_PREFIX = "uberctx-";

  private static final JaegerPropagator INSTANCE = new JaegerPropagator();

  // uberctx- headers depend on the baggage, so like OpenTelemetry's we list only the fixed one.
  private static final List<String> FIELDS = List.of(TRACE_HEADER);

  private JaegerPropagator() {}

  public static JaegerPropagator getInstance() {
    return INSTANCE;
  }

  @Override
  public Collection<String> fields() {
    return FIELDS;
  }

  @Override
  public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
    if (context == null || setter == null) {
      return;
    }
    SpanContext span = Span.fromContext(context).getSpanContext();
    if (span.isValid()) {
      injectTraceId(context, span, carrier, setter);
    }
    Baggage baggage = Baggage.fromContext(context);
    if (!baggage.isEmpty()) {
      baggage.forEach((key, entry) -> injectBaggage(key, entry, carrier, setter));
    }
  }

  private static <C> void injectTraceId(
      Context context, SpanContext span, C carrier, TextMapSetter<C> setter) {
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
    char[] chars = new char[(high == 0 ? 16 : 32) + 22];
    int offset = HexFields.writeTraceId(high, low, chars, 0);
    chars[offset++] = ':';
    Ids.writeHex(spanId, chars, offset);
    offset += 16;
    chars[offset++] = ':';
    chars[offset++] = '0';
    chars[offset++] = ':';
    chars[offset++] = '0';
    chars[offset] = debug ? '3' : span.isSampled() ? '1' : '0';
    setter.set(carrier, TRACE_HEADER, new String(chars));
  }

  private static <C> void injectBaggage(
      String key, BaggageEntry entry, C carrier, TextMapSetter<C> setter) {
    if (!PercentEncoding.isToken(key) || entry == null || entry.getValue() == null) {
      return;
    }
    String value = PercentEncoding.encode(entry.getValue(), false);
    if (value != null) {
      setter.set(carrier, BAGGAGE_PREFIX + key, value);
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
    String header = getter.get(carrier, TRACE_HEADER);
    if (header != null) {
      Context extracted = extractTraceId(context, header);
      if (extracted != null) {
        context = extracted;
      }
    }
    return extractBaggage(context, carrier, getter);
  }

  /** Null when the header is invalid. One pass: each field is a bounded run of hex digits. */
  static Context extractTraceId(Context context, String header) {
    int start = skipOws(header, 0, header.length());
    int end = trimOwsEnd(header, start, header.length());
    int traceStart = start;
    int traceEnd = hexRunEnd(header, traceStart, Math.min(end, traceStart + 33));
    if (traceEnd == traceStart || traceEnd - traceStart > 32) {
      return null;
    }
    int spanStart = separatorEnd(header, traceEnd, end);
    if (spanStart < 0) {
      return null;
    }
    int spanEnd = hexRunEnd(header, spanStart, Math.min(end, spanStart + 17));
    if (spanEnd == spanStart || spanEnd - spanStart > 16) {
      return null;
    }
    int parentStart = separatorEnd(header, spanEnd, end);
    if (parentStart < 0) {
      return null;
    }
    int parentEnd = hexRunEnd(header, parentStart, Math.min(end, parentStart + 17));
    if (parentEnd == parentStart || parentEnd - parentStart > 16) {
      return null;
    }
    int flagsStart = separatorEnd(header, parentEnd, end);
    if (flagsStart < 0) {
      return null;
    }
    int flagsEnd = hexRunEnd(header, flagsStart, Math.min(end, flagsStart + 3));
    if (flagsEnd == flagsStart || flagsEnd - flagsStart > 2 || flagsEnd != end) {
      return null;
    }
    int lowStart = Math.max(traceStart, traceEnd - 16);
    long high = parse(header, traceStart, lowStart);
    long low = parse(header, lowStart, traceEnd);
    long spanId = parse(header, spanStart, spanEnd);
    if ((high == 0 && low == 0) || spanId == 0) {
      return null;
    }
    long flags = parse(header, flagsStart, flagsEnd);
    boolean debug = (flags & 0x02) != 0;
    boolean sampled = debug || (flags & 0x01) != 0;
    RemoteSpanContext span =
        RemoteSpanContext.create(
            high, low, spanId, (byte) (sampled ? 0x01 : 0x00), TraceState.getDefault());
    Context extracted = RemoteSpanContext.withRemoteParent(context, span);
    return debug ? DebugFlag.set(extracted, span) : extracted;
  }

  /** The index after a {@code :} or {@code %3A} at {@code i}, or -1. */
  private static int separatorEnd(String s, int i, int end) {
    if (i < end && s.charAt(i) == ':') {
      return i + 1;
    }
    if (i + 3 <= end
        && s.charAt(i) == '%'
        && s.charAt(i + 1) == '3'
        && (s.charAt(i + 2) == 'A' || s.charAt(i + 2) == 'a')) {
      return i + 3;
    }
    return -1;
  }

  @SuppressWarnings("deprecation") // keys() is the only way to find the uberctx- headers
  private static <C> Context extractBaggage(Context context, C carrier, TextMapGetter<C> getter) {
    Iterable<String> keys = getter.keys(carrier);
    if (keys == null) {
      return context;
    }
    Baggage existing = Baggage.fromContext(context);
    List<String> mixedCaseKeys = null;
    BaggageBuilder builder = null;
    int members = 0;
    for (String header : keys) {
      if (members == BaggagePropagator.MAX_EXTRACTED_MEMBERS) {
        break;
      }
      if (header == null
          || header.length() <= BAGGAGE_PREFIX.length()
          || !header.regionMatches(true, 0, BAGGAGE_PREFIX, 0, BAGGAGE_PREFIX.length())
          || !isTokenFrom(header, BAGGAGE_PREFIX.length())) {
        continue;
      }
      String value = getter.get(carrier, header);
      if (value == null) {
        continue;
      }
      if (builder == null) {
        builder = existing.toBuilder();
        mixedCaseKeys = mixedCaseKeys(existing);
      }
      String key = header.substring(BAGGAGE_PREFIX.length()).toLowerCase(Locale.ROOT);
      // Baggage already read from a W3C header is the same member and may carry metadata, which
      // uberctx- cannot: keep that one.
      if (hasCaseVariant(mixedCaseKeys, key) || existing.getEntryValue(key) != null) {
        continue;
      }
      int valueStart = skipOws(value, 0, value.length());
      builder.put(
          key,
          PercentEncoding.decode(
              value, valueStart, trimOwsEnd(value, valueStart, value.length()), true));
      members++;
    }
    return builder == null ? context : context.with(builder.build());
  }

  /** Keys of {@code baggage} with an uppercase letter: the only ones a lowercased key can twin. */
  private static List<String> mixedCaseKeys(Baggage baggage) {
    if (baggage.isEmpty()) {
      return List.of();
    }
    List<String> keys = new ArrayList<>();
    baggage.forEach(
        (key, entry) -> {
          if (!key.equals(key.toLowerCase(Locale.ROOT))) {
            keys.add(key);
          }
        });
    return keys;
  }

  /**
   * HTTP does not keep header case, so a key that matches an entry already in the context only when
   * case is ignored is that entry come back (W3C baggage's {@code userId} sent on as {@code
   * uberctx-userId} and read as {@code userid}): it is not added again as a lowercase twin, which
   * would grow the baggage at every hop.
   */
  private static boolean hasCaseVariant(List<String> mixedCaseKeys, String key) {
    for (String existing : mixedCaseKeys) {
      if (existing.equalsIgnoreCase(key)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isTokenFrom(String s, int from) {
    for (int i = from; i < s.length(); i++) {
      if (!PercentEncoding.isTchar(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "JaegerPropagator";
  }
}
