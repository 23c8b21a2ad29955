package dev.skein.propagation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PropagatorsTest {

  private static final String TRACE_ID = "80f198ee56343ba864fe8b2a57d3eff7";
  private static final String SPAN_ID = "e457b5a2e4d86bd1";

  @Test
  void fromNames_eachName_isItsPropagator() {
    assertThat(Propagators.fromNames("tracecontext"))
        .isSameAs(TraceContextPropagator.getInstance());
    assertThat(Propagators.fromNames("baggage")).isSameAs(BaggagePropagator.getInstance());
    assertThat(Propagators.fromNames("b3")).isSameAs(B3Propagator.injectingSingleHeader());
    assertThat(Propagators.fromNames("b3multi")).isSameAs(B3Propagator.injectingMultiHeaders());
    assertThat(Propagators.fromNames("jaeger")).isSameAs(JaegerPropagator.getInstance());
  }

  @Test
  void fromNames_caseAndBlanks_areIgnored() {
    assertThat(Propagators.fromNames(" B3Multi , ,\t"))
        .isSameAs(B3Propagator.injectingMultiHeaders());
  }

  @Test
  void fromNames_repeatedName_countsOnce() {
    assertThat(Propagators.fromNames("jaeger,JAEGER, jaeger"))
        .isSameAs(JaegerPropagator.getInstance());
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "", " , ", "none,none"})
  void fromNames_noneOrNothing_isANoop(String names) {
    assertThat(Propagators.fromNames(names)).isSameAs(TextMapPropagator.noop());
  }

  @Test
  void fromNames_null_isANoop() {
    assertThat(Propagators.fromNames(null)).isSameAs(TextMapPropagator.noop());
  }

  @Test
  void fromNames_noneBesideOthers_addsNothing() {
    assertThat(Propagators.fromNames("none,b3")).isSameAs(B3Propagator.injectingSingleHeader());
  }

  @Test
  void fromNames_unknownName_namesItAndTheKnownOnes() {
    assertThatThrownBy(() -> Propagators.fromNames("tracecontext,XRay"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "OTEL_PROPAGATORS: unknown propagator 'XRay'"
                + " (known: tracecontext, baggage, b3, b3multi, jaeger, none)");
  }

  @Test
  void fromNames_severalNames_composeInOrder() {
    TextMapPropagator composite = Propagators.fromNames("tracecontext,baggage,b3multi,jaeger");

    assertThat(composite.fields())
        .containsExactly(
            "traceparent",
            "tracestate",
            "baggage",
            "X-B3-TraceId",
            "X-B3-SpanId",
            "X-B3-ParentSpanId",
            "X-B3-Sampled",
            "X-B3-Flags",
            "uber-trace-id");
  }

  @Test
  void composite_injectsEveryFormAndExtractsFromAny() {
    TextMapPropagator composite = Propagators.fromNames("b3,b3multi,jaeger,baggage");
    Context context =
        Baggage.builder()
            .put("k", "v")
            .build()
            .storeInContext(
                Context.root()
                    .with(
                        Span.wrap(
                            RemoteSpanContext.create(
                                0x80f198ee56343ba8L,
                                0x64fe8b2a57d3eff7L,
                                0xe457b5a2e4d86bd1L,
                                (byte) 1,
                                null))));

    Map<String, String> sent = new LinkedHashMap<>();
    composite.inject(context, sent, Carriers.mapSetter());

    assertThat(sent)
        .containsEntry("b3", TRACE_ID + "-" + SPAN_ID + "-1")
        .containsEntry("X-B3-TraceId", TRACE_ID)
        .containsEntry("uber-trace-id", TRACE_ID + ":" + SPAN_ID + ":0:01")
        .containsEntry("uberctx-k", "v")
        .containsEntry("baggage", "k=v");
    for (String only : new String[] {"b3", "uber-trace-id"}) {
      Map<String, String> one = new HashMap<>();
      one.put(only, sent.get(only));
      Context received = composite.extract(Context.root(), one, Carriers.mapGetter());
      assertThat(Span.fromContext(received).getSpanContext())
          .isEqualTo(Span.fromContext(context).getSpanContext());
    }
  }

  @Test
  void composite_laterPropagatorWinsWhenBothFind_aContext() {
    Map<String, String> in = new HashMap<>();
    in.put("b3", TRACE_ID + "-" + SPAN_ID + "-1");
    in.put("uber-trace-id", "abc:def:0:1");

    Context jaegerLast =
        Propagators.fromNames("b3,jaeger").extract(Context.root(), in, Carriers.mapGetter());
    Context b3Last =
        Propagators.fromNames("jaeger,b3").extract(Context.root(), in, Carriers.mapGetter());

    assertThat(Span.fromContext(jaegerLast).getSpanContext().getSpanId())
        .isEqualTo("0000000000000def");
    assertThat(Span.fromContext(b3Last).getSpanContext().getSpanId()).isEqualTo(SPAN_ID);
  }

  @Test
  void composite_sameSpanInW3cAndB3_keepsTheW3cTraceStateAndFlags() {
    Map<String, String> in = new HashMap<>();
    in.put("traceparent", "00-" + TRACE_ID + "-" + SPAN_ID + "-03");
    in.put("tracestate", "rojo=00f067aa0ba902b7");
    in.put("b3", TRACE_ID + "-" + SPAN_ID + "-1");

    Context received =
        Propagators.fromNames("tracecontext,b3").extract(Context.root(), in, Carriers.mapGetter());

    SpanContext span = Span.fromContext(received).getSpanContext();
    assertThat(span.getTraceState().get("rojo")).isEqualTo("00f067aa0ba902b7");
    assertThat(span.getTraceFlags().asHex()).isEqualTo("03");
  }
}
