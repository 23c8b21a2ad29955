package dev.skein.sdk;

import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.Tracer;

final class SkeinTracer implements Tracer {

  /** The OpenTelemetry SDK's name for spans started without one; kept for familiar output. */
  static final String FALLBACK_SPAN_NAME = "<unspecified span name>";

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

  @Override
  public boolean isEnabled() {
    return !shared.isShutdown();
  }

  @Override
  public String toString() {
    return "SkeinTracer{" + scope + "}";
  }
}
