package dev.skein.server.ingest;

import dev.skein.server.log.LogFullException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every receiver does with a request body once its protocol is known: decode, hand the spans
 * to the sink, count, and say how it went. The protocol layer turns the {@link Outcome} into its
 * answer.
 */
final class Ingest {
  private static final Logger LOG = LoggerFactory.getLogger(Ingest.class);

  /** A decoder with its limit; the format is the receiver's choice. */
  interface Decoder {
    DecodedSpans decode(byte[] body, int offset, int length, int maxSpans);
  }

  /** How a request ended. */
  sealed interface Outcome {}

  /** Stored (or nothing valid to store); some spans may have been rejected. */
  record Accepted(DecodedSpans decoded) implements Outcome {}

  /** Not a well-formed request. */
  record Malformed(String message) implements Outcome {}

  /** Over a size or span limit. */
  record TooLarge(String message) implements Outcome {}

  /** The sink refused the spans for now; the client should retry later. */
  record Overloaded(String message) implements Outcome {}

  /** The sink failed; the client may retry. */
  record Unavailable(String message) implements Outcome {}

  private final SpanSink sink;
  private final ReceiverSettings settings;

  Ingest(SpanSink sink, ReceiverSettings settings) {
    this.sink = sink;
    this.settings = settings;
  }

  ReceiverSettings settings() {
    return settings;
  }

  /**
   * Decodes {@code body} on the calling thread and stores its spans; the future completes on {@code
   * answerOn}, never on the sink's thread.
   */
  CompletableFuture<Outcome> ingest(
      byte[] body,
      int offset,
      int length,
      Decoder decoder,
      ReceiverMetrics metrics,
      Executor answerOn) {
    DecodedSpans decoded;
    try {
      decoded = decoder.decode(body, offset, length, settings.maxSpansPerRequest());
    } catch (MalformedRequestException e) {
      metrics.requestsMalformed.increment();
      return CompletableFuture.completedFuture(new Malformed(e.getMessage()));
    } catch (SpanLimitExceededException e) {
      metrics.requestsTooLarge.increment();
      return CompletableFuture.completedFuture(new TooLarge(e.getMessage()));
    }
    metrics.spansReceived.add(decoded.received());
    metrics.spansRejected.add(decoded.rejected());
    int count = decoded.spans().size();
    if (count == 0) {
      return CompletableFuture.completedFuture(new Accepted(decoded));
    }
    CompletableFuture<Void> stored;
    try {
      stored = sink.accept(decoded.spans());
      if (stored == null) {
        stored = CompletableFuture.failedFuture(new IllegalStateException("sink returned null"));
      }
    } catch (RuntimeException e) {
      stored = CompletableFuture.failedFuture(e);
    }
    return stored.handleAsync(
        (ignored, error) -> {
          if (error == null) {
            metrics.spansAccepted.add(count);
            return new Accepted(decoded);
          }
          Throwable cause = unwrap(error);
          if (cause instanceof LogFullException) {
            metrics.spansRefused.add(count);
            return new Overloaded(
                "the server is overloaded, retry in " + settings.retryAfterSeconds() + " s");
          }
          metrics.spansFailed.add(count);
          LOG.warn("{} spans could not be stored: {}", count, cause.toString());
          return new Unavailable("the server could not store the spans, retry later");
        },
        answerOn);
  }

  static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
