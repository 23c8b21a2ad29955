package dev.skein.sdk;

import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerBuilder;
import io.opentelemetry.api.trace.TracerProvider;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Hands out one tracer per instrumentation scope. */
final class SkeinTracerProvider implements TracerProvider {

  final TracerSharedState shared;
  private final ConcurrentMap<InstrumentationScope, SkeinTracer> tracers =
      new ConcurrentHashMap<>();

  SkeinTracerProvider(TracerSharedState shared) {
    this.shared = shared;
  }

  @Override
  public Tracer get(String instrumentationScopeName) {
    return tracer(instrumentationScopeName, null, null);
  }

  @Override
  public Tracer get(String instrumentationScopeName, String instrumentationScopeVersion) {
    return tracer(instrumentationScopeName, instrumentationScopeVersion, null);
  }

  @Override
  public TracerBuilder tracerBuilder(String instrumentationScopeName) {
    return new TracerBuilder() {
      private String version;
      private String schemaUrl;

      @Override
      public TracerBuilder setSchemaUrl(String url) {
        schemaUrl = url;
        return this;
      }

      @Override
      public TracerBuilder setInstrumentationVersion(String instrumentationScopeVersion) {
        version = instrumentationScopeVersion;
        return this;
      }

      @Override
      public Tracer build() {
        return tracer(instrumentationScopeName, version, schemaUrl);
      }
    };
  }

  private SkeinTracer tracer(String name, String version, String schemaUrl) {
    InstrumentationScope scope =
        new InstrumentationScope(
            name == null ? "" : name,
            version == null ? "" : version,
            schemaUrl == null ? "" : schemaUrl);
    return tracers.computeIfAbsent(scope, s -> new SkeinTracer(shared, s));
  }
}
