package dev.skein.exporter;

import java.util.concurrent.CompletableFuture;

/**
 * Sends an encoded request to a backend: over HTTP ({@link HttpTransport}), gRPC or anything else.
 * A transport makes one attempt per call; {@link Delivery} decides about retries.
 */
public interface Transport extends AutoCloseable {

  /**
   * Sends {@code payload} once. The future always completes normally, with an {@link Attempt} that
   * says how it went; transport errors (refused connection, reset, timeout) are {@link
   * Attempt.Retryable}.
   */
  CompletableFuture<Attempt> send(byte[] payload);

  /** Releases connections and threads. In-flight sends may complete as failures. */
  @Override
  void close();
}
