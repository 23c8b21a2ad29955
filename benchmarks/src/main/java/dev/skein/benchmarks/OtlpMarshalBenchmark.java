package dev.skein.benchmarks;

import dev.skein.exporter.WireBuffer;
import dev.skein.exporter.otlp.OtlpJsonEncoder;
import dev.skein.exporter.otlp.OtlpProtoEncoder;
import dev.skein.sdk.SkeinSdk;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.internal.otlp.traces.LowAllocationTraceRequestMarshaler;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding one batch of 512 spans as an OTLP export request, in Skein's encoders and in the
 * OpenTelemetry exporter's marshalers (opentelemetry-exporter-otlp-common 1.67.0).
 *
 * <p>One invocation encodes the whole batch; {@link OperationsPerInvocation} makes JMH report per
 * span, so the score is spans per second and {@code gc.alloc.rate.norm} is bytes allocated per
 * span. Both sides write into a sink reused across invocations (a {@link WireBuffer}, a {@link
 * ByteArrayOutputStream}), as their exporters do.
 *
 * <p>The spans come from each SDK running the same code ({@link #record}) behind the OpenTelemetry
 * API: 64 traces of 8 spans, each trace a server span under a remote parent with a trace state and
 * seven children, 5 to 10 attributes per span (strings, longs, booleans, doubles), an event with
 * attributes on one span in four, an error status on one in sixteen.
 *
 * <p>{@code otel_proto} is {@code TraceRequestMarshaler}, what the OpenTelemetry exporter uses with
 * {@code MemoryMode.IMMUTABLE_DATA}; {@code otel_proto_lowAllocation} is {@code
 * LowAllocationTraceRequestMarshaler}, used with {@code MemoryMode.REUSABLE_DATA}, the default of
 * the 1.67.0 OTLP exporters.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(OtlpMarshalBenchmark.BATCH)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class OtlpMarshalBenchmark {

  static final int BATCH = 512;
  private static final int SPANS_PER_TRACE = 8;

  private List<dev.skein.sdk.SpanData> skeinSpans;
  private List<SpanData> otelSpans;

  private final OtlpProtoEncoder skeinProto = new OtlpProtoEncoder();
  private final OtlpJsonEncoder skeinJson = new OtlpJsonEncoder();
  private final WireBuffer buffer = new WireBuffer(64 * 1024);

  private final LowAllocationTraceRequestMarshaler lowAllocation =
      new LowAllocationTraceRequestMarshaler();
  private final ByteArrayOutputStream stream = new ByteArrayOutputStream(64 * 1024);

  @Setup
  public void setUp() throws IOException {
    dev.skein.sdk.export.InMemorySpanExporter skeinExporter =
        dev.skein.sdk.export.InMemorySpanExporter.create();
    try (SkeinSdk sdk =
        SkeinSdk.builder()
            .setServiceName("checkout")
            .addSpanProcessor(dev.skein.sdk.export.SimpleSpanProcessor.create(skeinExporter))
            .build()) {
      record(sdk.getTracerProvider().get(Tracers.SCOPE, "1.0.0"));
    }
    skeinSpans = skeinExporter.finishedSpans();

    InMemorySpanExporter otelExporter = InMemorySpanExporter.create();
    try (SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault()
                    .merge(
                        Resource.create(
                            Attributes.of(AttributeKey.stringKey("service.name"), "checkout"))))
            .addSpanProcessor(SimpleSpanProcessor.create(otelExporter))
            .build()) {
      record(provider.get(Tracers.SCOPE, "1.0.0"));
      otelSpans = otelExporter.getFinishedSpanItems(); // closing the provider clears them
    }

    if (skeinSpans.size() != BATCH || otelSpans.size() != BATCH) {
      throw new IllegalStateException(
          "expected " + BATCH + " spans, got " + skeinSpans.size() + " and " + otelSpans.size());
    }
    System.out.printf(
        "%nencoded batch: skein proto %d B, otel proto %d B, skein json %d B, otel json %d B%n",
        skein_proto(), otel_proto(), skein_json(), otel_json());
  }

  /** The workload, the same for both SDKs; seeded, so both get the same shapes and values. */
  static void record(Tracer tracer) {
    Random random = new Random(42);
    String[] routes = {"/cart/{id}", "/checkout", "/items", "/users/{id}/orders"};
    for (int trace = 0; trace < BATCH / SPANS_PER_TRACE; trace++) {
      SpanContext remote =
          SpanContext.createFromRemoteParent(
              String.format("%016x%016x", random.nextLong(), random.nextLong()),
              String.format("%016x", random.nextLong() | 1),
              TraceFlags.getSampled(),
              TraceState.builder().put("vendor", "t" + trace).build());
      Span server =
          tracer
              .spanBuilder("GET " + routes[trace % routes.length])
              .setSpanKind(SpanKind.SERVER)
              .setParent(Context.root().with(Span.wrap(remote)))
              .startSpan();
      decorate(server, trace * SPANS_PER_TRACE, random);
      Context parent = Context.root().with(server);
      for (int child = 1; child < SPANS_PER_TRACE; child++) {
        int index = trace * SPANS_PER_TRACE + child;
        Span span =
            tracer
                .spanBuilder(child % 2 == 0 ? "SELECT orders" : "call inventory")
                .setSpanKind(child % 2 == 0 ? SpanKind.CLIENT : SpanKind.INTERNAL)
                .setParent(parent)
                .startSpan();
        decorate(span, index, random);
        span.end();
      }
      server.end();
    }
  }

  private static final AttributeKey<String> HTTP_METHOD = AttributeKey.stringKey("http.method");
  private static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
  private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.status_code");
  private static final AttributeKey<Boolean> CACHED = AttributeKey.booleanKey("cache.hit");
  private static final AttributeKey<Double> RATIO = AttributeKey.doubleKey("sample.ratio");
  private static final AttributeKey<String> USER = AttributeKey.stringKey("enduser.id");
  private static final AttributeKey<Long> SIZE = AttributeKey.longKey("http.response_size");
  private static final AttributeKey<String> PEER = AttributeKey.stringKey("peer.service");
  private static final AttributeKey<Double> LATENCY = AttributeKey.doubleKey("db.latency_ms");
  private static final AttributeKey<Boolean> RETRY = AttributeKey.booleanKey("retry");

  /** 5 to 10 attributes, an event on one span in four, an error on one in sixteen. */
  private static void decorate(Span span, int index, Random random) {
    int count = 5 + index % 6;
    span.setAttribute(HTTP_METHOD, index % 3 == 0 ? "POST" : "GET");
    span.setAttribute(HTTP_ROUTE, "/api/v1/items/" + random.nextInt(10_000));
    span.setAttribute(STATUS, index % 16 == 0 ? 500L : 200L);
    span.setAttribute(CACHED, random.nextBoolean());
    span.setAttribute(RATIO, random.nextDouble());
    if (count > 5) {
      span.setAttribute(USER, "user-" + random.nextInt(100_000));
    }
    if (count > 6) {
      span.setAttribute(SIZE, random.nextInt(1 << 20));
    }
    if (count > 7) {
      span.setAttribute(PEER, "inventory-service");
    }
    if (count > 8) {
      span.setAttribute(LATENCY, random.nextDouble() * 100);
    }
    if (count > 9) {
      span.setAttribute(RETRY, false);
    }
    if (index % 4 == 0) {
      span.addEvent(
          "cache.miss",
          Attributes.of(
              AttributeKey.stringKey("cache.key"),
              "item:" + random.nextInt(1000),
              AttributeKey.longKey("cache.size"),
              (long) random.nextInt(4096)));
    }
    if (index % 16 == 0) {
      span.setStatus(StatusCode.ERROR, "upstream returned 500");
    }
  }

  @Benchmark
  public int skein_proto() {
    buffer.reset();
    skeinProto.encode(skeinSpans, buffer);
    return buffer.size();
  }

  @Benchmark
  public int skein_json() {
    buffer.reset();
    skeinJson.encode(skeinSpans, buffer);
    return buffer.size();
  }

  @Benchmark
  public int otel_proto() throws IOException {
    stream.reset();
    TraceRequestMarshaler.create(otelSpans).writeBinaryTo(stream);
    return stream.size();
  }

  @Benchmark
  public int otel_proto_lowAllocation() throws IOException {
    stream.reset();
    lowAllocation.initialize(otelSpans);
    try {
      lowAllocation.writeBinaryTo(stream);
    } finally {
      lowAllocation.reset();
    }
    return stream.size();
  }

  @Benchmark
  public int otel_json() throws IOException {
    stream.reset();
    TraceRequestMarshaler.create(otelSpans).writeJsonTo(stream);
    return stream.size();
  }
}
