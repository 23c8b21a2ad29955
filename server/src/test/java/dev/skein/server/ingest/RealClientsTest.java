package dev.skein.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skein.server.log.FileIngestLog;
import dev.skein.storage.Attribute;
import dev.skein.storage.Span;
import dev.skein.storage.SpanEvent;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zipkin2.Endpoint;
import zipkin2.codec.SpanBytesEncoder;
import zipkin2.reporter.Encoding;
import zipkin2.reporter.urlconnection.URLConnectionSender;

/**
 * The OpenTelemetry SDK's own OTLP exporters and Zipkin's reporter, against a real server whose
 * sink is a real ingest log: what they send arrives intact and durable.
 */
class RealClientsTest {
  @TempDir Path dir;
  private LogSink sink;
  private TestServer server;

  @BeforeEach
  void start() throws IOException {
    start("log");
  }

  /** A fresh log and server, so that each round sees only its own spans. */
  private void start(String logName) throws IOException {
    sink = new LogSink(dir.resolve(logName), FileIngestLog.Options.defaults());
    server = new TestServer(sink, ReceiverSettings.defaults());
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
    sink.close();
  }

  @Test
  void otlpGrpcExporter_deliversSpansIntact() throws IOException {
    OtlpGrpcSpanExporter exporter =
        OtlpGrpcSpanExporter.builder().setEndpoint(server.uri()).setRetryPolicy(null).build();
    List<SpanData> sent = exportTrace(exporter, "checkout");
    assertDelivered(sent, "checkout");
    assertThat(server.receivers.otlpGrpcMetrics().spansAccepted()).isEqualTo(sent.size());
  }

  @Test
  void otlpGrpcExporter_withGzip_deliversSpansIntact() throws IOException {
    OtlpGrpcSpanExporter exporter =
        OtlpGrpcSpanExporter.builder()
            .setEndpoint(server.uri())
            .setCompression("gzip")
            .setRetryPolicy(null)
            .build();
    assertDelivered(exportTrace(exporter, "gzipped"), "gzipped");
  }

  @Test
  void otlpHttpExporter_deliversSpansIntact_plainAndGzipped() throws IOException {
    for (String compression : List.of("none", "gzip")) {
      OtlpHttpSpanExporter exporter =
          OtlpHttpSpanExporter.builder()
              .setEndpoint(server.uri() + Receivers.OTLP_HTTP_PATH)
              .setCompression(compression)
              .setRetryPolicy(null)
              .build();
      List<SpanData> sent = exportTrace(exporter, "cart-" + compression);
      assertThat(sink.spans()).hasSize(sent.size());
      assertDelivered(sent, "cart-" + compression);
      stop();
      start(compression);
    }
  }

  @Test
  void zipkinReporter_deliversSpansIntact_inJsonAndProto3() throws IOException {
    for (Encoding encoding : List.of(Encoding.JSON, Encoding.PROTO3)) {
      zipkin2.Span client =
          zipkin2.Span.newBuilder()
              .traceId("463ac35c9f6413ad48485a3953bb6124")
              .parentId("a2fb4a1d1a96d312")
              .id("b2fb4a1d1a96d312")
              .name("get /users/{id}")
              .kind(zipkin2.Span.Kind.CLIENT)
              .timestamp(1_700_000_000_123_456L)
              .duration(2_500L)
              .localEndpoint(Endpoint.newBuilder().serviceName("frontend").ip("10.1.2.3").build())
              .remoteEndpoint(
                  Endpoint.newBuilder()
                      .serviceName("users")
                      .ip("2001:db8::c001")
                      .port(8080)
                      .build())
              .addAnnotation(1_700_000_000_124_000L, "ws")
              .putTag("http.method", "GET")
              .putTag("error", "timeout")
              .build();
      zipkin2.Span server =
          client.toBuilder()
              .kind(zipkin2.Span.Kind.SERVER)
              .shared(true)
              .localEndpoint(Endpoint.newBuilder().serviceName("users").build())
              .remoteEndpoint(null)
              .clearTags()
              .build();
      SpanBytesEncoder encoder =
          encoding == Encoding.JSON ? SpanBytesEncoder.JSON_V2 : SpanBytesEncoder.PROTO3;
      try (URLConnectionSender sender =
          URLConnectionSender.newBuilder()
              .endpoint(this.server.uri() + Receivers.ZIPKIN_PATH)
              .encoding(encoding)
              .build()) {
        sender.send(List.of(encoder.encode(client), encoder.encode(server)));
      }

      List<Span> received = sink.spansOnDisk();
      assertThat(received).hasSize(2);
      Span first = received.get(0);
      assertThat(first.traceId().toHex()).isEqualTo("463ac35c9f6413ad48485a3953bb6124");
      assertThat(first.parentSpanId()).isEqualTo(0xa2fb4a1d1a96d312L);
      assertThat(first.spanId()).isEqualTo(0xb2fb4a1d1a96d312L);
      assertThat(first.name()).isEqualTo("get /users/{id}");
      assertThat(first.kind()).isEqualTo(Span.Kind.CLIENT);
      assertThat(first.service()).isEqualTo("frontend");
      assertThat(first.startEpochNanos()).isEqualTo(1_700_000_000_123_456_000L);
      assertThat(first.durationNanos()).isEqualTo(2_500_000L);
      assertThat(first.status()).isEqualTo(Span.Status.ERROR);
      assertThat(first.statusMessage()).isEqualTo("timeout");
      assertThat(first.attributes())
          .containsExactly(
              new Attribute("http.method", "GET"),
              new Attribute("peer.service", "users"),
              new Attribute("network.peer.address", "2001:db8::c001"),
              new Attribute("network.peer.port", 8080L),
              new Attribute("network.local.address", "10.1.2.3"));
      assertThat(first.events())
          .containsExactly(new SpanEvent(1_700_000_000_124_000_000L, "ws", List.of()));
      Span second = received.get(1);
      assertThat(second.kind()).isEqualTo(Span.Kind.SERVER);
      assertThat(second.service()).isEqualTo("users");
      assertThat(second.status()).isEqualTo(Span.Status.UNSET);
      assertThat(second.attributes()).containsExactly(new Attribute("zipkin.shared", true));
      assertThat(this.server.receivers.zipkinMetrics().spansAccepted()).isEqualTo(2);
      stop();
      start(encoding.name());
    }
  }

  /** A server span with a client child, exported through {@code exporter}; returns what it sent. */
  private static List<SpanData> exportTrace(SpanExporter exporter, String service) {
    List<SpanData> sent = new ArrayList<>();
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault()
                    .merge(
                        Resource.create(
                            Attributes.of(
                                AttributeKey.stringKey("service.name"),
                                service,
                                AttributeKey.stringKey("deployment.environment"),
                                "test"))))
            .addSpanProcessor(new Capture(sent))
            .build();
    Tracer tracer = provider.get("io.skein.test", "1.0.0");
    io.opentelemetry.api.trace.Span root =
        tracer
            .spanBuilder("POST /checkout")
            .setSpanKind(SpanKind.SERVER)
            .setAttribute("http.request.method", "POST")
            .setAttribute("http.response.status_code", 500L)
            .startSpan();
    io.opentelemetry.api.trace.Span child =
        tracer
            .spanBuilder("SELECT orders")
            .setParent(Context.root().with(root))
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute(AttributeKey.doubleKey("db.rows"), 2.5)
            .setAttribute(AttributeKey.stringArrayKey("db.tables"), List.of("orders", "items"))
            .setAttribute(AttributeKey.booleanKey("cached"), false)
            .startSpan();
    child.addEvent("retry", Attributes.of(AttributeKey.longKey("attempt"), 2L));
    child.end();
    root.setStatus(StatusCode.ERROR, "payment declined");
    root.end();
    provider.shutdown().join(10, TimeUnit.SECONDS);

    CompletableResultCode result = exporter.export(sent).join(10, TimeUnit.SECONDS);
    assertThat(result.isSuccess()).as("export succeeded").isTrue();
    exporter.shutdown().join(10, TimeUnit.SECONDS);
    return sent;
  }

  private void assertDelivered(List<SpanData> sent, String service) throws IOException {
    List<Span> received = sink.spansOnDisk();
    assertThat(received).hasSize(sent.size());
    for (SpanData expected : sent) {
      Span span =
          received.stream()
              .filter(s -> s.traceId().toHex().equals(expected.getTraceId()))
              .filter(s -> Long.toHexString(s.spanId()).equals(trimZeros(expected.getSpanId())))
              .findFirst()
              .orElseThrow(() -> new AssertionError("missing " + expected.getName()));
      assertThat(span.service()).isEqualTo(service);
      assertThat(span.name()).isEqualTo(expected.getName());
      assertThat(span.kind().name()).isEqualTo(expected.getKind().name());
      assertThat(span.startEpochNanos()).isEqualTo(expected.getStartEpochNanos());
      assertThat(span.endEpochNanos()).isEqualTo(expected.getEndEpochNanos());
      assertThat(span.scopeName()).isEqualTo("io.skein.test");
      assertThat(span.scopeVersion()).isEqualTo("1.0.0");
      assertThat(span.resource()).contains(new Attribute("deployment.environment", "test"));
      assertThat(span.flags() & 0xFF).isEqualTo(expected.getSpanContext().getTraceFlags().asByte());
      String parent = expected.getParentSpanContext().isValid() ? expected.getParentSpanId() : null;
      assertThat(span.isRoot()).isEqualTo(parent == null);
      if (parent != null) {
        assertThat(Long.toHexString(span.parentSpanId())).isEqualTo(trimZeros(parent));
      }
    }
    Span root = received.stream().filter(Span::isRoot).findFirst().orElseThrow();
    assertThat(root.kind()).isEqualTo(Span.Kind.SERVER);
    assertThat(root.status()).isEqualTo(Span.Status.ERROR);
    assertThat(root.statusMessage()).isEqualTo("payment declined");
    assertThat(root.attributes())
        .containsExactly(
            new Attribute("http.request.method", "POST"),
            new Attribute("http.response.status_code", 500L));
    Span child = received.stream().filter(s -> !s.isRoot()).findFirst().orElseThrow();
    assertThat(child.parentSpanId()).isEqualTo(root.spanId());
    assertThat(child.attributes())
        .containsExactlyInAnyOrder(
            new Attribute("db.rows", 2.5),
            new Attribute("db.tables", List.of("orders", "items")),
            new Attribute("cached", false));
    assertThat(child.events()).hasSize(1);
    assertThat(child.events().get(0).name()).isEqualTo("retry");
    assertThat(child.events().get(0).attributes()).containsExactly(new Attribute("attempt", 2L));
  }

  private static String trimZeros(String hex) {
    return Long.toHexString(Long.parseUnsignedLong(hex, 16));
  }

  /** Keeps every ended span. */
  private record Capture(List<SpanData> spans) implements io.opentelemetry.sdk.trace.SpanProcessor {
    @Override
    public void onStart(Context parentContext, io.opentelemetry.sdk.trace.ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
      return false;
    }

    @Override
    public void onEnd(io.opentelemetry.sdk.trace.ReadableSpan span) {
      spans.add(span.toSpanData());
    }

    @Override
    public boolean isEndRequired() {
      return true;
    }
  }
}
