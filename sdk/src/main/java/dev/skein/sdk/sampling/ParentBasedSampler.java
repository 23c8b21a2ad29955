package dev.skein.sdk.sampling;

import dev.skein.sdk.SpanData;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import java.util.stream.Stream;

/** Chooses among five samplers by whether there is a parent, where it lives and its flag. */
final class ParentBasedSampler implements Sampler {

  private final Sampler root;
  private final Sampler remoteParentSampled;
  private final Sampler remoteParentNotSampled;
  private final Sampler localParentSampled;
  private final Sampler localParentNotSampled;
  // The distinct delegates that learn from ended spans, resolved once so onEnd stays cheap.
  private final Sampler[] endRequired;
  private final String description;

  ParentBasedSampler(
      Sampler root,
      Sampler remoteParentSampled,
      Sampler remoteParentNotSampled,
      Sampler localParentSampled,
      Sampler localParentNotSampled) {
    this.root = root;
    this.remoteParentSampled = remoteParentSampled;
    this.remoteParentNotSampled = remoteParentNotSampled;
    this.localParentSampled = localParentSampled;
    this.localParentNotSampled = localParentNotSampled;
    this.endRequired =
        Stream.of(
                root,
                remoteParentSampled,
                remoteParentNotSampled,
                localParentSampled,
                localParentNotSampled)
            .filter(Sampler::isEndRequired)
            .distinct()
            .toArray(Sampler[]::new);
    this.description =
        "ParentBased{root:"
            + root.description()
            + ",remoteParentSampled:"
            + remoteParentSampled.description()
            + ",remoteParentNotSampled:"
            + remoteParentNotSampled.description()
            + ",localParentSampled:"
            + localParentSampled.description()
            + ",localParentNotSampled:"
            + localParentNotSampled.description()
            + "}";
  }

  @Override
  public SamplingDecision shouldSample(
      SpanContext parent, long traceIdHigh, long traceIdLow, String name, SpanKind kind) {
    Sampler delegate;
    if (!parent.isValid()) {
      delegate = root;
    } else if (parent.isRemote()) {
      delegate = parent.isSampled() ? remoteParentSampled : remoteParentNotSampled;
    } else {
      delegate = parent.isSampled() ? localParentSampled : localParentNotSampled;
    }
    return delegate.shouldSample(parent, traceIdHigh, traceIdLow, name, kind);
  }

  @Override
  public void onEnd(SpanData span) {
    for (Sampler sampler : endRequired) {
      sampler.onEnd(span);
    }
  }

  @Override
  public boolean isEndRequired() {
    return endRequired.length > 0;
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
