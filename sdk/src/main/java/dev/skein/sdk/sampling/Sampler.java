package dev.skein.sdk.sampling;

import dev.skein.sdk.SpanData;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;

/**
 * Decides, as a span starts, whether it is recorded and exported (head sampling).
 *
 * <p>Unlike the OpenTelemetry SDK's sampler this one is not handed the span's attributes: building
 * them before the decision is what makes an unsampled span costly there. The decision sees the
 * parent, the trace id, the name and the kind, which is what the samplers here need.
 */
public interface Sampler {

  /**
   * @param parent the parent's context; {@link SpanContext#isValid()} is false for a root span
   * @param traceIdHigh the high 8 bytes of the trace id
   * @param traceIdLow the low 8 bytes of the trace id, the random part samplers decide on
   */
  SamplingDecision shouldSample(
      SpanContext parent, long traceIdHigh, long traceIdLow, String name, SpanKind kind);

  /** Called with every sampled span that ends, when {@link #isEndRequired()} says so. */
  default void onEnd(SpanData span) {}

  /** Whether {@link #onEnd} must be called; samplers that learn from outcomes say yes. */
  default boolean isEndRequired() {
    return false;
  }

  /** A short description, such as {@code TraceIdRatioBased{0.1}}, for logs and diagnostics. */
  String description();
}
