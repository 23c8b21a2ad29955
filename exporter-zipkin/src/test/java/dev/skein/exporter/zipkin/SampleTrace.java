package dev.skein.exporter.zipkin;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import dev.skein.sdk.SkeinSdk;
import dev.skein.sdk.SpanData;
import dev.skein.sdk.export.InMemorySpanExporter;
import dev.skein.sdk.export.SimpleSpanProcessor;
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
import java.util.List;
import zipkin2.Endpoint;

/**
 * One request through a service, recorded by the real SDK: a server span continuing a remote
 * caller's trace (failed, with events and attributes of every type), a database client call, and a
 * sub-microsecond internal step. {@link #expected} states, field by field and with literal values,
 * the Zipkin spans they must become, in Zipkin's own model.
 */
final class SampleTrace {

  static final String SERVICE = "checkout";
  static final String REMOTE_PARENT_SPAN_ID = "00f067aa0ba902b7";

  final String traceId;
  final long base;
  final SpanData server;
  final SpanData client;
  final SpanData internal;

  private SampleTrace(String traceId, long base, List<SpanData> spans) {
    this.traceId = traceId;
    this.base = base;
    this.server = find(spans, SpanKind.SERVER);
    this.client = find(spans, SpanKind.CLIENT);
    this.internal = find(spans, SpanKind.INTERNAL);
  }

  /**
   * Records the trace in the trace of the given 32-hex id, its times counted from {@code
   * baseEpochNanos} cut to a whole microsecond (so the expected microsecond values are exact).
   */
  static SampleTrace record(String traceId, long baseEpochNanos) {
    long t = baseEpochNanos - baseEpochNanos % 1000;
    InMemorySpanExporter memory = InMemorySpanExporter.create();
    try (SkeinSdk sdk =
        SkeinSdk.builder()
            .setServiceName(SERVICE)
            .addSpanProcessor(SimpleSpanProcessor.create(memory))
            .build()) {
      Tracer tracer =
          sdk.getTracerProvider()
              .tracerBuilder("dev.skein.test")
              .setInstrumentationVersion("1.2.3")
              .build();
      SpanContext caller =
          SpanContext.createFromRemoteParent(
              traceId, REMOTE_PARENT_SPAN_ID, TraceFlags.getSampled(), TraceState.getDefault());

      Span server =
          tracer
              .spanBuilder("GET /orders/{id}")
              .setSpanKind(SpanKind.SERVER)
              .setParent(Context.root().with(Span.wrap(caller)))
              .setStartTimestamp(t, NANOSECONDS)
              .setAttribute("http.request.method", "GET")
              .setAttribute("url.path", "/orders/7?q=\"x\"")
              .setAttribute("http.response.status_code", 500L)
              .setAttribute("retry.ratio", 0.25)
              .setAttribute("cache.hit", false)
              .setAttribute(AttributeKey.stringArrayKey("order.tags"), List.of("a", "b\"c"))
              .setAttribute(AttributeKey.longArrayKey("order.sizes"), List.of(1L, 20L))
              .startSpan();
      server.addEvent(
          "order.loaded",
          Attributes.builder()
              .put("order.id", 7L)
              .put(AttributeKey.stringArrayKey("items"), List.of("x", "y"))
              .build(),
          t + 1_000_000,
          NANOSECONDS);
      server.addEvent("cache.miss", t + 1_500_000, NANOSECONDS);

      Span client =
          tracer
              .spanBuilder("SELECT orders")
              .setSpanKind(SpanKind.CLIENT)
              .setParent(Context.root().with(server))
              .setStartTimestamp(t + 2_000_000, NANOSECONDS)
              .setAttribute("db.system", "postgresql")
              .setAttribute("peer.service", "orders-db")
              .setAttribute("server.address", "db.internal")
              .setAttribute("server.port", 5432L)
              .setAttribute("network.peer.address", "10.1.2.3")
              .startSpan();
      client.setStatus(StatusCode.OK);
      client.end(t + 4_500_000, NANOSECONDS);

      Span internal =
          tracer
              .spanBuilder("render")
              .setParent(Context.root().with(server))
              .setStartTimestamp(t + 5_000_100, NANOSECONDS)
              .startSpan();
      internal.end(t + 5_000_700, NANOSECONDS); // 600 ns: within one microsecond

      server.setStatus(StatusCode.ERROR, "db timeout");
      server.end(t + 6_000_000, NANOSECONDS);
    }
    return new SampleTrace(traceId, t, memory.finishedSpans());
  }

  List<SpanData> spans() {
    return List.of(server, client, internal);
  }

  /** What Zipkin must hold for {@link #spans()}, in the same order. */
  List<zipkin2.Span> expected() {
    long t = base / 1000;
    Endpoint local = Endpoint.newBuilder().serviceName(SERVICE).build();
    zipkin2.Span serverSpan =
        zipkin2.Span.newBuilder()
            .traceId(traceId)
            .parentId(REMOTE_PARENT_SPAN_ID)
            .id(server.spanContext().getSpanId())
            .kind(zipkin2.Span.Kind.SERVER)
            .name("get /orders/{id}")
            .timestamp(t)
            .duration(6_000)
            .localEndpoint(local)
            .addAnnotation(t + 1_000, "\"order.loaded\":{\"items\":[\"x\",\"y\"],\"order.id\":7}")
            .addAnnotation(t + 1_500, "cache.miss")
            .putTag("http.request.method", "GET")
            .putTag("url.path", "/orders/7?q=\"x\"")
            .putTag("http.response.status_code", "500")
            .putTag("retry.ratio", "0.25")
            .putTag("cache.hit", "false")
            .putTag("order.tags", "[\"a\",\"b\\\"c\"]")
            .putTag("order.sizes", "[1,20]")
            .putTag("otel.status_code", "ERROR")
            .putTag("error", "db timeout")
            .putTag("otel.scope.name", "dev.skein.test")
            .putTag("otel.scope.version", "1.2.3")
            .build();
    zipkin2.Span clientSpan =
        zipkin2.Span.newBuilder()
            .traceId(traceId)
            .parentId(server.spanContext().getSpanId())
            .id(client.spanContext().getSpanId())
            .kind(zipkin2.Span.Kind.CLIENT)
            .name("select orders")
            .timestamp(t + 2_000)
            .duration(2_500)
            .localEndpoint(local)
            .remoteEndpoint(
                Endpoint.newBuilder().serviceName("orders-db").ip("10.1.2.3").port(5432).build())
            .putTag("db.system", "postgresql")
            .putTag("peer.service", "orders-db")
            .putTag("server.address", "db.internal")
            .putTag("server.port", "5432")
            .putTag("network.peer.address", "10.1.2.3")
            .putTag("otel.status_code", "OK")
            .putTag("otel.scope.name", "dev.skein.test")
            .putTag("otel.scope.version", "1.2.3")
            .build();
    zipkin2.Span internalSpan =
        zipkin2.Span.newBuilder()
            .traceId(traceId)
            .parentId(server.spanContext().getSpanId())
            .id(internal.spanContext().getSpanId())
            .name("render")
            .timestamp(t + 5_000)
            .duration(1)
            .localEndpoint(local)
            .putTag("otel.scope.name", "dev.skein.test")
            .putTag("otel.scope.version", "1.2.3")
            .build();
    return List.of(serverSpan, clientSpan, internalSpan);
  }

  private static SpanData find(List<SpanData> spans, SpanKind kind) {
    return spans.stream()
        .filter(s -> s.kind() == kind)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " span in " + spans));
  }
}
