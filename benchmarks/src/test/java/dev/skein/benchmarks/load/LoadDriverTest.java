package dev.skein.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skein.benchmarks.load.TemplatePool.Encoding;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The senders and the driver against a local sink that parses every request: what the driver counts
 * as accepted is exactly what the sink took, every span arrives once with a trace id never sent
 * before, and refusals and failures are counted apart.
 */
class LoadDriverTest {

  private static TemplatePool pool;

  @BeforeAll
  static void makeTemplates() {
    pool = new TemplatePool(1, 3, 10, 1_700_000_000_000_000_000L);
  }

  @AfterAll
  static void forget() {
    pool = null;
  }

  @Test
  void otlpOverGrpcDeliversEverySpanOnceWithFreshTraceIds() throws Exception {
    try (OtlpSink sink = new OtlpSink(0, 0, 0);
        Transport grpc = new GrpcTransport("127.0.0.1", sink.grpcPort())) {
      TraceIdSample sample = new TraceIdSample(1000);
      LoadDriver.Result result =
          new LoadDriver(grpc, pool.templates(Encoding.OTLP_PROTO), 4, 1, sample)
              .fill(2_000, Duration.ofMinutes(1));
      assertDelivered(sink, result);
      assertThat(result.acceptedSpans()).isGreaterThanOrEqualTo(2_000);
      Set<String> sentTraces = new HashSet<>();
      sink.spanKeys().forEach(k -> sentTraces.add(k.substring(0, 32)));
      assertThat(sample.ids()).isNotEmpty();
      assertThat(sentTraces).containsAll(sample.ids());
    }
  }

  @Test
  void otlpOverHttpCountsAPartialSuccessAsRejected() throws Exception {
    try (OtlpSink sink = new OtlpSink(0, 3, 0);
        Transport http = HttpTransport.otlp(sink.httpBase())) {
      LoadDriver.Result result =
          new LoadDriver(http, pool.templates(Encoding.OTLP_PROTO), 8, 2, null)
              .fill(2_000, Duration.ofMinutes(1));
      assertThat(result.acceptedSpans()).isEqualTo(result.requests() * (100 - 3));
      assertDelivered(sink, result);
    }
  }

  @Test
  void zipkinJsonIsTakenAndMeasuredInsideTheWindowOnly() throws Exception {
    try (OtlpSink sink = new OtlpSink(0, 0, 0);
        Transport zipkin = HttpTransport.zipkin(sink.httpBase())) {
      LoadDriver.Result result =
          new LoadDriver(zipkin, pool.templates(Encoding.ZIPKIN_JSON), 2, 3, null)
              .timed(Duration.ofMillis(300), Duration.ofMillis(700));
      assertDelivered(sink, result);
      assertThat(result.measuredSpans()).isPositive().isLessThanOrEqualTo(result.acceptedSpans());
      assertThat(result.latencies()).hasSize((int) (result.measuredSpans() / 100));
      assertThat(result.latencies()).isSorted();
    }
  }

  @Test
  void refusalsAreCountedApartAndTheSenderBacksOff() throws Exception {
    try (OtlpSink sink = new OtlpSink(3, 0, 0);
        Transport http = HttpTransport.otlp(sink.httpBase())) {
      LoadDriver.Result result =
          new LoadDriver(http, pool.templates(Encoding.OTLP_PROTO), 1, 4, null)
              .fill(500, Duration.ofMinutes(1));
      assertThat(result.refused()).isEqualTo(3);
      assertThat(result.failed()).isZero();
      assertThat(result.firstProblem()).isEqualTo("HTTP 429");
      assertDelivered(sink, result);
    }
    try (OtlpSink sink = new OtlpSink(2, 0, 0);
        Transport grpc = new GrpcTransport("127.0.0.1", sink.grpcPort())) {
      LoadDriver.Result result =
          new LoadDriver(grpc, pool.templates(Encoding.OTLP_PROTO), 1, 5, null)
              .fill(300, Duration.ofMinutes(1));
      assertThat(result.refused()).isEqualTo(2);
      assertThat(result.firstProblem()).startsWith("gRPC RESOURCE_EXHAUSTED");
      assertDelivered(sink, result);
    }
  }

  @Test
  void aServerThatTakesNothingStopsTheRunWithItsAnswer() throws Exception {
    try (OtlpSink sink = new OtlpSink(0, 0, 400);
        Transport http = HttpTransport.zipkin(sink.httpBase())) {
      LoadDriver driver = new LoadDriver(http, pool.templates(Encoding.ZIPKIN_JSON), 8, 6, null);
      assertThatThrownBy(() -> driver.fill(1_000, Duration.ofMinutes(1)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("accepted nothing")
          .hasMessageContaining("HTTP 400");
      assertThat(sink.spanKeys()).isEmpty();
    }
  }

  /** The sink took exactly the accepted spans, parsed them all, and saw no span twice. */
  private static void assertDelivered(OtlpSink sink, LoadDriver.Result result) {
    List<String> keys = sink.spanKeys();
    assertThat(sink.problems()).isEmpty();
    assertThat(keys).hasSize((int) result.acceptedSpans());
    assertThat(new HashSet<>(keys)).hasSameSizeAs(keys);
  }
}
