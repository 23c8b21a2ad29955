package dev.skein.sdk.sampling;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;

/** Always the same decision. */
final class ConstantSampler implements Sampler {

  static final ConstantSampler ALWAYS_ON =
      new ConstantSampler(SamplingDecision.RECORD_AND_SAMPLE, "AlwaysOnSampler");
  static final ConstantSampler ALWAYS_OFF =
      new ConstantSampler(SamplingDecision.DROP, "AlwaysOffSampler");

  private final SamplingDecision decision;
  private final String description;

  private ConstantSampler(SamplingDecision decision, String description) {
    this.decision = decision;
    this.description = description;
  }

  @Override
  public SamplingDecision shouldSample(
      SpanContext parent, long traceIdHigh, long traceIdLow, String name, SpanKind kind) {
    return decision;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public String toString() {
    return description;
  }
}
