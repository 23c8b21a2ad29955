package dev.skein.sdk;

import dev.skein.propagation.Ids;
import dev.skein.propagation.LongIdSpanContext;
import dev.skein.sdk.sampling.SamplingDecision;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.List;

final class SkeinTracer implements Tracer {

  /** The OpenTelemetry SDK's name for spans started without one; kept for familiar output. */
  static final String FALLBACK_SPAN_NAME = "<unspecified span name>";

  private static final int SAMPLED = 0x01;
  private static final int RANDOM = 0x02;

  final TracerSharedState shared;
  final InstrumentationScope scope;

  SkeinTracer(TracerSharedState shared, InstrumentationScope scope) {
    this.shared = shared;
    this.scope = scope;
  }

  @Override
  public SpanBuilder spanBuilder(String spanName) {
    if (spanName == null || spanName.isBlank()) {
      spanName = FALLBACK_SPAN_NAME;
    }
    return new SkeinSpanBuilder(this, spanName);
  }

  /** Resolves the parent, makes the ids, asks the sampler, and starts the span it decided on. */
  Span startSpan(
      Context parentContext,
      String name,
      SpanKind kind,
      Object[] attributes,
      int attributeSlotsUsed,
      int droppedAttributes,
      List<SpanLink> links,
      int droppedLinks,
      long startEpochNanos) {
    SpanContext parentSpanContext = Span.fromContext(parentContext).getSpanContext();
    long parentSpanId = 0;
    long traceIdHigh;
    long traceIdLow;
    int bits;
    TraceState traceState;
    if (parentSpanContext.isValid()) {
      // Ours and those extracted by Skein's propagators hold longs; others only hex strings.
      if (parentSpanContext instanceof LongIdSpanContext ids) {
        traceIdHigh = ids.traceIdHigh();
        traceIdLow = ids.traceIdLow();
        parentSpanId = ids.spanIdAsLong();
      } else {
        String traceId = parentSpanContext.getTraceId();
        traceIdHigh = Ids.parseHex(traceId, 0);
        traceIdLow = Ids.parseHex(traceId, 16);
        parentSpanId = Ids.parseHex(parentSpanContext.getSpanId(), 0);
      }
      bits = parentSpanContext.getTraceFlags().asByte() & RANDOM;
      traceState = parentSpanContext.getTraceState();
    } else {
      IdGenerator ids = shared.idGenerator;
      traceIdHigh = ids.newTraceIdHigh();
      traceIdLow = ids.newTraceIdLow();
      bits = ids.producesRandomTraceIds() ? RANDOM : 0;
      traceState = TraceState.getDefault();
    }
    long spanId = shared.idGenerator.newSpanId();

    SamplingDecision decision =
        shared.isShutdown()
            ? SamplingDecision.DROP
            : shared.sampler.shouldSample(parentSpanContext, traceIdHigh, traceIdLow, name, kind);
    if (decision.isSampled()) {
      bits |= SAMPLED;
    }
    if (!decision.isRecording()) {
      return new UnsampledSpan(traceIdHigh, traceIdLow, spanId, bits, traceState);
    }

    RecordingSpan span =
        new RecordingSpan(
            new SkeinSpanContext(traceIdHigh, traceIdLow, spanId, bits, traceState),
            parentSpanId,
            parentSpanContext.isRemote(),
            shared,
            scope,
            name,
            kind,
            startEpochNanos != 0 ? startEpochNanos : shared.clock.now(),
            attributes,
            attributeSlotsUsed,
            droppedAttributes,
            links,
            droppedLinks);
    for (SpanProcessor processor : shared.startProcessors) {
      processor.onStart(parentContext, span);
    }
    return span;
  }

  @Override
  public boolean isEnabled() {
    return !shared.isShutdown();
  }

  @Override
  public String toString() {
    return "SkeinTracer{" + scope + "}";
  }
}
