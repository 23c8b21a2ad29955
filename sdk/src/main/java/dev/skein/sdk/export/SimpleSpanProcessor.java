package dev.skein.sdk.export;

import dev.skein.sdk.SpanData;
import dev.skein.sdk.SpanExporter;
import dev.skein.sdk.SpanProcessor;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hands each sampled span to the exporter as soon as it ends, one span per export call.
 *
 * <p>Meant for tests and debugging, where seeing a span at once matters more than cost: the export
 * call runs on the thread that ended the span, and calls are serialized so the exporter never runs
 * on two threads at once. For production use {@link BatchSpanProcessor}.
 *
 * <pre>{@code
 * InMemorySpanExporter exporter = InMemorySpanExporter.create();
 * SkeinSdk sdk =
 *     SkeinSdk.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
 * }</pre>
 */
public final class SimpleSpanProcessor implements SpanProcessor {

  private static final Logger logger = Logger.getLogger(SimpleSpanProcessor.class.getName());

  private final SpanExporter exporter;
  private final Object exportLock = new Object();
  private final Set<CompletableFuture<Void>> inFlight = ConcurrentHashMap.newKeySet();
  private final AtomicReference<CompletableFuture<Void>> shutdownResult = new AtomicReference<>();
  private final ThrottledLog failureLog = new ThrottledLog(logger);
  private boolean stopped; // guarded by exportLock

  private SimpleSpanProcessor(SpanExporter exporter) {
    this.exporter = Objects.requireNonNull(exporter, "exporter");
  }

  /** A processor that exports every sampled span through {@code exporter} as it ends. */
  public static SimpleSpanProcessor create(SpanExporter exporter) {
    return new SimpleSpanProcessor(exporter);
  }

  /** Exports {@code span} if it is sampled. Failures are logged, never thrown to the caller. */
  @Override
  public void onEnd(SpanData span) {
    if (!span.isSampled()) {
      return;
    }
    CompletableFuture<Void> result;
    try {
      synchronized (exportLock) {
        if (stopped) {
          return;
        }
        result = exporter.export(List.of(span));
        // Registered under the lock so that shutdown, which takes it too, sees every export.
        inFlight.add(result);
      }
    } catch (RuntimeException e) {
      logFailure(e);
      return;
    }
    result.whenComplete(
        (ignored, failure) -> {
          inFlight.remove(result);
          if (failure != null) {
            logFailure(failure);
          }
        });
  }

  @Override
  public boolean isEndRequired() {
    return true;
  }

  /**
   * Waits for the exports in flight, then flushes the exporter. Completes normally even when an
   * export failed; failures are logged.
   */
  @Override
  public CompletableFuture<Void> forceFlush() {
    return afterInFlight(exporter::flush);
  }

  /**
   * Stops exporting, waits for the exports in flight, then shuts the exporter down. Calling it
   * again returns the first call's future.
   */
  @Override
  public CompletableFuture<Void> shutdown() {
    CompletableFuture<Void> result = new CompletableFuture<>();
    if (!shutdownResult.compareAndSet(null, result)) {
      return shutdownResult.get();
    }
    synchronized (exportLock) {
      stopped = true;
    }
    afterInFlight(exporter::shutdown).whenComplete((ignored, failure) -> result.complete(null));
    return result;
  }

  @Override
  public String toString() {
    return "SimpleSpanProcessor{exporter=" + exporter + '}';
  }

  private CompletableFuture<Void> afterInFlight(Supplier<CompletableFuture<Void>> next) {
    CompletableFuture<?>[] pending = inFlight.toArray(new CompletableFuture<?>[0]);
    return CompletableFuture.allOf(pending)
        .handle((ignored, failure) -> null) // failed exports were logged already
        .thenCompose(ignored -> next.get())
        .handle(
            (ignored, failure) -> {
              if (failure != null) {
                logFailure(failure);
              }
              return null;
            });
  }

  private void logFailure(Throwable failure) {
    failureLog.log(Level.WARNING, "Failed to export spans with " + exporter, failure);
  }
}
