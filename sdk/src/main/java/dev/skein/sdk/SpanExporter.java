package dev.skein.sdk;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;

/**
 * Sends finished spans somewhere: a backend, a log, memory. Called by one span processor thread at
 * a time; an exporter that does its work synchronously returns a completed future.
 */
public interface SpanExporter extends AutoCloseable {

  /**
   * Exports one batch. The future completes normally when the backend accepted the batch and
   * exceptionally when it failed. The collection may be reused once the future completes, so an
   * exporter that works asynchronously copies what it needs before returning.
   */
  CompletableFuture<Void> export(Collection<SpanData> spans);

  default CompletableFuture<Void> flush() {
    return CompletableFuture.completedFuture(null);
  }

  default CompletableFuture<Void> shutdown() {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  default void close() {
    shutdown().join();
  }
}
