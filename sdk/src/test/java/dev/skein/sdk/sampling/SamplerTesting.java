package dev.skein.sdk.sampling;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;

/** Parents and shorthand shared by the sampler tests. */
final class SamplerTesting {

  static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  static final String SPAN_ID = "b7ad6b7169203331";

  static final SpanContext NO_PARENT = SpanContext.getInvalid();
  static final SpanContext REMOTE_SAMPLED =
      SpanContext.createFromRemoteParent(
          TRACE_ID, SPAN_ID, TraceFlags.getSampled(), TraceState.getDefault());
  static final SpanContext REMOTE_NOT_SAMPLED =
      SpanContext.createFromRemoteParent(
          TRACE_ID, SPAN_ID, TraceFlags.getDefault(), TraceState.getDefault());
  static final SpanContext LOCAL_SAMPLED =
      SpanContext.create(TRACE_ID, SPAN_ID, TraceFlags.getSampled(), TraceState.getDefault());
  static final SpanContext LOCAL_NOT_SAMPLED =
      SpanContext.create(TRACE_ID, SPAN_ID, TraceFlags.getDefault(), TraceState.getDefault());

  private SamplerTesting() {}

  /** A root decision for {@code name} with the given low half of the trace id. */
  static boolean sampleRoot(Sampler sampler, String name, long traceIdLow) {
    return sampler
        .shouldSample(NO_PARENT, 0x0af7651916cd43ddL, traceIdLow, name, SpanKind.SERVER)
        .isSampled();
  }

  static SamplingDecision decide(Sampler sampler, SpanContext parent, long traceIdLow) {
    return sampler.shouldSample(parent, 0x0af7651916cd43ddL, traceIdLow, "op", SpanKind.INTERNAL);
  }
}
