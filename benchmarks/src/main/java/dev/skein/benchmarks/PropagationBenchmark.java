package dev.skein.benchmarks;

import brave.propagation.B3Propagation;
import brave.propagation.Propagation;
import brave.propagation.TraceContext;
import brave.propagation.TraceContextOrSamplingFlags;
import dev.skein.propagation.B3Propagator;
import dev.skein.propagation.TraceContextPropagator;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One hop of context propagation: extract from incoming headers, inject into outgoing ones. Skein's
 * propagators against the OpenTelemetry API's W3C propagator and Brave's B3. Method names are
 * {@code <system>_<scenario>}; {@link PropagationComparison} puts each scenario's pair in a row.
 *
 * <p>Every system reads the same {@code HashMap} through a plain getter and writes into a reused
 * map that is cleared first, so the figures are the propagators' own cost: no carrier is built per
 * operation and no header is read twice. Each method returns the headers it wrote, so nothing can
 * be optimised away.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class PropagationBenchmark {

  static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  static final String TRACESTATE = "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE";
  static final String TRACE_ID = "80f198ee56343ba864fe8b2a57d3eff7";
  static final String SPAN_ID = "e457b5a2e4d86bd1";

  // The same getter and setter for Skein and OpenTelemetry, so neither gets a faster carrier.
  static final TextMapGetter<Map<String, String>> GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };

  static final TextMapSetter<Map<String, String>> SETTER = Map::put;

  // W3C traceparent alone.

  @Benchmark
  public Map<String, String> skein_traceparent(Headers h) {
    return hop(h.skeinW3c, h.traceparent, h.out);
  }

  @Benchmark
  public Map<String, String> otel_traceparent(Headers h) {
    return hop(h.otelW3c, h.traceparent, h.out);
  }

  // W3C traceparent with a two-member tracestate.

  @Benchmark
  public Map<String, String> skein_tracestate(Headers h) {
    return hop(h.skeinW3c, h.withTracestate, h.out);
  }

  @Benchmark
  public Map<String, String> otel_tracestate(Headers h) {
    return hop(h.otelW3c, h.withTracestate, h.out);
  }

  // B3, the single "b3" header in and out.

  @Benchmark
  public Map<String, String> skein_b3single(Headers h) {
    return hop(h.skeinB3Single, h.b3Single, h.out);
  }

  @Benchmark
  public Map<String, String> brave_b3single(Headers h) {
    return hop(h.braveB3SingleExtractor, h.braveB3SingleInjector, h.b3Single, h.out);
  }

  // B3, the X-B3-* headers in and out.

  @Benchmark
  public Map<String, String> skein_b3multi(Headers h) {
    return hop(h.skeinB3Multi, h.b3Multi, h.out);
  }

  @Benchmark
  public Map<String, String> brave_b3multi(Headers h) {
    return hop(h.braveB3MultiExtractor, h.braveB3MultiInjector, h.b3Multi, h.out);
  }

  static Map<String, String> hop(
      TextMapPropagator propagator, Map<String, String> in, Map<String, String> out) {
    out.clear();
    Context context = propagator.extract(Context.root(), in, GETTER);
    propagator.inject(context, out, SETTER);
    return out;
  }

  static Map<String, String> hop(
      TraceContext.Extractor<Map<String, String>> extractor,
      TraceContext.Injector<Map<String, String>> injector,
      Map<String, String> in,
      Map<String, String> out) {
    out.clear();
    TraceContextOrSamplingFlags extracted = extractor.extract(in);
    injector.inject(extracted.context(), out);
    return out;
  }

  @State(Scope.Thread)
  public static class Headers {
    TextMapPropagator skeinW3c;
    TextMapPropagator otelW3c;
    TextMapPropagator skeinB3Single;
    TextMapPropagator skeinB3Multi;
    TraceContext.Extractor<Map<String, String>> braveB3SingleExtractor;
    TraceContext.Injector<Map<String, String>> braveB3SingleInjector;
    TraceContext.Extractor<Map<String, String>> braveB3MultiExtractor;
    TraceContext.Injector<Map<String, String>> braveB3MultiInjector;

    Map<String, String> traceparent;
    Map<String, String> withTracestate;
    Map<String, String> b3Single;
    Map<String, String> b3Multi;
    final Map<String, String> out = new HashMap<>();

    @Setup
    public void setUp() {
      skeinW3c = TraceContextPropagator.getInstance();
      otelW3c = W3CTraceContextPropagator.getInstance();
      skeinB3Single = B3Propagator.injectingSingleHeader();
      skeinB3Multi = B3Propagator.injectingMultiHeaders();

      Propagation<String> braveSingle =
          B3Propagation.newFactoryBuilder().injectFormat(B3Propagation.Format.SINGLE).build().get();
      Propagation<String> braveMulti = B3Propagation.get();
      braveB3SingleExtractor = braveSingle.extractor(Map::get);
      braveB3SingleInjector = braveSingle.injector(Map::put);
      braveB3MultiExtractor = braveMulti.extractor(Map::get);
      braveB3MultiInjector = braveMulti.injector(Map::put);

      traceparent = headers("traceparent", TRACEPARENT);
      withTracestate = headers("traceparent", TRACEPARENT, "tracestate", TRACESTATE);
      b3Single = headers("b3", TRACE_ID + "-" + SPAN_ID + "-1");
      // Brave writes and reads these names as spelled here; HTTP/2 peers would send them in
      // lowercase, which the getter would then have to match.
      b3Multi = headers("X-B3-TraceId", TRACE_ID, "X-B3-SpanId", SPAN_ID, "X-B3-Sampled", "1");
      checkEverySystemPropagates();
    }

    private static Map<String, String> headers(String... namesAndValues) {
      Map<String, String> headers = new HashMap<>();
      for (int i = 0; i < namesAndValues.length; i += 2) {
        headers.put(namesAndValues[i], namesAndValues[i + 1]);
      }
      return headers;
    }

    /** A benchmark of a propagator that writes nothing would measure the wrong thing: fail. */
    private void checkEverySystemPropagates() {
      expect(hop(skeinW3c, withTracestate, out), withTracestate);
      expect(hop(otelW3c, withTracestate, out), withTracestate);
      expect(hop(skeinB3Single, b3Single, out), b3Single);
      expect(hop(braveB3SingleExtractor, braveB3SingleInjector, b3Single, out), b3Single);
      expect(hop(skeinB3Multi, b3Multi, out), b3Multi);
      expect(hop(braveB3MultiExtractor, braveB3MultiInjector, b3Multi, out), b3Multi);
      out.clear();
    }

    private static void expect(Map<String, String> written, Map<String, String> received) {
      if (!written.equals(received)) {
        throw new IllegalStateException("sent " + written + " for " + received);
      }
    }
  }
}
