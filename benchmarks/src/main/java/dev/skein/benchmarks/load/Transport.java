package dev.skein.benchmarks.load;

import java.util.concurrent.CompletableFuture;

/** Sends one request body and tells how the server answered; never throws from {@link #send}. */
interface Transport extends AutoCloseable {

  /** How a request ended. */
  enum Outcome {
    /** A 2xx answer (gRPC OK): the spans were taken, less any a partial success names. */
    ACCEPTED,
    /** The server asked to slow down: HTTP 429 or 503, gRPC RESOURCE_EXHAUSTED or UNAVAILABLE. */
    REFUSED,
    /** Anything else: another status, a broken connection, a timeout. */
    FAILED
  }

  /**
   * The answer to one request.
   *
   * @param acceptedSpans spans the server took (0 unless accepted)
   * @param retryAfterNanos how long the server asked the sender to wait, 0 if it did not say
   * @param detail what went wrong, for the report; empty when accepted
   */
  record Ack(Outcome outcome, int acceptedSpans, long retryAfterNanos, String detail) {
    static Ack accepted(int spans) {
      return new Ack(Outcome.ACCEPTED, spans, 0, "");
    }

    static Ack refused(long retryAfterNanos, String detail) {
      return new Ack(Outcome.REFUSED, 0, retryAfterNanos, detail);
    }

    static Ack failed(String detail) {
      return new Ack(Outcome.FAILED, 0, 0, detail);
    }
  }

  /**
   * Sends {@code body}, which carries {@code spans} spans; the future always completes normally.
   */
  CompletableFuture<Ack> send(byte[] body, int spans);

  @Override
  void close();
}
