package dev.skein.sdk.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skein.sdk.SkeinSdk;
import dev.skein.sdk.SpanData;
import dev.skein.sdk.sampling.Sampler;
import dev.skein.sdk.sampling.SamplingDecision;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The batch processor behind the real tracer, end to end. */
class BatchSpanProcessorSdkTest {

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final BatchSpanProcessor processor = BatchSpanProcessor.builder(exporter).build();

  @Test
  void batchSdk_exportsTracerSpansWhenTheSdkShutsDown() throws Exception {
    SkeinSdk sdk = SkeinSdk.builder().addSpanProcessor(processor).build();
    Tracer tracer = sdk.getTracer("checkout");

    Span parent = tracer.spanBuilder("GET /checkout").startSpan();
    try (Scope ignored = parent.makeCurrent()) {
      tracer.spanBuilder("SELECT orders").startSpan().end();
    }
    parent.end();
    sdk.shutdown().get(10, TimeUnit.SECONDS);

    List<SpanData> spans = exporter.finishedSpans();
    assertThat(spans).extracting(SpanData::name).containsExactly("SELECT orders", "GET /checkout");
    assertThat(spans.get(0).parentSpanId()).isEqualTo(spans.get(1).spanId());
    assertThat(spans.get(0).traceIdLow()).isEqualTo(spans.get(1).traceIdLow());
    assertThat(processor.exportedSpans()).isEqualTo(2);
    assertThat(processor.droppedSpans()).isZero();
  }

  @Test
  void batchSdk_recordOnlySpansReachTheProcessorButAreNotExported() throws Exception {
    Sampler recordQuietOnes =
        new Sampler() {
          @Override
          public SamplingDecision shouldSample(
              SpanContext parent, long traceIdHigh, long traceIdLow, String name, SpanKind kind) {
            return name.startsWith("quiet")
                ? SamplingDecision.RECORD_ONLY
                : SamplingDecision.RECORD_AND_SAMPLE;
          }

          @Override
          public String description() {
            return "RecordQuietOnes";
          }
        };
    SkeinSdk sdk =
        SkeinSdk.builder().setSampler(recordQuietOnes).addSpanProcessor(processor).build();
    Tracer tracer = sdk.getTracer("checkout");

    tracer.spanBuilder("quiet health check").startSpan().end();
    tracer.spanBuilder("GET /checkout").startSpan().end();
    sdk.forceFlush().get(10, TimeUnit.SECONDS);

    assertThat(exporter.finishedSpans())
        .extracting(SpanData::name)
        .containsExactly("GET /checkout");
    sdk.close();
  }
}
