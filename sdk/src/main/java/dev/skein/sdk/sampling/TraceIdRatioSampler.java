package dev.skein.sdk.sampling;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import java.util.Locale;

/**
 * Samples a fixed fraction of traces, decided from the low 8 bytes of the trace id by the
 * OpenTelemetry SDK's rule, so that Skein and OpenTelemetry services agree on every trace.
 */
final class TraceIdRatioSampler implements Sampler {

  private final long idUpperBound;
  private final String description;

  TraceIdRatioSampler(double ratio) {
    if (!(ratio >= 0 && ratio <= 1)) {
      throw new IllegalArgumentException("ratio must be between 0 and 1, was " + ratio);
    }
    this.idUpperBound = Samplers.idUpperBound(ratio);
    this.description = String.format(Locale.ROOT, "TraceIdRatioBased{%.6f}", ratio);
  }

  @Override
  public SamplingDecision shouldSample(
      SpanContext parent, long traceIdHigh, long traceIdLow, String name, SpanKind kind) {
    return Samplers.isUnderBound(traceIdLow, idUpperBound)
        ? SamplingDecision.RECORD_AND_SAMPLE
        : SamplingDecision.DROP;
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
