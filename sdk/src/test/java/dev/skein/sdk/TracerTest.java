package dev.skein.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skein.propagation.LongIdSpanContext;
import dev.skein.sdk.export.InMemorySpanExporter;
import dev.skein.sdk.export.SimpleSpanProcessor;
import dev.skein.sdk.sampling.Samplers;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TracerTest {

  private final TestClock clock = new TestClock();
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final SkeinSdk sdk =
      SkeinSdk.builder()
          .setServiceName("checkout")
          .setClock(clock)
          .addSpanProcessor(SimpleSpanProcessor.create(exporter))
          .build();
  private final Tracer tracer = sdk.getTracer("test-scope", "1.2.3");

  @AfterEach
  void close() {
    sdk.close();
  }

  @Test
  void ids_areValidLowercaseHexAndUnique() {
    Set<String> spanIds = new HashSet<>();
    Set<String> traceIds = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      SpanContext context = tracer.spanBuilder("op").startSpan().getSpanContext();
      assertThat(context.isValid()).isTrue();
      assertThat(context.getTraceId()).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
      assertThat(context.getSpanId()).matches("[0-9a-f]{16}").isNotEqualTo("0".repeat(16));
      spanIds.add(context.getSpanId());
      traceIds.add(context.getTraceId());
    }
    assertThat(spanIds).hasSize(10_000);
    assertThat(traceIds).hasSize(10_000);
  }

  @Test
  void rootSpan_announcesRandomTraceIdAndSampledFlag() {
    SpanContext context = tracer.spanBuilder("op").startSpan().getSpanContext();

    assertThat(context.getTraceFlags().asByte()).isEqualTo((byte) 0x03);
    assertThat(context.isRemote()).isFalse();
    assertThat(context.getTraceState()).isEqualTo(TraceState.getDefault());
  }

  @Test
  void childOfCurrentSpan_sharesTraceAndPointsAtParent() {
    Span parent = tracer.spanBuilder("parent").startSpan();
    Span child;
    try (Scope ignored = parent.makeCurrent()) {
      assertThat(Span.current()).isSameAs(parent);
      child = tracer.spanBuilder("child").startSpan();
      child.end();
    }
    parent.end();
    assertThat(Span.current().getSpanContext().isValid()).isFalse();

    SpanData childData = exporter.finishedSpans().get(0);
    SpanData parentData = exporter.finishedSpans().get(1);
    assertThat(childData.name()).isEqualTo("child");
    assertThat(childData.spanContext().getTraceId())
        .isEqualTo(parent.getSpanContext().getTraceId());
    assertThat(childData.parentSpanId()).isEqualTo(parentData.spanId());
    assertThat(childData.hasRemoteParent()).isFalse();
    assertThat(parentData.parentSpanId()).isZero();
  }

  @Test
  void explicitParentContext_winsOverCurrent() {
    Span current = tracer.spanBuilder("current").startSpan();
    Span explicit = tracer.spanBuilder("explicit").startSpan();
    try (Scope ignored = current.makeCurrent()) {
      Span child = tracer.spanBuilder("child").setParent(Context.root().with(explicit)).startSpan();
      assertThat(child.getSpanContext().getTraceId())
          .isEqualTo(explicit.getSpanContext().getTraceId());
      child.end();
    }
    assertThat(exporter.finishedSpans().get(0).parentSpanId())
        .isEqualTo(((LongIdSpanContext) explicit.getSpanContext()).spanIdAsLong());
  }

  @Test
  void setNoParent_startsNewTraceEvenUnderCurrentSpan() {
    Span current = tracer.spanBuilder("current").startSpan();
    try (Scope ignored = current.makeCurrent()) {
      Span root = tracer.spanBuilder("root").setNoParent().startSpan();
      assertThat(root.getSpanContext().getTraceId())
          .isNotEqualTo(current.getSpanContext().getTraceId());
      root.end();
    }
    assertThat(exporter.finishedSpans().get(0).parentSpanId()).isZero();
  }

  @Test
  void remoteParent_isContinuedWithItsTraceState() {
    TraceState state = TraceState.builder().put("vendor", "value").build();
    SpanContext remote =
        SpanContext.createFromRemoteParent(
            "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", TraceFlags.getSampled(), state);

    Span child =
        tracer
            .spanBuilder("server")
            .setSpanKind(SpanKind.SERVER)
            .setParent(Context.root().with(Span.wrap(remote)))
            .startSpan();
    child.end();

    SpanData data = exporter.finishedSpans().get(0);
    assertThat(data.spanContext().getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(data.parentSpanId()).isEqualTo(0xb7ad6b7169203331L);
    assertThat(data.hasRemoteParent()).isTrue();
    assertThat(data.kind()).isEqualTo(SpanKind.SERVER);
    assertThat(data.spanContext().getTraceState()).isEqualTo(state);
    // The parent did not announce a random trace id, so neither does the child.
    assertThat(data.spanContext().getTraceFlags().asByte()).isEqualTo((byte) 0x01);
  }

  @Test
  void spanData_carriesScopeResourceAndTimes() {
    Span span = tracer.spanBuilder("op").startSpan();
    clock.advance(25, TimeUnit.MILLISECONDS);
    span.end();

    SpanData data = exporter.finishedSpans().get(0);
    assertThat(data.scope()).isEqualTo(new InstrumentationScope("test-scope", "1.2.3", ""));
    assertThat(data.resource().asMap())
        .containsEntry(
            io.opentelemetry.api.common.AttributeKey.stringKey("service.name"), "checkout")
        .containsEntry(
            io.opentelemetry.api.common.AttributeKey.stringKey("telemetry.sdk.name"), "skein");
    assertThat(data.endEpochNanos() - data.startEpochNanos())
        .isEqualTo(TimeUnit.MILLISECONDS.toNanos(25));
    assertThat(data.hasEnded()).isTrue();
  }

  @Test
  void explicitTimestamps_areKept() {
    Span span =
        tracer.spanBuilder("op").setStartTimestamp(1_000, TimeUnit.MILLISECONDS).startSpan();
    span.end(1_500, TimeUnit.MILLISECONDS);

    SpanData data = exporter.finishedSpans().get(0);
    assertThat(data.startEpochNanos()).isEqualTo(1_000_000_000L);
    assertThat(data.endEpochNanos()).isEqualTo(1_500_000_000L);
  }

  @Test
  void tracers_areCachedPerScope() {
    assertThat(sdk.getTracer("a", "1")).isSameAs(sdk.getTracer("a", "1"));
    assertThat(sdk.getTracer("a", "1")).isNotSameAs(sdk.getTracer("a", "2"));
    assertThat(
            sdk.getTracerProvider()
                .tracerBuilder("a")
                .setInstrumentationVersion("1")
                .setSchemaUrl("https://opentelemetry.io/schemas/1.26.0")
                .build())
        .isNotSameAs(sdk.getTracer("a", "1"));
  }

  @Test
  void unsampledSpan_recordsNothingButCarriesContext() {
    try (SkeinSdk dropping =
        SkeinSdk.builder()
            .setSampler(Samplers.parentBased(Samplers.alwaysOff()))
            .addSpanProcessor(SimpleSpanProcessor.create(exporter))
            .build()) {
      Tracer dropper = dropping.getTracer("t");
      Span root = dropper.spanBuilder("root").startSpan();
      assertThat(root.isRecording()).isFalse();
      assertThat(root.getSpanContext().isValid()).isTrue();
      assertThat(root.getSpanContext().isSampled()).isFalse();
      root.setAttribute("k", "v").addEvent("e").recordException(new RuntimeException());

      Span child;
      try (Scope ignored = root.makeCurrent()) {
        child = dropper.spanBuilder("child").startSpan();
      }
      assertThat(child.getSpanContext().getTraceId()).isEqualTo(root.getSpanContext().getTraceId());
      assertThat(child.getSpanContext().getSpanId())
          .isNotEqualTo(root.getSpanContext().getSpanId());
      child.end();
      root.end();
    }
    assertThat(exporter.finishedSpans()).isEmpty();
  }

  @Test
  void shutdown_makesLaterSpansNonRecording() {
    sdk.shutdown().join();

    Span late = tracer.spanBuilder("late").startSpan();
    assertThat(late.isRecording()).isFalse();
    assertThat(tracer.isEnabled()).isFalse();
  }

  @Test
  void builderReuse_doesNotShareAttributesBetweenSpans() {
    var builder = tracer.spanBuilder("op").setAttribute("shared", "yes");
    Span first = builder.startSpan();
    Span second = builder.startSpan();
    first.setAttribute("only", "first");
    first.end();
    second.end();

    List<SpanData> spans = exporter.finishedSpans();
    assertThat(spans.get(0).attributeCount()).isEqualTo(2);
    assertThat(spans.get(1).attributeCount()).isEqualTo(1);
  }
}
