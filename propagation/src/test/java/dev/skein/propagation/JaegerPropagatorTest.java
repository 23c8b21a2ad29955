package dev.skein.propagation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.entry;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JaegerPropagatorTest {

  private static final String TRACE_ID = "80f198ee56343ba864fe8b2a57d3eff7";
  private static final String SPAN_ID = "e457b5a2e4d86bd1";

  private final JaegerPropagator propagator = JaegerPropagator.getInstance();

  @Test
  void fields_isTheTraceIdHeader() {
    assertThat(propagator.fields()).containsExactly("uber-trace-id");
  }

  @Test
  void uberTraceId_128Bit_isExtracted() {
    SpanContext span = extract(TRACE_ID + ":" + SPAN_ID + ":0:1");

    assertThat(span.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(span.getSpanId()).isEqualTo(SPAN_ID);
    assertThat(span.isSampled()).isTrue();
    assertThat(span.isRemote()).isTrue();
  }

  @Test
  void uberTraceId_shortIds_areLeftPaddedWithZeros() {
    SpanContext span = extract("abc:def:0:0");

    assertThat(span.getTraceId()).isEqualTo("00000000000000000000000000000abc");
    assertThat(span.getSpanId()).isEqualTo("0000000000000def");
    assertThat(span.isSampled()).isFalse();
  }

  @Test
  void uberTraceId_between16And32Digits_splitsAtTheLow16() {
    SpanContext span = extract("1" + "64fe8b2a57d3eff7" + ":" + SPAN_ID + ":0:01");

    assertThat(span.getTraceId()).isEqualTo("000000000000000164fe8b2a57d3eff7");
  }

  @Test
  void uberTraceId_uppercaseHex_isAccepted() {
    assertThat(extract(TRACE_ID.toUpperCase() + ":" + SPAN_ID.toUpperCase() + ":0:1").getTraceId())
        .isEqualTo(TRACE_ID);
  }

  @ParameterizedTest
  @ValueSource(strings = {"%3A", "%3a"})
  void uberTraceId_urlEncoded_isAccepted(String colon) {
    SpanContext span = extract(TRACE_ID + colon + SPAN_ID + colon + "0" + colon + "1");

    assertThat(span.getSpanId()).isEqualTo(SPAN_ID);
    assertThat(span.isSampled()).isTrue();
  }

  @Test
  void uberTraceId_withParent_isExtractedAndParentNotKept() {
    assertThat(extract(TRACE_ID + ":" + SPAN_ID + ":05e3ac9a4f6e3b90:1").getSpanId())
        .isEqualTo(SPAN_ID);
  }

  @ParameterizedTest
  @CsvSource({"0, false", "00, false", "1, true", "01, true", "5, true", "08, false", "ff, true"})
  void uberTraceId_flags_sampledIsBitOne(String flags, boolean sampled) {
    assertThat(extract(TRACE_ID + ":" + SPAN_ID + ":0:" + flags).isSampled()).isEqualTo(sampled);
  }

  @Test
  void uberTraceId_withDebugFlag_isSampledAndReinjectedAsDebug() {
    Context context = extractContext(Map.of("uber-trace-id", TRACE_ID + ":" + SPAN_ID + ":0:2"));

    assertThat(Span.fromContext(context).getSpanContext().isSampled()).isTrue();
    assertThat(inject(context))
        .containsExactly(entry("uber-trace-id", TRACE_ID + ":" + SPAN_ID + ":0:03"));
    assertThat(inject(B3Propagator.injectingSingleHeader(), context).get("b3")).endsWith("-d");
  }

  @Test
  void b3Debug_isInjectedAsJaegerDebug() {
    Context context =
        B3Propagator.injectingSingleHeader()
            .extract(
                Context.root(),
                Map.of("b3", TRACE_ID + "-" + SPAN_ID + "-d"),
                Carriers.mapGetter());

    assertThat(inject(context).get("uber-trace-id")).endsWith(":03");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        ":::",
        "0:" + SPAN_ID + ":0:1", // zero trace id
        "00000000000000000000000000000000:" + SPAN_ID + ":0:1",
        TRACE_ID + ":0:0:1", // zero span id
        TRACE_ID + ":0000000000000000:0:1",
        TRACE_ID + "0:" + SPAN_ID + ":0:1", // 33 digits
        TRACE_ID + ":" + SPAN_ID + "0:0:1", // 17 digits
        TRACE_ID + ":" + SPAN_ID + ":05e3ac9a4f6e3b900:1", // 17-digit parent
        TRACE_ID + ":" + SPAN_ID + ":0:001", // 3 flag digits
        TRACE_ID + ":" + SPAN_ID + ":0:0x01",
        TRACE_ID + ":" + SPAN_ID + ":0:", // empty flags
        TRACE_ID + ":" + SPAN_ID + "::1", // empty parent
        TRACE_ID + "::0:1", // empty span id
        ":" + SPAN_ID + ":0:1", // empty trace id
        TRACE_ID + ":" + SPAN_ID + ":0", // three fields
        TRACE_ID + ":" + SPAN_ID + ":0:1:1", // five fields
        TRACE_ID + ":" + SPAN_ID + ":0:1x", // trailing garbage
        TRACE_ID + ":" + SPAN_ID + ":0:1 x",
        TRACE_ID + ":" + "e457b5a2e4d86bdg" + ":0:1", // not hex
        TRACE_ID + "-" + SPAN_ID + "-0-1", // wrong separator
        TRACE_ID + "%3" + SPAN_ID + "%3A0%3A1", // cut escape
        TRACE_ID + "%3B" + SPAN_ID + "%3B0%3B1",
      })
  void uberTraceId_invalid_extractsNoContext(String header) {
    Context context = Context.root();

    assertThat(propagator.extract(context, Map.of("uber-trace-id", header), Carriers.mapGetter()))
        .isSameAs(context);
  }

  @Test
  void inject_writesTraceSpanZeroParentAndFlags() {
    Context context =
        contextWith(
            RemoteSpanContext.create(
                0x80f198ee56343ba8L, 0x64fe8b2a57d3eff7L, 0xe457b5a2e4d86bd1L, (byte) 1, null));

    assertThat(inject(context))
        .containsExactly(entry("uber-trace-id", TRACE_ID + ":" + SPAN_ID + ":0:01"));
  }

  @Test
  void inject_64BitTraceIdAndUnsampled_writes16DigitsAndFlagsZero() {
    Context context = contextWith(RemoteSpanContext.create(0, 0xabcL, 0xdefL, (byte) 0, null));

    assertThat(inject(context))
        .containsExactly(entry("uber-trace-id", "0000000000000abc:0000000000000def:0:00"));
  }

  @Test
  void inject_spanContextOfAnotherImplementation_usesItsHexIds() {
    SpanContext other =
        SpanContext.create(TRACE_ID, SPAN_ID, TraceFlags.getSampled(), TraceState.getDefault());

    assertThat(inject(contextWith(other)).get("uber-trace-id"))
        .isEqualTo(TRACE_ID + ":" + SPAN_ID + ":0:01");
  }

  @Test
  void uberctxHeaders_areExtractedAsBaggage() {
    Map<String, String> in = new LinkedHashMap<>();
    in.put("uberctx-user-id", "alice");
    in.put("Uberctx-Node", "DF%2028");
    in.put("UBERCTX-phrase", "value+1+%2F+blah");
    in.put("uberctx-spaces", "value%201%20%2F%20blah");
    in.put("uberctx-utf8", "Am%C3%A9lie");
    in.put("uberctx-", "no key");
    in.put("uberctx-bad key", "dropped");
    in.put("other", "x");

    Baggage baggage = Baggage.fromContext(extractContext(in));

    assertThat(values(baggage))
        .containsOnly(
            entry("user-id", "alice"),
            entry("node", "DF 28"),
            entry("phrase", "value 1 / blah"),
            entry("spaces", "value 1 / blah"),
            entry("utf8", "Amélie"));
  }

  @Test
  void compositeWithW3cBaggage_mixedCaseKey_staysOneEntryAcrossHops() {
    TextMapPropagator composite = Propagators.fromNames("baggage,jaeger");
    Context context =
        composite.extract(Context.root(), Map.of("baggage", "userId=alice"), Carriers.mapGetter());

    Map<String, String> firstHop = inject(composite, context);
    Map<String, String> secondHop =
        inject(composite, composite.extract(Context.root(), firstHop, Carriers.mapGetter()));

    assertThat(firstHop)
        .containsOnly(entry("baggage", "userId=alice"), entry("uberctx-userId", "alice"));
    assertThat(secondHop).isEqualTo(firstHop);
  }

  @Test
  void uberctxKey_alreadyInTheContextInAnyCase_keepsThatEntry() {
    Context context =
        Baggage.builder()
            .put("userId", "w3c")
            .put("lower", "local")
            .build()
            .storeInContext(Context.root());
    Map<String, String> in = Map.of("uberctx-userId", "jaeger", "uberctx-lower", "remote");

    Baggage baggage = Baggage.fromContext(propagator.extract(context, in, Carriers.mapGetter()));

    // W3C baggage read before may carry metadata, which uberctx- cannot; it stays as it was.
    assertThat(values(baggage)).containsOnly(entry("userId", "w3c"), entry("lower", "local"));
  }

  @Test
  void uberctxHeaders_withoutTraceId_stillGiveBaggage() {
    Context context = extractContext(Map.of("uberctx-k", "v"));

    assertThat(Span.fromContext(context).getSpanContext().isValid()).isFalse();
    assertThat(Baggage.fromContext(context).getEntryValue("k")).isEqualTo("v");
  }

  @Test
  void getterWithoutKeys_extractsTheTraceButNoBaggage() {
    Map<String, String> in =
        Map.of("uber-trace-id", TRACE_ID + ":" + SPAN_ID + ":0:1", "uberctx-k", "v");
    TextMapGetter<Map<String, String>> noKeys =
        new TextMapGetter<>() {
          @Override
          public String get(Map<String, String> carrier, String key) {
            return carrier.get(key);
          }
        };

    Context context = propagator.extract(Context.root(), in, noKeys);

    assertThat(Span.fromContext(context).getSpanContext().isValid()).isTrue();
    assertThat(Baggage.fromContext(context).isEmpty()).isTrue();
  }

  @Test
  void inject_baggage_asUrlEncodedUberctxHeaders() {
    Context context =
        Baggage.builder()
            .put("k1", "value 1 / blah")
            .put("k2", "a+b é")
            .put("bad key", "dropped")
            .build()
            .storeInContext(Context.root());

    assertThat(inject(context))
        .containsOnly(
            entry("uberctx-k1", "value%201%20%2F%20blah"), entry("uberctx-k2", "a%2Bb%20%C3%A9"));
  }

  @Test
  void roundTrip_keepsIdsSamplingAndBaggage() {
    Context context =
        Baggage.builder()
            .put("user", "Amélie + Ørsted, 100%")
            .build()
            .storeInContext(
                contextWith(
                    RemoteSpanContext.create(
                        0, 0x64fe8b2a57d3eff7L, 0xe457b5a2e4d86bd1L, (byte) 1, null)));

    Context received = extractContext(inject(context));

    assertThat(Span.fromContext(received).getSpanContext())
        .isEqualTo(Span.fromContext(context).getSpanContext());
    assertThat(Baggage.fromContext(received).getEntryValue("user"))
        .isEqualTo("Amélie + Ørsted, 100%");
  }

  @Test
  void nullsAnywhere_throwNothing() {
    TextMapGetter<Object> nulls =
        new TextMapGetter<>() {
          @SuppressWarnings("deprecation")
          @Override
          public Iterable<String> keys(Object carrier) {
            return java.util.Arrays.asList(null, "uberctx-k");
          }

          @Override
          public String get(Object carrier, String key) {
            return null;
          }
        };
    TextMapGetter<Object> nullKeys =
        new TextMapGetter<>() {
          @SuppressWarnings("deprecation")
          @Override
          public Iterable<String> keys(Object carrier) {
            return null;
          }

          @Override
          public String get(Object carrier, String key) {
            return null;
          }
        };
    Context context = extractContext(Map.of("uber-trace-id", TRACE_ID + ":" + SPAN_ID + ":0:1"));

    assertThatCode(
            () -> {
              propagator.extract(Context.root(), null, nulls);
              propagator.extract(Context.root(), null, nullKeys);
              propagator.extract(Context.root(), null, Carriers.mapGetter());
              assertThat(propagator.extract(null, Map.of(), Carriers.mapGetter())).isNotNull();
              propagator.extract(Context.root(), Map.of(), null);
              propagator.inject(context, null, Carriers.mapSetter());
              propagator.inject(null, new HashMap<>(), Carriers.mapSetter());
              propagator.inject(context, new HashMap<>(), null);
            })
        .doesNotThrowAnyException();
  }

  private SpanContext extract(String header) {
    return Span.fromContext(extractContext(Map.of("uber-trace-id", header))).getSpanContext();
  }

  private Context extractContext(Map<String, String> carrier) {
    return propagator.extract(Context.root(), carrier, Carriers.mapGetter());
  }

  private Map<String, String> inject(Context context) {
    return inject(propagator, context);
  }

  private static Map<String, String> inject(TextMapPropagator propagator, Context context) {
    Map<String, String> carrier = new LinkedHashMap<>();
    propagator.inject(context, carrier, Carriers.mapSetter());
    return carrier;
  }

  private static Context contextWith(SpanContext span) {
    return Context.root().with(Span.wrap(span));
  }

  private static Map<String, String> values(Baggage baggage) {
    Map<String, String> values = new HashMap<>();
    baggage.forEach((key, entry) -> values.put(key, entry.getValue()));
    return values;
  }
}
