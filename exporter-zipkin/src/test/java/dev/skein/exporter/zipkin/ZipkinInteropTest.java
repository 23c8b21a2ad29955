package dev.skein.exporter.zipkin;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skein.exporter.Delivery;
import dev.skein.exporter.RetryPolicy;
import dev.skein.sdk.SkeinSdk;
import dev.skein.sdk.SpanData;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import zipkin2.codec.SpanBytesDecoder;

/**
 * The exporter against the real Zipkin server: spans recorded by the SDK go in through {@link
 * ZipkinSpanExporter} and are read back through Zipkin's own query API, where they must mean what
 * the SDK recorded.
 */
class ZipkinInteropTest {

  @RegisterExtension static final ZipkinServerExtension zipkin = new ZipkinServerExtension();

  private static final ObjectMapper json = new ObjectMapper();
  private static final Logger deliveryLogger = Logger.getLogger(Delivery.class.getName());
  private static Level deliveryLogLevel;

  @BeforeAll
  static void quietExpectedFailures() {
    // The refused batch below is logged as a warning; it is expected here.
    deliveryLogLevel = deliveryLogger.getLevel();
    deliveryLogger.setLevel(Level.SEVERE);
  }

  @AfterAll
  static void restoreLogging() {
    deliveryLogger.setLevel(deliveryLogLevel);
  }

  @ParameterizedTest(name = "{0}, compression {1}")
  @CsvSource({"JSON, none", "PROTO3, none", "JSON, gzip", "PROTO3, gzip"})
  void spansReadBackUnchanged(ZipkinSpanExporter.Encoding encoding, String compression)
      throws Exception {
    SampleTrace trace = SampleTrace.record(randomTraceId(), System.currentTimeMillis() * 1_000_000);
    ZipkinSpanExporter exporter =
        ZipkinSpanExporter.builder()
            .setEndpoint(zipkin.spansEndpoint())
            .setEncoding(encoding)
            .setCompression(compression)
            .build();

    exporter.export(trace.spans()).get(10, SECONDS);

    assertThat(readTrace(trace.traceId, 3)).containsExactlyInAnyOrderElementsOf(trace.expected());
    assertThat(exporter.stats().exportedSpans()).isEqualTo(3);
    assertThat(exporter.stats().failedSpans()).isZero();
    exporter.shutdown().join();
  }

  @Test
  void servicesAndNamesAreQueryable() throws Exception {
    SampleTrace trace = SampleTrace.record(randomTraceId(), System.currentTimeMillis() * 1_000_000);
    ZipkinSpanExporter exporter =
        ZipkinSpanExporter.builder().setEndpoint(zipkin.spansEndpoint()).build();
    exporter.export(trace.spans()).get(10, SECONDS);
    readTrace(trace.traceId, 3);

    assertThat(stringList("/api/v2/services")).contains(SampleTrace.SERVICE);
    assertThat(stringList("/api/v2/spans?serviceName=" + SampleTrace.SERVICE))
        .contains("get /orders/{id}", "select orders", "render");
    // The client span's remote endpoint makes the database a service Zipkin knows about.
    assertThat(stringList("/api/v2/remoteServices?serviceName=" + SampleTrace.SERVICE))
        .contains("orders-db");
    exporter.shutdown().join();
  }

  @Test
  void spansFromTheSdkPipelineArrive() throws Exception {
    ZipkinSpanExporter exporter =
        ZipkinSpanExporter.builder()
            .setEndpoint(zipkin.spansEndpoint())
            .setEncoding(ZipkinSpanExporter.Encoding.PROTO3)
            .build();
    String traceId;
    try (SkeinSdk sdk =
        SkeinSdk.builder().setServiceName("pipeline").addSpanExporter(exporter).build()) {
      Tracer tracer = sdk.getTracerProvider().get("dev.skein.test");
      Span span = tracer.spanBuilder("scheduled job").setSpanKind(SpanKind.CONSUMER).startSpan();
      span.setAttribute("job.id", 12L);
      span.end();
      traceId = span.getSpanContext().getTraceId();
    } // closing flushes the batch processor and shuts the exporter down

    List<zipkin2.Span> stored = readTrace(traceId, 1);
    assertThat(stored.get(0).localServiceName()).isEqualTo("pipeline");
    assertThat(stored.get(0).name()).isEqualTo("scheduled job");
    assertThat(stored.get(0).kind()).isEqualTo(zipkin2.Span.Kind.CONSUMER);
    assertThat(stored.get(0).tags()).containsEntry("job.id", "12");
    assertThat(exporter.stats().exportedSpans()).isEqualTo(1);
  }

  @Test
  void aBatchTheServerRefusesFailsWithItsMessage() {
    TestSpan unreadable = new TestSpan(); // an all-zero trace id: Zipkin answers 400
    unreadable.traceIdHigh = 0;
    unreadable.traceIdLow = 0;
    ZipkinSpanExporter exporter =
        ZipkinSpanExporter.builder()
            .setEndpoint(zipkin.spansEndpoint())
            .setRetryPolicy(RetryPolicy.defaults())
            .build();

    assertThatThrownBy(() -> exporter.export(List.<SpanData>of(unreadable)).get(10, SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(Delivery.ExportException.class)
        .hasMessageContaining("HTTP 400")
        .hasMessageContaining("traceId is all zeros");
    assertThat(exporter.stats().failedSpans()).isEqualTo(1);
    assertThat(exporter.stats().retries()).isZero(); // a 400 will not get better
    exporter.shutdown().join();
  }

  /** Reads a trace through Zipkin's API, waiting (bounded) until it holds the expected spans. */
  private static List<zipkin2.Span> readTrace(String traceId, int spans) throws Exception {
    long deadline = System.nanoTime() + SECONDS.toNanos(10);
    String last;
    do {
      var response = zipkin.get("/api/v2/trace/" + traceId);
      last = "HTTP " + response.statusCode() + " " + response.body();
      if (response.statusCode() == 200) {
        List<zipkin2.Span> stored =
            SpanBytesDecoder.JSON_V2.decodeList(response.body().getBytes(StandardCharsets.UTF_8));
        if (stored.size() >= spans) {
          return stored;
        }
      }
      Thread.sleep(50); // storage is Zipkin's business: poll it
    } while (System.nanoTime() < deadline);
    throw new AssertionError("trace " + traceId + " not stored with " + spans + " spans: " + last);
  }

  private static List<String> stringList(String pathAndQuery) throws Exception {
    return List.of(json.readValue(zipkin.getOk(pathAndQuery), String[].class));
  }

  private static String randomTraceId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return String.format("%016x%016x", random.nextLong() | 1L << 60, random.nextLong());
  }
}
