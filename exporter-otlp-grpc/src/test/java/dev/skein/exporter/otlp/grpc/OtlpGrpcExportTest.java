package dev.skein.exporter.otlp.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skein.exporter.RetryPolicy;
import dev.skein.exporter.otlp.OtlpProtocol;
import dev.skein.exporter.otlp.OtlpSpanExporter;
import dev.skein.sdk.SkeinSdk;
import dev.skein.sdk.SpanData;
import dev.skein.sdk.export.InMemorySpanExporter;
import dev.skein.sdk.export.SimpleSpanProcessor;
import io.grpc.Metadata;
import io.grpc.Status;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code OtlpSpanExporter} with the gRPC protocol, this module found through the ServiceLoader. */
class OtlpGrpcExportTest {

  private TestCollector collector;

  @BeforeEach
  void start() throws Exception {
    collector = TestCollector.start();
  }

  @AfterEach
  void stop() throws Exception {
    collector.close();
  }

  private static List<SpanData> spans(int count) {
    InMemorySpanExporter memory = InMemorySpanExporter.create();
    try (SkeinSdk sdk =
        SkeinSdk.builder()
            .setServiceName("payments")
            .addSpanProcessor(SimpleSpanProcessor.create(memory))
            .build()) {
      for (int i = 0; i < count; i++) {
        Span span =
            sdk.getTracer("grpc-test")
                .spanBuilder("charge")
                .setSpanKind(SpanKind.CLIENT)
                .startSpan();
        span.setAttribute("attempt", i);
        span.end();
      }
    }
    return memory.finishedSpans();
  }

  private OtlpSpanExporter.Builder exporter() {
    return OtlpSpanExporter.builder()
        .setProtocol(OtlpProtocol.GRPC)
        .setEndpoint(collector.endpoint())
        .setRetryPolicy(
            new RetryPolicy(
                3, Duration.ofMillis(5), Duration.ofMillis(5), 1, Duration.ofSeconds(1)));
  }

  @Test
  void spansArriveAtAGrpcCollectorWithHeaders() throws Exception {
    List<SpanData> spans = spans(3);
    OtlpSpanExporter exporter = exporter().addHeader("authorization", "Bearer g").build();

    exporter.export(spans).get(10, TimeUnit.SECONDS);

    ExportTraceServiceRequest request = collector.nextRequest();
    var resourceSpans = request.getResourceSpans(0);
    assertThat(resourceSpans.getResource().getAttributesList())
        .anySatisfy(kv -> assertThat(kv.getValue().getStringValue()).isEqualTo("payments"));
    assertThat(resourceSpans.getScopeSpans(0).getSpansList())
        .extracting(s -> s.getName())
        .containsExactly("charge", "charge", "charge");
    assertThat(resourceSpans.getScopeSpans(0).getSpans(2).getSpanId().toByteArray()).hasSize(8);
    assertThat(
            collector
                .nextHeaders()
                .get(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER)))
        .isEqualTo("Bearer g");
    assertThat(exporter.stats().exportedSpans()).isEqualTo(3);
    exporter.shutdown().get(5, TimeUnit.SECONDS);
  }

  @Test
  void partialSuccessIsCounted() throws Exception {
    collector.behaviour =
        (request, response) -> {
          response.onNext(
              ExportTraceServiceResponse.newBuilder()
                  .setPartialSuccess(
                      ExportTracePartialSuccess.newBuilder()
                          .setRejectedSpans(1)
                          .setErrorMessage("too old"))
                  .build());
          response.onCompleted();
        };
    OtlpSpanExporter exporter = exporter().build();

    exporter.export(spans(4)).get(10, TimeUnit.SECONDS);

    assertThat(exporter.stats().rejectedSpans()).isEqualTo(1);
    assertThat(exporter.stats().exportedSpans()).isEqualTo(3);
  }

  @Test
  void unavailableIsRetriedAndInvalidArgumentIsNot() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    collector.behaviour =
        (request, response) -> {
          if (calls.incrementAndGet() == 1) {
            response.onError(Status.UNAVAILABLE.withDescription("warming up").asException());
          } else {
            response.onNext(ExportTraceServiceResponse.getDefaultInstance());
            response.onCompleted();
          }
        };
    OtlpSpanExporter exporter = exporter().build();
    exporter.export(spans(1)).get(10, TimeUnit.SECONDS);
    assertThat(calls.get()).isEqualTo(2);
    assertThat(exporter.stats().retries()).isEqualTo(1);

    calls.set(0);
    collector.behaviour =
        (request, response) -> {
          calls.incrementAndGet();
          response.onError(Status.INVALID_ARGUMENT.withDescription("bad id").asException());
        };
    assertThatThrownBy(() -> exporter.export(spans(2)).get(10, TimeUnit.SECONDS))
        .hasMessageContaining("INVALID_ARGUMENT")
        .hasMessageContaining("bad id");
    assertThat(calls.get()).isEqualTo(1);
    assertThat(exporter.stats().failedSpans()).isEqualTo(2);
  }

  @Test
  void environmentSelectsGrpc() throws Exception {
    System.setProperty("otel.traces.exporter", "otlp");
    System.setProperty("otel.exporter.otlp.protocol", "grpc");
    System.setProperty("otel.exporter.otlp.endpoint", collector.endpoint().toString());
    try (SkeinSdk sdk = SkeinSdk.fromEnvironment()) {
      sdk.getTracer("env").spanBuilder("over grpc").startSpan().end();
      sdk.forceFlush().get(10, TimeUnit.SECONDS);
    } finally {
      System.clearProperty("otel.traces.exporter");
      System.clearProperty("otel.exporter.otlp.protocol");
      System.clearProperty("otel.exporter.otlp.endpoint");
    }

    assertThat(collector.nextRequest().getResourceSpans(0).getScopeSpans(0).getSpans(0).getName())
        .isEqualTo("over grpc");
  }
}
