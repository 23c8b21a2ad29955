package dev.skein.exporter.zipkin;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skein.exporter.Delivery;
import dev.skein.exporter.RetryPolicy;
import dev.skein.sdk.SpanData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import zipkin2.Span;
import zipkin2.codec.SpanBytesDecoder;

/** What the exporter puts on the wire, seen by a recording HTTP server. */
class ZipkinSpanExporterTest {

  private static final Logger deliveryLogger = Logger.getLogger(Delivery.class.getName());
  private static Level deliveryLogLevel;

  private final RecordingServer server;

  ZipkinSpanExporterTest() throws IOException {
    server = new RecordingServer();
  }

  @BeforeAll
  static void quietExpectedFailures() {
    deliveryLogLevel = deliveryLogger.getLevel();
    deliveryLogger.setLevel(Level.SEVERE);
  }

  @AfterAll
  static void restoreLogging() {
    deliveryLogger.setLevel(deliveryLogLevel);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void postsJsonByDefault() throws Exception {
    ZipkinSpanExporter exporter =
        ZipkinSpanExporter.builder().setEndpoint(server.uri("/api/v2/spans").toString()).build();

    exporter.export(List.of(new TestSpan())).get(10, SECONDS);

    RecordingServer.Request request = single();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/api/v2/spans");
    assertThat(request.header("Content-Type")).isEqualTo("application/json");
    assertThat(request.header("Content-Encoding")).isNull();
    assertThat(SpanBytesDecoder.JSON_V2.decodeList(request.body()))
        .extracting(Span::id)
        .containsExactly("b7ad6b7169203331");
    assertThat(exporter.stats().exportedSpans()).isEqualTo(1);
  }

  @Test
  void postsProto3GzippedWithHeaders() throws Exception {
    ZipkinSpanExporter exporter =
        ZipkinSpanExporter.builder()
            .setEndpoint(server.uri("/zipkin/spans"))
            .setEncoding(ZipkinSpanExporter.Encoding.PROTO3)
            .setCompression("gzip")
            .addHeaders(Map.of("Authorization", "Bearer abc"))
            .addHeader("X-Tenant", "t1")
            .setTimeout(Duration.ofSeconds(5))
            .build();

    exporter.export(List.of(new TestSpan(), new TestSpan())).get(10, SECONDS);

    RecordingServer.Request request = single();
    assertThat(request.path()).isEqualTo("/zipkin/spans");
    assertThat(request.header("Content-Type")).isEqualTo("application/x-protobuf");
    assertThat(request.header("Content-Encoding")).isEqualTo("gzip");
    assertThat(request.header("Authorization")).isEqualTo("Bearer abc");
    assertThat(request.header("X-Tenant")).isEqualTo("t1");
    assertThat(SpanBytesDecoder.PROTO3.decodeList(gunzip(request.body()))).hasSize(2);
    assertThat(exporter.stats().exportedSpans()).isEqualTo(2);
  }

  @Test
  void encodesBeforeReturningSoTheBatchMayBeReused() throws Exception {
    ZipkinSpanExporter exporter =
        ZipkinSpanExporter.builder().setEndpoint(server.uri("/api/v2/spans")).build();
    List<SpanData> batch = new ArrayList<>(List.of(new TestSpan()));

    var sent = exporter.export(batch);
    ((TestSpan) batch.get(0)).name = "changed after export";
    batch.clear();
    sent.get(10, SECONDS);

    assertThat(SpanBytesDecoder.JSON_V2.decodeList(single().body()))
        .extracting(Span::name)
        .containsExactly("get /orders");
  }

  @Test
  void anEmptyBatchSendsNothing() throws Exception {
    ZipkinSpanExporter exporter =
        ZipkinSpanExporter.builder().setEndpoint(server.uri("/api/v2/spans")).build();

    exporter.export(List.of()).get(10, SECONDS);

    assertThat(server.requests()).isEmpty();
  }

  @Test
  void retriesWhatMaySucceedLater() throws Exception {
    server.respond(503);
    ZipkinSpanExporter exporter =
        ZipkinSpanExporter.builder()
            .setEndpoint(server.uri("/api/v2/spans"))
            .setRetryPolicy(new RetryPolicy(2, Duration.ZERO, Duration.ZERO, 1, Duration.ZERO))
            .build();

    exporter.export(List.of(new TestSpan())).get(10, SECONDS);

    assertThat(server.requests()).hasSize(2);
    assertThat(exporter.stats().retries()).isEqualTo(1);
    assertThat(exporter.stats().exportedSpans()).isEqualTo(1);
  }

  @Test
  void failsAfterShutdown() {
    ZipkinSpanExporter exporter =
        ZipkinSpanExporter.builder().setEndpoint(server.uri("/api/v2/spans")).build();
    exporter.shutdown().join();

    assertThatThrownBy(() -> exporter.export(List.of(new TestSpan())).get(10, SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("shut down");
    assertThat(server.requests()).isEmpty();
    assertThat(exporter.stats().failedSpans()).isEqualTo(1);
  }

  @Test
  void badSettingsAreRefusedWithTheReason() {
    ZipkinSpanExporter.Builder builder = ZipkinSpanExporter.builder();

    assertThatThrownBy(() -> builder.setEndpoint("localhost:9411/api/v2/spans"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http:// or https://");
    assertThatThrownBy(() -> builder.setEndpoint("http://bad host/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a usable URL");
    assertThatThrownBy(() -> builder.setCompression("zstd"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gzip or none");
    assertThatThrownBy(() -> builder.setTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive");
    assertThatThrownBy(() -> builder.setEncoding(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void defaultsToTheLocalZipkinInJson() {
    assertThat(ZipkinSpanExporter.builder().build())
        .hasToString("ZipkinSpanExporter{http://localhost:9411/api/v2/spans, application/json}");
  }

  private RecordingServer.Request single() {
    List<RecordingServer.Request> requests = server.requests();
    assertThat(requests).hasSize(1);
    return requests.get(0);
  }

  private static byte[] gunzip(byte[] body) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
