package dev.skein.sdk;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.util.concurrent.CompletableFuture;

/**
 * Hooks called when a recording span starts and ends. Both run on the application's thread, so an
 * implementation must be quick and must never block.
 *
 * <p>{@link #isStartRequired()} and {@link #isEndRequired()} let the tracer skip processors that
 * have nothing to do on one of the two paths.
 */
public interface SpanProcessor extends AutoCloseable {

  /** Called with the live span right after it starts; it may still add attributes. */
  default void onStart(Context parentContext, Span span) {}

  default boolean isStartRequired() {
    return false;
  }

  /** Called once a span has ended; the span no longer changes. */
  void onEnd(SpanData span);

  default boolean isEndRequired() {
    return true;
  }

  /** Exports everything accepted so far; completes when done. */
  default CompletableFuture<Void> forceFlush() {
    return CompletableFuture.completedFuture(null);
  }

  /** Flushes, then releases resources; later spans are ignored. */
  default CompletableFuture<Void> shutdown() {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  default void close() {
    shutdown().join();
  }
}
