package dev.skein.sdk;

import dev.skein.propagation.BaggagePropagator;
import dev.skein.propagation.TraceContextPropagator;
import dev.skein.sdk.export.BatchSpanProcessor;
import dev.skein.sdk.sampling.Sampler;
import dev.skein.sdk.sampling.Samplers;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Configures a {@link SkeinSdk}. Every setting has the OpenTelemetry SDK's default. */
public final class SkeinSdkBuilder {

  static final String DEFAULT_SERVICE_NAME = "unknown_service:java";

  private String serviceName;
  private final AttributesBuilder resource = Attributes.builder();
  private Sampler sampler = Samplers.parentBased(Samplers.alwaysOn());
  private final List<SpanProcessor> processors = new ArrayList<>();
  private ContextPropagators propagators =
      ContextPropagators.create(
          TextMapPropagator.composite(
              TraceContextPropagator.getInstance(), BaggagePropagator.getInstance()));
  private SpanLimits spanLimits = SpanLimits.DEFAULT;
  private Clock clock = Clock.system();
  private IdGenerator idGenerator = IdGenerator.random();

  SkeinSdkBuilder() {}

  /** The {@code service.name} resource attribute, which names the service in every trace view. */
  public SkeinSdkBuilder setServiceName(String serviceName) {
    this.serviceName = Objects.requireNonNull(serviceName, "serviceName");
    return this;
  }

  /** Adds one attribute describing this process (host, version, deployment…) to every span. */
  public SkeinSdkBuilder putResourceAttribute(String key, String value) {
    resource.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /** Adds attributes describing this process; later values win over earlier ones. */
  public SkeinSdkBuilder putResourceAttributes(Attributes attributes) {
    resource.putAll(Objects.requireNonNull(attributes, "attributes"));
    return this;
  }

  /** The head sampler; defaults to {@code parentbased_always_on}. */
  public SkeinSdkBuilder setSampler(Sampler sampler) {
    this.sampler = Objects.requireNonNull(sampler, "sampler");
    return this;
  }

  /** Adds a span processor; processors run in the order added. */
  public SkeinSdkBuilder addSpanProcessor(SpanProcessor processor) {
    processors.add(Objects.requireNonNull(processor, "processor"));
    return this;
  }

  /** Exports sampled spans through a {@link BatchSpanProcessor} with default settings. */
  public SkeinSdkBuilder addSpanExporter(SpanExporter exporter) {
    return addSpanProcessor(BatchSpanProcessor.builder(exporter).build());
  }

  /** The propagators; defaults to W3C trace-context and W3C baggage. */
  public SkeinSdkBuilder setPropagators(ContextPropagators propagators) {
    this.propagators = Objects.requireNonNull(propagators, "propagators");
    return this;
  }

  public SkeinSdkBuilder setSpanLimits(SpanLimits spanLimits) {
    this.spanLimits = Objects.requireNonNull(spanLimits, "spanLimits");
    return this;
  }

  public SkeinSdkBuilder setClock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  public SkeinSdkBuilder setIdGenerator(IdGenerator idGenerator) {
    this.idGenerator = Objects.requireNonNull(idGenerator, "idGenerator");
    return this;
  }

  public SkeinSdk build() {
    Attributes userResource = resource.build();
    AttributesBuilder full =
        Attributes.builder()
            .put("service.name", DEFAULT_SERVICE_NAME)
            .put("telemetry.sdk.name", "skein")
            .put("telemetry.sdk.language", "java")
            .put("telemetry.sdk.version", SkeinSdk.version())
            .putAll(userResource);
    if (serviceName != null) {
      full.put("service.name", serviceName);
    }
    TracerSharedState shared =
        new TracerSharedState(full.build(), clock, idGenerator, sampler, spanLimits, processors);
    return new SkeinSdk(shared, propagators);
  }
}
