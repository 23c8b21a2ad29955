package dev.skein.sdk.sampling;

/** What a sampler decided for a new span. */
public enum SamplingDecision {
  /** Not recorded and not exported; the span only carries its context onwards. */
  DROP,
  /** Recorded, so processors see it, but not sampled, so exporters skip it. */
  RECORD_ONLY,
  /** Recorded and exported; the sampled flag propagates downstream. */
  RECORD_AND_SAMPLE;

  public boolean isRecording() {
    return this != DROP;
  }

  public boolean isSampled() {
    return this == RECORD_AND_SAMPLE;
  }
}
