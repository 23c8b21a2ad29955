package dev.skein.sdk;

import dev.skein.sdk.sampling.Sampler;
import io.opentelemetry.api.common.Attributes;
import java.util.List;

/** What every tracer of one SDK instance shares: configuration, processors and liveness. */
final class TracerSharedState {

  final Attributes resource;
  final Clock clock;
  final IdGenerator idGenerator;
  final Sampler sampler;
  final boolean samplerNeedsEnd;
  final SpanLimits limits;
  final List<SpanProcessor> processors;

  /** Subsets of {@link #processors}, as arrays so the hot path iterates without an iterator. */
  final SpanProcessor[] startProcessors;

  final SpanProcessor[] endProcessors;

  private volatile boolean shutdown;

  TracerSharedState(
      Attributes resource,
      Clock clock,
      IdGenerator idGenerator,
      Sampler sampler,
      SpanLimits limits,
      List<SpanProcessor> processors) {
    this.resource = resource;
    this.clock = clock;
    this.idGenerator = idGenerator;
    this.sampler = sampler;
    this.samplerNeedsEnd = sampler.isEndRequired();
    this.limits = limits;
    this.processors = List.copyOf(processors);
    this.startProcessors =
        processors.stream().filter(SpanProcessor::isStartRequired).toArray(SpanProcessor[]::new);
    this.endProcessors =
        processors.stream().filter(SpanProcessor::isEndRequired).toArray(SpanProcessor[]::new);
  }

  boolean isShutdown() {
    return shutdown;
  }

  void markShutdown() {
    shutdown = true;
  }
}
