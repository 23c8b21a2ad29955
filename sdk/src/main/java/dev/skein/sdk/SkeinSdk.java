package dev.skein.sdk;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.propagation.ContextPropagators;
import java.io.Closeable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Skein's tracer engine behind the OpenTelemetry API.
 *
 * <pre>{@code
 * SkeinSdk sdk = SkeinSdk.builder()
 *     .setServiceName("checkout")
 *     .setSampler(Samplers.parentBased(Samplers.traceIdRatio(0.1)))
 *     .addSpanExporter(LoggingSpanExporter.text())
 *     .build()
 *     .registerGlobal();
 * }</pre>
 *
 * or, configured by the standard {@code OTEL_*} variables, {@code SkeinSdk.fromEnvironment()}.
 * Closing the SDK flushes every processor and exporter.
 */
public final class SkeinSdk implements OpenTelemetry, Closeable {

  private static final Logger logger = Logger.getLogger(SkeinSdk.class.getName());
  private static final long CLOSE_TIMEOUT_SECONDS = 30;

  private final TracerSharedState shared;
  private final SkeinTracerProvider tracerProvider;
  private final ContextPropagators propagators;
  private volatile CompletableFuture<Void> shutdown;

  SkeinSdk(TracerSharedState shared, ContextPropagators propagators) {
    this.shared = shared;
    this.tracerProvider = new SkeinTracerProvider(shared);
    this.propagators = propagators;
  }

  public static SkeinSdkBuilder builder() {
    return new SkeinSdkBuilder();
  }

  /**
   * An SDK configured by the standard {@code OTEL_*} environment variables and the matching system
   * properties ({@code otel.service.name} for {@code OTEL_SERVICE_NAME}; properties win). A bad
   * value throws an {@link IllegalArgumentException} that names the setting.
   */
  public static SkeinSdk fromEnvironment() {
    return EnvironmentConfig.fromSystem().toBuilder().build();
  }

  /** Makes this SDK the one {@link GlobalOpenTelemetry} returns; can be done once per process. */
  public SkeinSdk registerGlobal() {
    GlobalOpenTelemetry.set(this);
    return this;
  }

  @Override
  public TracerProvider getTracerProvider() {
    return tracerProvider;
  }

  @Override
  public ContextPropagators getPropagators() {
    return propagators;
  }

  /** The attributes describing this process, with {@code service.name}, on every span. */
  public Attributes resource() {
    return shared.resource;
  }

  /** Exports everything ended so far; completes when every processor has flushed. */
  public CompletableFuture<Void> forceFlush() {
    return CompletableFuture.allOf(
        shared.processors.stream()
            .map(SpanProcessor::forceFlush)
            .toArray(CompletableFuture[]::new));
  }

  /** Stops recording, then flushes and shuts down every processor; later calls return the same. */
  public synchronized CompletableFuture<Void> shutdown() {
    if (shutdown == null) {
      shared.markShutdown();
      shutdown =
          CompletableFuture.allOf(
              shared.processors.stream()
                  .map(SpanProcessor::shutdown)
                  .toArray(CompletableFuture[]::new));
    }
    return shutdown;
  }

  /** Shuts down and waits up to 30 seconds for spans to be exported. */
  @Override
  public void close() {
    try {
      shutdown().get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      logger.log(Level.WARNING, "spans may be lost: shutting down did not complete", e);
    }
  }

  TracerSharedState shared() {
    return shared;
  }

  static String version() {
    String version = SkeinSdk.class.getPackage().getImplementationVersion();
    return version == null ? "development" : version;
  }

  @Override
  public String toString() {
    return "SkeinSdk{resource="
        + shared.resource
        + ", sampler="
        + shared.sampler.description()
        + ", processors="
        + shared.processors
        + "}";
  }
}
