package dev.skein.benchmarks;

import brave.Tracing;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.ThreadLocalCurrentTraceContext;
import brave.propagation.TraceContext;
import dev.skein.sdk.SkeinSdk;
import dev.skein.sdk.SpanExporter;
import dev.skein.sdk.export.BatchSpanProcessor;
import dev.skein.sdk.sampling.Samplers;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;

/**
 * Builds each system as an application would, with default settings except the sampler and an
 * exporter that goes nowhere. Every system gets a span processor even when unsampled: the
 * OpenTelemetry SDK hands out a no-op tracer when it has none, which would measure nothing.
 */
final class Tracers {

  static final String SCOPE = "dev.skein.benchmarks";

  private Tracers() {}

  static SkeinSdk skein(boolean sampled, SpanExporter exporter) {
    return skein(sampled, BatchSpanProcessor.builder(exporter).build());
  }

  static SkeinSdk skein(boolean sampled, BatchSpanProcessor processor) {
    return SkeinSdk.builder()
        .setSampler(sampled ? Samplers.alwaysOn() : Samplers.alwaysOff())
        .addSpanProcessor(processor)
        .build();
  }

  static SdkTracerProvider otel(
      boolean sampled, io.opentelemetry.sdk.trace.export.SpanExporter exporter) {
    return otel(
        sampled, io.opentelemetry.sdk.trace.export.BatchSpanProcessor.builder(exporter).build());
  }

  static SdkTracerProvider otel(
      boolean sampled, io.opentelemetry.sdk.trace.export.BatchSpanProcessor processor) {
    return SdkTracerProvider.builder()
        .setSampler(sampled ? Sampler.alwaysOn() : Sampler.alwaysOff())
        .addSpanProcessor(processor)
        .build();
  }

  /**
   * Brave's core has no batch processor; the nearest equivalent is a sampled span handed to a
   * handler that keeps nothing. 128-bit trace ids, so it makes the same ids as the other two.
   */
  static Tracing brave(boolean sampled) {
    return Tracing.newBuilder()
        .localServiceName("benchmark")
        .traceId128Bit(true)
        .sampler(sampled ? brave.sampler.Sampler.ALWAYS_SAMPLE : brave.sampler.Sampler.NEVER_SAMPLE)
        .currentTraceContext(ThreadLocalCurrentTraceContext.create())
        .addSpanHandler(new DiscardingSpanHandler())
        .build();
  }

  /** Accepts every finished span and drops it. */
  static final class DiscardingSpanHandler extends SpanHandler {
    @Override
    public boolean end(TraceContext context, MutableSpan span, Cause cause) {
      return true;
    }
  }
}
