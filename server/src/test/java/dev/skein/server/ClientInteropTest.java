package dev.skein.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skein.exporter.otlp.OtlpProtocol;
import dev.skein.exporter.otlp.OtlpSpanExporter;
import dev.skein.exporter.zipkin.ZipkinSpanExporter;
import dev.skein.sdk.SkeinSdk;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zipkin2.Endpoint;
import zipkin2.reporter.Encoding;
import zipkin2.reporter.urlconnection.URLConnectionSender;

/**
 * The clients users really run send to the server, and the query APIs give their traces back with
 * the right parents, attributes and services: the OpenTelemetry SDK's gRPC and HTTP exporters,
 * Zipkin's reporter (JSON and proto3), and skein-sdk with its own exporters.
 */
class ClientInteropTest {
  @TempDir static Path dir;
  static SkeinServer server;
  static final HttpClient http = HttpClient.newHttpClient();
  static final ObjectMapper json = new ObjectMapper();

  @BeforeAll
  static void start() throws Exception {
    server =
        SkeinServer.start(
            new ServerConfig(
                dir, ServerConfig.Storage.ROCKSDB, "127.0.0.1", 0, 0, 0, 0, Duration.ofHours(72)));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static JsonNode query(String path) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.uiPort() + path))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return response.statusCode() == 200 ? json.readTree(response.body()) : null;
  }

  /**
   * Polls the Jaeger API until the trace has {@code spans} spans (the pipeline is asynchronous).
   */
  static JsonNode jaegerTrace(String traceId, int spans) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    JsonNode trace = null;
    while (System.nanoTime() < deadline) {
      JsonNode body = query("/api/traces/" + traceId);
      if (body != null && body.path("data").path(0).path("spans").size() == spans) {
        return body.path("data").path(0);
      }
      trace = body;
      Thread.sleep(50);
    }
    throw new AssertionError("trace " + traceId + " never had " + spans + " spans: " + trace);
  }

  /** A SERVER span with a CLIENT child, an event, attributes and an error status. */
  static String recordTrace(Tracer tracer) {
    io.opentelemetry.api.trace.Span root =
        tracer.spanBuilder("GET /checkout").setSpanKind(SpanKind.SERVER).startSpan();
    try (Scope ignored = root.makeCurrent()) {
      root.setAttribute("http.route", "/checkout");
      root.setAttribute(AttributeKey.longKey("http.response.status_code"), 500L);
      io.opentelemetry.api.trace.Span child =
          tracer
              .spanBuilder("charge card")
              .setSpanKind(SpanKind.CLIENT)
              .setAttribute("peer.service", "payments")
              .startSpan();
      child.addEvent("retry", Attributes.of(AttributeKey.longKey("attempt"), 2L));
      child.setStatus(StatusCode.ERROR, "card declined");
      child.end();
    } finally {
      root.end();
    }
    return root.getSpanContext().getTraceId();
  }

  static void assertTraceCameThrough(String traceId, String service) throws Exception {
    JsonNode trace = jaegerTrace(traceId, 2);
    JsonNode root = null;
    JsonNode child = null;
    for (JsonNode span : trace.path("spans")) {
      if (span.path("operationName").asText().equals("GET /checkout")) {
        root = span;
      } else {
        child = span;
      }
    }
    assertThat(root).as("root span").isNotNull();
    assertThat(child).as("child span").isNotNull();
    assertThat(child.path("operationName").asText()).isEqualTo("charge card");
    assertThat(child.path("references").path(0).path("refType").asText()).isEqualTo("CHILD_OF");
    assertThat(child.path("references").path(0).path("spanID").asText())
        .isEqualTo(root.path("spanID").asText());
    assertThat(tags(root)).contains("http.route=/checkout", "http.response.status_code=500");
    assertThat(tags(child)).contains("peer.service=payments", "error=true");
    assertThat(child.path("logs").path(0).toString()).contains("retry").contains("attempt");
    String process = root.path("processID").asText();
    assertThat(trace.path("processes").path(process).path("serviceName").asText())
        .isEqualTo(service);
  }

  static List<String> tags(JsonNode span) {
    List<String> tags = new ArrayList<>();
    for (JsonNode tag : span.path("tags")) {
      tags.add(tag.path("key").asText() + "=" + tag.path("value").asText());
    }
    return tags;
  }

  static String viaOpenTelemetrySdk(String service, SpanExporter exporter) {
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault()
                    .merge(Resource.builder().put("service.name", service).build()))
            .addSpanProcessor(SimpleSpanProcessor.create(exporter))
            .build();
    try (OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(provider).build()) {
      String traceId = recordTrace(sdk.getTracer("interop"));
      assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      return traceId;
    }
  }

  @Test
  void openTelemetryGrpcExporter() throws Exception {
    String traceId =
        viaOpenTelemetrySdk(
            "otel-grpc",
            OtlpGrpcSpanExporter.builder()
                .setEndpoint("http://127.0.0.1:" + server.otlpGrpcPort())
                .build());
    assertTraceCameThrough(traceId, "otel-grpc");
  }

  @Test
  void openTelemetryHttpProtobufExporter() throws Exception {
    String traceId =
        viaOpenTelemetrySdk(
            "otel-http",
            OtlpHttpSpanExporter.builder()
                .setEndpoint("http://127.0.0.1:" + server.otlpHttpPort() + "/v1/traces")
                .build());
    assertTraceCameThrough(traceId, "otel-http");
  }

  String viaSkein(String service, dev.skein.sdk.SpanExporter exporter) {
    try (SkeinSdk sdk =
        SkeinSdk.builder().setServiceName(service).addSpanExporter(exporter).build()) {
      String traceId = recordTrace(sdk.getTracer("interop"));
      sdk.forceFlush().join();
      return traceId;
    }
  }

  @Test
  void skeinOtlpExportersOverHttpProtobufJsonAndGrpc() throws Exception {
    for (OtlpProtocol protocol : OtlpProtocol.values()) {
      int port = protocol == OtlpProtocol.GRPC ? server.otlpGrpcPort() : server.otlpHttpPort();
      String path = protocol == OtlpProtocol.GRPC ? "" : "/v1/traces";
      String service = "skein-" + protocol.name().toLowerCase(java.util.Locale.ROOT);
      String traceId =
          viaSkein(
              service,
              OtlpSpanExporter.builder()
                  .setProtocol(protocol)
                  .setEndpoint("http://127.0.0.1:" + port + path)
                  .build());
      assertTraceCameThrough(traceId, service);
    }
  }

  @Test
  void skeinZipkinExporter() throws Exception {
    String traceId =
        viaSkein(
            "skein-zipkin",
            ZipkinSpanExporter.builder()
                .setEndpoint("http://127.0.0.1:" + server.zipkinPort() + "/api/v2/spans")
                .build());
    assertTraceCameThrough(traceId, "skein-zipkin");
  }

  @Test
  void zipkinReporterInJsonAndProto3() throws Exception {
    for (Encoding encoding : List.of(Encoding.JSON, Encoding.PROTO3)) {
      String service = "zipkin-" + encoding.name().toLowerCase(java.util.Locale.ROOT);
      String traceId =
          encoding == Encoding.JSON ? "463ac35c9f6413ad48485a3953bb6124" : "a1b2c3d4e5f60718";
      long now = System.currentTimeMillis() * 1000;
      zipkin2.Span root =
          zipkin2.Span.newBuilder()
              .traceId(traceId)
              .id("48485a3953bb6124")
              .name("get /cart")
              .kind(zipkin2.Span.Kind.SERVER)
              .localEndpoint(Endpoint.newBuilder().serviceName(service).build())
              .timestamp(now)
              .duration(20_000)
              .putTag("http.path", "/cart")
              .build();
      zipkin2.Span child =
          zipkin2.Span.newBuilder()
              .traceId(traceId)
              .parentId("48485a3953bb6124")
              .id("5a3953bb61240001")
              .name("select")
              .kind(zipkin2.Span.Kind.CLIENT)
              .localEndpoint(Endpoint.newBuilder().serviceName(service).build())
              .remoteEndpoint(Endpoint.newBuilder().serviceName("mysql").build())
              .timestamp(now + 1000)
              .duration(5_000)
              .addAnnotation(now + 2000, "query sent")
              .putTag("error", "timeout")
              .build();
      try (URLConnectionSender sender =
              URLConnectionSender.newBuilder()
                  .endpoint("http://127.0.0.1:" + server.zipkinPort() + "/api/v2/spans")
                  .encoding(encoding)
                  .build();
          zipkin2.reporter.AsyncReporter<zipkin2.Span> reporter =
              zipkin2.reporter.AsyncReporter.builder(sender)
                  .build(zipkin2.reporter.SpanBytesEncoder.forEncoding(encoding))) {
        reporter.report(root);
        reporter.report(child);
        reporter.flush();
      }
      JsonNode trace = jaegerTrace(traceId, 2);
      assertThat(trace.path("processes").toString()).contains(service);
      JsonNode zipkin = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (zipkin == null && System.nanoTime() < deadline) {
        zipkin = query("/api/v2/trace/" + traceId);
      }
      assertThat(zipkin).hasSize(2);
      JsonNode select =
          zipkin.get(0).path("name").asText().equals("select") ? zipkin.get(0) : zipkin.get(1);
      assertThat(select.path("parentId").asText()).isEqualTo("48485a3953bb6124");
      assertThat(select.path("remoteEndpoint").path("serviceName").asText()).isEqualTo("mysql");
      assertThat(select.path("tags").path("error").asText()).isEqualTo("timeout");
      assertThat(select.path("annotations").path(0).path("value").asText()).isEqualTo("query sent");
    }
  }
}
