package dev.skein.propagation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.entry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class B3PropagatorTest {

  private static final String TRACE_ID = "80f198ee56343ba864fe8b2a57d3eff7";
  private static final String TRACE_ID_64 = "64fe8b2a57d3eff7";
  private static final String SPAN_ID = "e457b5a2e4d86bd1";
  private static final String PARENT_ID = "05e3ac9a4f6e3b90";

  private final B3Propagator single = B3Propagator.injectingSingleHeader();
  private final B3Propagator multi = B3Propagator.injectingMultiHeaders();

  @Test
  void fields_areTheHeadersEachFormWrites() {
    assertThat(single.fields()).containsExactly("b3");
    assertThat(multi.fields())
        .containsExactly(
            "X-B3-TraceId", "X-B3-SpanId", "X-B3-ParentSpanId", "X-B3-Sampled", "X-B3-Flags");
  }

  @Test
  void b3Single_128BitTraceIdWithParent_isExtracted() {
    SpanContext span = extract(Map.of("b3", TRACE_ID + "-" + SPAN_ID + "-1-" + PARENT_ID));

    assertThat(span.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(span.getSpanId()).isEqualTo(SPAN_ID);
    assertThat(span.isSampled()).isTrue();
    assertThat(span.isRemote()).isTrue();
    assertThat(span).isInstanceOf(LongIdSpanContext.class);
  }

  @Test
  void b3Single_64BitTraceId_fillsTheLowHalf() {
    SpanContext span = extract(Map.of("b3", TRACE_ID_64 + "-" + SPAN_ID + "-0"));

    assertThat(span.getTraceId()).isEqualTo("0000000000000000" + TRACE_ID_64);
    assertThat(((LongIdSpanContext) span).traceIdHigh()).isZero();
    assertThat(span.isSampled()).isFalse();
  }

  @Test
  void b3Single_withoutSamplingState_isExtractedAsNotSampled() {
    SpanContext span = extract(Map.of("b3", TRACE_ID + "-" + SPAN_ID));

    assertThat(span.isValid()).isTrue();
    assertThat(span.isSampled()).isFalse();
  }

  @Test
  void b3Single_surroundingWhiteSpace_isTolerated() {
    assertThat(extract(Map.of("b3", " \t" + TRACE_ID + "-" + SPAN_ID + "-1 ")).isValid()).isTrue();
  }

  @Test
  void b3Single_withDebugFlag_isSampledAndReinjectedAsDebug() {
    Context context = extractContext(single, Map.of("b3", TRACE_ID + "-" + SPAN_ID + "-d"));

    assertThat(Span.fromContext(context).getSpanContext().isSampled()).isTrue();
    assertThat(inject(single, context))
        .containsExactly(entry("b3", TRACE_ID + "-" + SPAN_ID + "-d"));
    assertThat(inject(multi, context))
        .containsOnly(
            entry("X-B3-TraceId", TRACE_ID),
            entry("X-B3-SpanId", SPAN_ID),
            entry("X-B3-Flags", "1"));
  }

  @Test
  void debug_appliesToChildSpansOfTheSameTraceOnly() {
    Context context = extractContext(single, Map.of("b3", TRACE_ID + "-" + SPAN_ID + "-d"));
    SpanContext child =
        SpanContext.create(
            TRACE_ID, "1111111111111111", TraceFlags.getSampled(), TraceState.getDefault());
    SpanContext otherTrace =
        SpanContext.create(
            "0af7651916cd43dd8448eb211c80319c",
            "1111111111111111",
            TraceFlags.getSampled(),
            TraceState.getDefault());

    assertThat(inject(single, context.with(Span.wrap(child))).get("b3")).endsWith("-d");
    assertThat(inject(single, context.with(Span.wrap(otherTrace))).get("b3")).endsWith("-1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "1", "d"})
  void b3Single_samplingStateAlone_extractsNoContext(String state) {
    Context context = Context.root();

    assertThat(single.extract(context, Map.of("b3", state), Carriers.mapGetter()))
        .isSameAs(context);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "-",
        "80F198EE56343BA864FE8B2A57D3EFF7-e457b5a2e4d86bd1-1", // uppercase trace id
        "80f198ee56343ba864fe8b2a57d3eff7-E457B5A2E4D86BD1-1", // uppercase span id
        "80f198ee56343ba864fe8b2a57d3eff-e457b5a2e4d86bd1-1", // 31 hex
        "80f198ee56343ba864fe8b2a57d3eff70-e457b5a2e4d86bd1-1", // 33 hex
        "4fe8b2a57d3eff7-e457b5a2e4d86bd1-1", // 15 hex
        "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd-1", // 15 hex span
        "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd10-1", // 17 hex span
        "00000000000000000000000000000000-e457b5a2e4d86bd1-1", // zero trace id
        "0000000000000000-e457b5a2e4d86bd1-1", // zero 64-bit trace id
        "80f198ee56343ba864fe8b2a57d3eff7-0000000000000000-1", // zero span id
        "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-2", // unknown state
        "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-true",
        "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-",
        "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1-",
        "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1-05e3ac9a4f6e3b9", // short parent
        "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1-05E3AC9A4F6E3B90", // uppercase parent
        "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1-05e3ac9a4f6e3b90-", // trailing
        "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1-05e3ac9a4f6e3b90x",
        "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1x",
        "80f198ee56343ba864fe8b2a57d3eff7_e457b5a2e4d86bd1-1",
        "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bdg-1", // not hex
        "80f198ee56343ba8-64fe8b2a57d3eff7-e457b5a2e4d86bd1-1",
      })
  void b3Single_invalid_extractsNoContext(String header) {
    Context context = Context.root();

    assertThat(single.extract(context, Map.of("b3", header), Carriers.mapGetter()))
        .isSameAs(context);
  }

  @Test
  void b3Multi_isExtracted() {
    SpanContext span =
        extract(
            Map.of(
                "X-B3-TraceId", TRACE_ID,
                "X-B3-SpanId", SPAN_ID,
                "X-B3-ParentSpanId", PARENT_ID,
                "X-B3-Sampled", "1"));

    assertThat(span.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(span.getSpanId()).isEqualTo(SPAN_ID);
    assertThat(span.isSampled()).isTrue();
  }

  @Test
  void b3Multi_lowercaseHeaderNames_areFound() {
    SpanContext span =
        extract(Map.of("x-b3-traceid", TRACE_ID_64, "x-b3-spanid", SPAN_ID, "x-b3-sampled", "1"));

    assertThat(span.getTraceId()).isEqualTo("0000000000000000" + TRACE_ID_64);
    assertThat(span.isSampled()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "true", "True", " 1 "})
  void b3Multi_acceptSampled_isSampled(String sampled) {
    assertThat(multiWith("X-B3-Sampled", sampled).isSampled()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "false"})
  void b3Multi_denySampled_isNotSampled(String sampled) {
    SpanContext span = multiWith("X-B3-Sampled", sampled);

    assertThat(span.isValid()).isTrue();
    assertThat(span.isSampled()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "2", "yes", "-", "1 1"})
  void b3Multi_malformedSampled_extractsNoContext(String sampled) {
    assertThat(multiWith("X-B3-Sampled", sampled).isValid()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-", "05E3AC9A4F6E3B90", "05e3ac9a4f6e3b9", "05e3ac9a4f6e3b900"})
  void b3Multi_malformedParent_extractsNoContext(String parent) {
    assertThat(multiWith("X-B3-ParentSpanId", parent).isValid()).isFalse();
  }

  @Test
  void b3Multi_withDebugFlag_isSampledAndReinjectedAsDebug() {
    Map<String, String> in =
        Map.of("X-B3-TraceId", TRACE_ID, "X-B3-SpanId", SPAN_ID, "X-B3-Flags", "1");
    Context context = extractContext(multi, in);

    assertThat(Span.fromContext(context).getSpanContext().isSampled()).isTrue();
    assertThat(inject(multi, context)).isEqualTo(in);
    assertThat(inject(single, context).get("b3")).endsWith("-d");
  }

  @Test
  void b3Multi_debugOverridesADenyDecision() {
    Map<String, String> in =
        Map.of(
            "X-B3-TraceId",
            TRACE_ID,
            "X-B3-SpanId",
            SPAN_ID,
            "X-B3-Sampled",
            "0",
            "X-B3-Flags",
            "1");

    assertThat(extract(in).isSampled()).isTrue();
  }

  @Test
  void b3Multi_otherFlagValues_areIgnored() {
    Map<String, String> in =
        Map.of(
            "X-B3-TraceId",
            TRACE_ID,
            "X-B3-SpanId",
            SPAN_ID,
            "X-B3-Sampled",
            "0",
            "X-B3-Flags",
            "2");

    assertThat(extract(in).isSampled()).isFalse();
    assertThat(inject(multi, extractContext(multi, in))).containsEntry("X-B3-Sampled", "0");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "80F198EE56343BA864FE8B2A57D3EFF7",
        "80f198ee56343ba864fe8b2a57d3eff",
        "80f198ee56343ba864fe8b2a57d3eff7a",
        "0000000000000000",
        "00000000000000000000000000000000",
        "80f198ee56343ba8-64fe8b2a57d3eff",
        "",
      })
  void b3Multi_invalidTraceId_extractsNoContext(String traceId) {
    assertThat(multiWith("X-B3-TraceId", traceId).isValid()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"E457B5A2E4D86BD1", "0000000000000000", "e457b5a2e4d86bd", "e457b5a2e4d86bd1 x"})
  void b3Multi_invalidSpanId_extractsNoContext(String spanId) {
    assertThat(multiWith("X-B3-SpanId", spanId).isValid()).isFalse();
  }

  @Test
  void b3Multi_samplingStateAlone_extractsNoContext() {
    Context context = Context.root();

    assertThat(multi.extract(context, Map.of("X-B3-Sampled", "1"), Carriers.mapGetter()))
        .isSameAs(context);
    assertThat(multi.extract(context, Map.of("X-B3-Flags", "1"), Carriers.mapGetter()))
        .isSameAs(context);
  }

  @Test
  void singleHeader_takesPrecedenceOverMultiHeaders() {
    Map<String, String> in = new HashMap<>();
    in.put("b3", TRACE_ID + "-" + SPAN_ID + "-1");
    in.put("X-B3-TraceId", "0af7651916cd43dd8448eb211c80319c");
    in.put("X-B3-SpanId", "b7ad6b7169203331");

    assertThat(extract(in).getTraceId()).isEqualTo(TRACE_ID);
  }

  @Test
  void invalidSingleHeader_fallsBackToMultiHeaders() {
    Map<String, String> in = new HashMap<>();
    in.put("b3", "garbage");
    in.put("X-B3-TraceId", TRACE_ID);
    in.put("X-B3-SpanId", SPAN_ID);

    assertThat(extract(in).getSpanId()).isEqualTo(SPAN_ID);
  }

  @Test
  void bothForms_extractAlike() {
    Map<String, String> in = Map.of("b3", TRACE_ID + "-" + SPAN_ID + "-1");

    assertThat(Span.fromContext(extractContext(multi, in)).getSpanContext())
        .isEqualTo(Span.fromContext(extractContext(single, in)).getSpanContext());
  }

  @Test
  void injectSingle_writesTraceSpanAndSamplingState() {
    Context context =
        contextWith(
            RemoteSpanContext.create(
                0x80f198ee56343ba8L, 0x64fe8b2a57d3eff7L, 0xe457b5a2e4d86bd1L, (byte) 1, null));

    assertThat(inject(single, context))
        .containsExactly(entry("b3", TRACE_ID + "-" + SPAN_ID + "-1"));
  }

  @Test
  void injectSingle_64BitTraceId_writes16HexDigits() {
    Context context =
        contextWith(
            RemoteSpanContext.create(0, 0x64fe8b2a57d3eff7L, 0xe457b5a2e4d86bd1L, (byte) 0, null));

    assertThat(inject(single, context))
        .containsExactly(entry("b3", TRACE_ID_64 + "-" + SPAN_ID + "-0"));
  }

  @Test
  void injectMulti_writesIdsAndSampled() {
    Context context =
        contextWith(
            RemoteSpanContext.create(
                0x80f198ee56343ba8L, 0x64fe8b2a57d3eff7L, 0xe457b5a2e4d86bd1L, (byte) 1, null));

    assertThat(inject(multi, context))
        .containsOnly(
            entry("X-B3-TraceId", TRACE_ID),
            entry("X-B3-SpanId", SPAN_ID),
            entry("X-B3-Sampled", "1"));
  }

  @Test
  void inject_spanContextOfAnotherImplementation_usesItsHexIds() {
    SpanContext other =
        SpanContext.create(TRACE_ID, SPAN_ID, TraceFlags.getSampled(), TraceState.getDefault());

    assertThat(inject(single, contextWith(other)).get("b3"))
        .isEqualTo(TRACE_ID + "-" + SPAN_ID + "-1");
    assertThat(inject(multi, contextWith(other))).containsEntry("X-B3-TraceId", TRACE_ID);
  }

  @Test
  void inject_invalidSpanContext_writesNothing() {
    assertThat(inject(single, Context.root())).isEmpty();
    assertThat(inject(multi, contextWith(SpanContext.getInvalid()))).isEmpty();
  }

  @Test
  void roundTrip_throughEitherForm_keepsIdsAndSampling() {
    for (B3Propagator propagator : new B3Propagator[] {single, multi}) {
      for (String traceId : new String[] {TRACE_ID, TRACE_ID_64}) {
        Context context = extractContext(single, Map.of("b3", traceId + "-" + SPAN_ID + "-1"));

        Map<String, String> sent = inject(propagator, context);
        SpanContext received = Span.fromContext(extractContext(propagator, sent)).getSpanContext();

        assertThat(received).isEqualTo(Span.fromContext(context).getSpanContext());
        assertThat(sent.values()).anyMatch(v -> v.startsWith(traceId));
      }
    }
  }

  @Test
  void nullsAnywhere_throwNothing() {
    TextMapGetter<Object> nulls =
        new TextMapGetter<>() {
          @Override
          public String get(Object carrier, String key) {
            return null;
          }
        };
    Context context = extractContext(single, Map.of("b3", TRACE_ID + "-" + SPAN_ID + "-1"));

    assertThatCode(
            () -> {
              single.extract(Context.root(), null, nulls);
              single.extract(Context.root(), null, Carriers.mapGetter());
              multi.extract(Context.root(), null, Carriers.mapGetter());
              assertThat(single.extract(null, Map.of(), Carriers.mapGetter())).isNotNull();
              single.extract(Context.root(), Map.of(), null);
              single.inject(context, null, Carriers.mapSetter());
              multi.inject(context, null, Carriers.mapSetter());
              single.inject(null, new HashMap<>(), Carriers.mapSetter());
              single.inject(context, new HashMap<>(), null);
            })
        .doesNotThrowAnyException();
  }

  private SpanContext multiWith(String name, String value) {
    Map<String, String> in = new HashMap<>();
    in.put("X-B3-TraceId", TRACE_ID);
    in.put("X-B3-SpanId", SPAN_ID);
    in.put(name, value);
    return Span.fromContext(extractContext(multi, in)).getSpanContext();
  }

  private SpanContext extract(Map<String, String> carrier) {
    return Span.fromContext(extractContext(single, carrier)).getSpanContext();
  }

  private static Context extractContext(B3Propagator propagator, Map<String, String> carrier) {
    return propagator.extract(Context.root(), carrier, Carriers.mapGetter());
  }

  private static Map<String, String> inject(B3Propagator propagator, Context context) {
    Map<String, String> carrier = new LinkedHashMap<>();
    propagator.inject(context, carrier, Carriers.mapSetter());
    return carrier;
  }

  private static Context contextWith(SpanContext span) {
    return Context.root().with(Span.wrap(span));
  }
}
