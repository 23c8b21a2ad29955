package dev.skein.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skein.propagation.FuzzHeaders.Header;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Inputs built to make a parser slow: a megabyte in one header, 100,000 separators, 10,000 repeats
 * of a header. Each must give the right answer, read the carrier a bounded number of times, and
 * allocate in proportion to its length: work that grows faster than the input shows there long
 * before it shows on a clock, so these tests measure no time.
 */
// A guard against a hang, so that CI fails instead of stalling; not a measure of speed.
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class PathologicalHeadersTest {

  private static final String TRACEPARENT =
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  private static final int MEGABYTE = 1 << 20;
  private static final int MANY = 100_000;
  private static final int REPEATS = 10_000;

  static Stream<TextMapPropagator> propagators() {
    return Stream.of(
        TraceContextPropagator.getInstance(),
        BaggagePropagator.getInstance(),
        B3Propagator.injectingSingleHeader(),
        B3Propagator.injectingMultiHeaders(),
        JaegerPropagator.getInstance(),
        Propagators.fromNames("tracecontext,baggage,b3,b3multi,jaeger"));
  }

  @ParameterizedTest
  @MethodSource("propagators")
  void aMegabyteInEachHeader_isRejected(TextMapPropagator propagator) {
    for (String field : propagator.fields()) {
      for (char filler : new char[] {'a', '0', '-', ',', '=', ' ', '%'}) {
        FuzzHeaders in = request(field, String.valueOf(filler).repeat(MEGABYTE));

        Context extracted = extractWithLinearWork(propagator, in);

        assertThat(Span.fromContext(extracted).getSpanContext().isValid())
            .as("%s: '%s' x 1 MB", field, filler)
            .isFalse();
        assertThat(Baggage.fromContext(extracted).isEmpty()).isTrue();
        assertThat(PropagatorChecks.inject(propagator, extracted)).isEmpty();
      }
    }
  }

  @ParameterizedTest
  @MethodSource("propagators")
  void tenThousandRepeatsOfEachHeader_areReadWithBoundedWork(TextMapPropagator propagator) {
    for (String field : propagator.fields()) {
      List<Header> headers = new ArrayList<>();
      for (int i = 0; i < REPEATS; i++) {
        headers.add(new Header(field, "k" + i + "=v," + TRACEPARENT));
      }
      FuzzHeaders in = FuzzHeaders.request(headers);

      Context extracted = extractWithLinearWork(propagator, in);

      assertThat(Span.fromContext(extracted).getSpanContext().isValid()).as(field).isFalse();
      Map<String, String> sent = PropagatorChecks.inject(propagator, extracted);
      sent.forEach((name, value) -> PropagatorChecks.assertLegalHeader(name, value, in));
    }
  }

  @Test
  void traceparentFollowedByAMegabyte_isInvalidForVersion00() {
    FuzzHeaders in = request("traceparent", TRACEPARENT + "-" + "0".repeat(MEGABYTE));

    assertThat(w3cSpan(in).isValid()).isFalse();
  }

  @Test
  void traceparentOfAHigherVersionFollowedByAMegabyte_keepsItsIds() {
    String higher = "cc" + TRACEPARENT.substring(2) + "-" + "x".repeat(MEGABYTE);

    SpanContext span = w3cSpan(request("traceparent", higher));

    assertThat(span.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(span.getSpanId()).isEqualTo("00f067aa0ba902b7");
  }

  @Test
  void tenThousandTraceparents_restartTheTrace() {
    List<Header> headers = new ArrayList<>();
    for (int i = 0; i < REPEATS; i++) {
      headers.add(new Header("traceparent", TRACEPARENT));
    }

    assertThat(w3cSpan(FuzzHeaders.request(headers)).isValid()).isFalse();
  }

  @Test
  void tracestateOfHundredThousandCommas_isEmptyAndTheTraceparentKept() {
    SpanContext span = w3cSpan(withTracestate(",".repeat(MANY)));

    assertThat(span.isValid()).isTrue();
    assertThat(span.getTraceState().isEmpty()).isTrue();
  }

  @Test
  void tracestateOfHundredThousandEqualsSigns_isDroppedAndTheTraceparentKept() {
    SpanContext span = w3cSpan(withTracestate("=".repeat(MANY)));

    assertThat(span.isValid()).isTrue();
    assertThat(span.getTraceState().isEmpty()).isTrue();
  }

  @Test
  void tracestateOfHundredThousandMembers_isDroppedAsOver32() {
    StringBuilder members = new StringBuilder();
    for (int i = 0; i < MANY; i++) {
      members.append(i == 0 ? "" : ",").append('k').append(i).append("=v");
    }

    SpanContext span = w3cSpan(withTracestate(members.toString()));

    assertThat(span.isValid()).isTrue();
    assertThat(span.getTraceState().isEmpty()).isTrue();
  }

  @Test
  void tenThousandTracestateHeaders_areCombinedAndDroppedAsOver32Members() {
    List<Header> headers = new ArrayList<>();
    headers.add(new Header("traceparent", TRACEPARENT));
    for (int i = 0; i < REPEATS; i++) {
      headers.add(new Header("tracestate", "k" + i + "=v"));
    }

    SpanContext span = w3cSpan(FuzzHeaders.request(headers));

    assertThat(span.isValid()).isTrue();
    assertThat(span.getTraceState().isEmpty()).isTrue();
  }

  @Test
  void baggageOfHundredThousandCommasOrEqualsSigns_isEmpty() {
    for (String separators : List.of(",".repeat(MANY), "=".repeat(MANY), ";".repeat(MANY))) {
      Context extracted =
          extractWithLinearWork(BaggagePropagator.getInstance(), request("baggage", separators));

      assertThat(Baggage.fromContext(extracted).isEmpty()).isTrue();
    }
  }

  @Test
  void baggageOfHundredThousandMembers_keepsABoundedNumberAndSendsAtMost64() {
    StringBuilder members = new StringBuilder();
    for (int i = 0; i < MANY; i++) {
      members.append(i == 0 ? "" : ",").append('k').append(i).append("=v");
    }
    TextMapPropagator baggage = BaggagePropagator.getInstance();

    Context extracted = extractWithLinearWork(baggage, request("baggage", members.toString()));

    assertThat(Baggage.fromContext(extracted).size()).isBetween(64, 180);
    String sent = PropagatorChecks.inject(baggage, extracted).get("baggage");
    assertThat(sent.split(",")).hasSize(64);
  }

  @Test
  void baggageValueOfAMegabyte_isKeptButNotSent() {
    TextMapPropagator baggage = BaggagePropagator.getInstance();

    Context extracted =
        extractWithLinearWork(baggage, request("baggage", "big=" + "v".repeat(MEGABYTE) + ",k=1"));

    assertThat(Baggage.fromContext(extracted).getEntryValue("big")).hasSize(MEGABYTE);
    assertThat(PropagatorChecks.inject(baggage, extracted))
        .containsExactly(Map.entry("baggage", "k=1"));
  }

  @Test
  void b3SingleHeaderFollowedByAMegabyte_isInvalid() {
    String b3 = "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1-" + "0".repeat(MEGABYTE);

    Context extracted =
        extractWithLinearWork(B3Propagator.injectingSingleHeader(), request("b3", b3));

    assertThat(Span.fromContext(extracted).getSpanContext().isValid()).isFalse();
  }

  @Test
  void tenThousandJaegerBaggageHeaders_keepABoundedNumber() {
    List<Header> headers = new ArrayList<>();
    for (int i = 0; i < REPEATS; i++) {
      headers.add(new Header("uberctx-k" + i, "v"));
    }
    TextMapPropagator jaeger = JaegerPropagator.getInstance();

    Context extracted = extractWithLinearWork(jaeger, FuzzHeaders.request(headers));

    assertThat(Baggage.fromContext(extracted).size()).isBetween(64, 180);
  }

  private static FuzzHeaders request(String name, String value) {
    return FuzzHeaders.request(List.of(new Header(name, value)));
  }

  private static FuzzHeaders withTracestate(String tracestate) {
    return FuzzHeaders.request(
        List.of(new Header("traceparent", TRACEPARENT), new Header("tracestate", tracestate)));
  }

  private static SpanContext w3cSpan(FuzzHeaders in) {
    Context extracted = extractWithLinearWork(TraceContextPropagator.getInstance(), in);
    return Span.fromContext(extracted).getSpanContext();
  }

  /**
   * Extracts, then injects, and checks the work done: carrier reads linear in the number of
   * headers, and bytes allocated at most a small multiple of the characters received (a copy or two
   * of the input is fine; a copy per member or per character is not).
   */
  private static Context extractWithLinearWork(TextMapPropagator propagator, FuzzHeaders in) {
    long chars = in.totalLength();
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    Context extracted = propagator.extract(Context.root(), in, FuzzHeaders.GETTER);
    PropagatorChecks.inject(propagator, extracted);
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;

    assertThat(in.reads)
        .as("carrier reads by %s", propagator)
        .isLessThanOrEqualTo(PropagatorChecks.readBound(propagator, in));
    assertThat(allocated)
        .as("bytes allocated by %s for %,d characters", propagator, chars)
        .isLessThanOrEqualTo(16 * chars + 64 * 1024);
    return extracted;
  }
}
