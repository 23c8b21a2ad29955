package dev.skein.exporter.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.skein.exporter.RetryPolicy;
import dev.skein.sdk.SkeinSdk;
import dev.skein.sdk.SpanData;
import dev.skein.sdk.SpanExporter;
import dev.skein.sdk.export.InMemorySpanExporter;
import dev.skein.sdk.export.SimpleSpanProcessor;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The exporter against a real HTTP server that decodes with the official OTLP classes. */
class OtlpSpanExporterTest {

  /** One request as the server saw it. */
  record Request(String path, String contentType, String encoding, String auth, byte[] body) {}

  private HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile int status = 200;
  private volatile byte[] responseBody = new byte[0];

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          InputStream in = exchange.getRequestBody();
          String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
          if ("gzip".equals(encoding)) {
            in = new GZIPInputStream(in);
          }
          requests.add(
              new Request(
                  exchange.getRequestURI().getPath(),
                  exchange.getRequestHeaders().getFirst("Content-Type"),
                  encoding,
                  exchange.getRequestHeaders().getFirst("Authorization"),
                  in.readAllBytes()));
          byte[] body = responseBody;
          exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
          if (body.length > 0) {
            exchange.getResponseBody().write(body);
          }
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private static List<SpanData> someSpans(int count) {
    InMemorySpanExporter memory = InMemorySpanExporter.create();
    try (SkeinSdk sdk =
        SkeinSdk.builder()
            .setServiceName("checkout")
            .addSpanProcessor(SimpleSpanProcessor.create(memory))
            .build()) {
      Tracer tracer = sdk.getTracer("shop", "2.0");
      for (int i = 0; i < count; i++) {
        Span span = tracer.spanBuilder("GET /cart").setSpanKind(SpanKind.SERVER).startSpan();
        span.setAttribute("http.route", "/cart");
        span.setAttribute("item.count", i);
        span.end();
      }
    }
    return memory.finishedSpans();
  }

  @Test
  void protobufOverHttpArrivesAndDecodesWithTheOfficialClasses() throws Exception {
    List<SpanData> spans = someSpans(3);
    OtlpSpanExporter exporter =
        OtlpSpanExporter.builder()
            .setEndpoint(base() + "/v1/traces")
            .addHeader("Authorization", "Bearer t0ken")
            .build();

    exporter.export(spans).get(10, TimeUnit.SECONDS);

    Request request = requests.get(0);
    assertThat(request.path()).isEqualTo("/v1/traces");
    assertThat(request.contentType()).isEqualTo("application/x-protobuf");
    assertThat(request.auth()).isEqualTo("Bearer t0ken");
    ExportTraceServiceRequest decoded = ExportTraceServiceRequest.parseFrom(request.body());
    assertThat(decoded.getResourceSpans(0).getScopeSpans(0).getScope().getName()).isEqualTo("shop");
    assertThat(decoded.getResourceSpans(0).getScopeSpans(0).getSpansList())
        .extracting(io.opentelemetry.proto.trace.v1.Span::getName)
        .containsExactly("GET /cart", "GET /cart", "GET /cart");
    assertThat(exporter.stats().exportedSpans()).isEqualTo(3);
  }

  @Test
  void jsonOverHttpWithGzip() throws Exception {
    OtlpSpanExporter exporter =
        OtlpSpanExporter.builder()
            .setProtocol(OtlpProtocol.HTTP_JSON)
            .setEndpoint(base() + "/v1/traces")
            .setCompression("gzip")
            .build();

    exporter.export(someSpans(2)).get(10, TimeUnit.SECONDS);

    Request request = requests.get(0);
    assertThat(request.contentType()).isEqualTo("application/json");
    assertThat(request.encoding()).isEqualTo("gzip");
    var json = new ObjectMapper().readTree(request.body());
    assertThat(json.at("/resourceSpans/0/scopeSpans/0/spans/1/name").asText())
        .isEqualTo("GET /cart");
    assertThat(json.at("/resourceSpans/0/scopeSpans/0/spans/0/kind").asInt()).isEqualTo(2);
  }

  @Test
  void partialSuccessIsCountedInBothEncodings() throws Exception {
    responseBody =
        ExportTraceServiceResponse.newBuilder()
            .setPartialSuccess(
                ExportTracePartialSuccess.newBuilder().setRejectedSpans(2).setErrorMessage("no"))
            .build()
            .toByteArray();
    OtlpSpanExporter proto = OtlpSpanExporter.builder().setEndpoint(base() + "/v1/traces").build();
    proto.export(someSpans(5)).get(10, TimeUnit.SECONDS);
    assertThat(proto.stats().rejectedSpans()).isEqualTo(2);
    assertThat(proto.stats().exportedSpans()).isEqualTo(3);

    responseBody =
        "{\"partialSuccess\":{\"rejectedSpans\":\"4\",\"errorMessage\":\"no\"}}".getBytes();
    OtlpSpanExporter json =
        OtlpSpanExporter.builder()
            .setProtocol(OtlpProtocol.HTTP_JSON)
            .setEndpoint(base() + "/v1/traces")
            .build();
    json.export(someSpans(5)).get(10, TimeUnit.SECONDS);
    assertThat(json.stats().rejectedSpans()).isEqualTo(4);
    assertThat(json.stats().exportedSpans()).isEqualTo(1);
  }

  @Test
  void badRequestFailsWithTheStatusMessageAndIsNotRetried() {
    status = 400;
    byte[] message = "span 3: trace id is zero".getBytes();
    responseBody = new byte[2 + message.length]; // google.rpc.Status { message = 2 }
    responseBody[0] = 0x12;
    responseBody[1] = (byte) message.length;
    System.arraycopy(message, 0, responseBody, 2, message.length);
    OtlpSpanExporter exporter =
        OtlpSpanExporter.builder().setEndpoint(base() + "/v1/traces").build();

    assertThatThrownBy(() -> exporter.export(someSpans(4)).get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("HTTP 400: span 3: trace id is zero");
    assertThat(requests).hasSize(1);
    assertThat(exporter.stats().failedSpans()).isEqualTo(4);
  }

  @Test
  void serviceUnavailableIsRetried() throws Exception {
    status = 503;
    OtlpSpanExporter exporter =
        OtlpSpanExporter.builder()
            .setEndpoint(base() + "/v1/traces")
            .setRetryPolicy(
                new RetryPolicy(3, Duration.ofMillis(5), Duration.ofMillis(5), 1, Duration.ZERO))
            .build();

    assertThatThrownBy(() -> exporter.export(someSpans(1)).get(10, TimeUnit.SECONDS))
        .hasMessageContaining("gave up after 3 attempts");
    assertThat(requests).hasSize(3);
    assertThat(exporter.stats().retries()).isEqualTo(2);
  }

  @Test
  void aSpanTheEncoderCannotWriteFailsItsBatchNotTheExporter() throws Exception {
    SpanData odd =
        OtlpProtoEncoderTest.replacing(
            someSpans(1).get(0), "attributeValue", value -> new Object());
    OtlpSpanExporter exporter =
        OtlpSpanExporter.builder().setEndpoint(base() + "/v1/traces").build();

    assertThatThrownBy(() -> exporter.export(List.of(odd)).get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(IllegalArgumentException.class);
    exporter.export(someSpans(2)).get(10, TimeUnit.SECONDS);

    assertThat(requests).hasSize(1);
    assertThat(exporter.stats().exportedSpans()).isEqualTo(2);
  }

  @Test
  void grpcWithoutItsModuleSaysWhatIsMissing() {
    assertThatThrownBy(() -> OtlpSpanExporter.builder().setProtocol(OtlpProtocol.GRPC).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("skein-exporter-otlp-grpc");
  }

  @Test
  void environmentChoosesOtlpWithItsSettings() throws Exception {
    System.setProperty("otel.traces.exporter", "otlp");
    System.setProperty("otel.exporter.otlp.endpoint", base() + "/");
    System.setProperty("otel.exporter.otlp.headers", "authorization=Bearer%20from-env");
    System.setProperty("otel.exporter.otlp.traces.protocol", "http/json");
    System.setProperty("otel.service.name", "from-env");
    try (SkeinSdk sdk = SkeinSdk.fromEnvironment()) {
      sdk.getTracer("env").spanBuilder("configured").startSpan().end();
      sdk.forceFlush().get(10, TimeUnit.SECONDS);
    } finally {
      for (String key :
          List.of(
              "otel.traces.exporter",
              "otel.exporter.otlp.endpoint",
              "otel.exporter.otlp.headers",
              "otel.exporter.otlp.traces.protocol",
              "otel.service.name")) {
        System.clearProperty(key);
      }
    }

    Request request = requests.get(0);
    assertThat(request.path()).isEqualTo("/v1/traces");
    assertThat(request.contentType()).isEqualTo("application/json");
    assertThat(request.auth()).isEqualTo("Bearer from-env");
    assertThat(new String(request.body())).contains("\"configured\"").contains("\"from-env\"");
  }

  @Test
  void endpointRulesFollowTheSpecification() {
    var settings =
        new dev.skein.exporter.ExporterSettings(
            java.util.Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")::get);
    assertThat(OtlpExporterProvider.endpoint(settings, OtlpProtocol.HTTP_PROTOBUF))
        .hasToString("http://collector:4318/v1/traces");
    assertThat(OtlpExporterProvider.endpoint(settings, OtlpProtocol.GRPC))
        .hasToString("http://collector:4318");
    var exact =
        new dev.skein.exporter.ExporterSettings(
            java.util.Map.of(
                    "OTEL_EXPORTER_OTLP_ENDPOINT", "http://a:1",
                    "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://b:2/custom")
                ::get);
    assertThat(OtlpExporterProvider.endpoint(exact, OtlpProtocol.HTTP_PROTOBUF))
        .hasToString("http://b:2/custom");
    var none = new dev.skein.exporter.ExporterSettings(java.util.Map.<String, String>of()::get);
    assertThat(OtlpExporterProvider.endpoint(none, OtlpProtocol.HTTP_JSON))
        .hasToString("http://localhost:4318/v1/traces");
    assertThat(OtlpExporterProvider.endpoint(none, OtlpProtocol.GRPC))
        .hasToString("http://localhost:4317");
  }

  @Test
  void badEnvironmentValuesNameTheVariable() {
    OtlpExporterProvider provider = new OtlpExporterProvider();
    assertThatThrownBy(
            () -> provider.create(java.util.Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "thrift")::get))
        .hasMessageContaining("OTEL_EXPORTER_OTLP_PROTOCOL")
        .hasMessageContaining("http/protobuf");
    assertThatThrownBy(
            () ->
                provider.create(java.util.Map.of("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "ten")::get))
        .hasMessageStartingWith("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT");
    SpanExporter exporter = provider.create(java.util.Map.<String, String>of()::get);
    assertThat(exporter)
        .hasToString("OtlpSpanExporter{http/protobuf http://localhost:4318/v1/traces}");
  }
}
