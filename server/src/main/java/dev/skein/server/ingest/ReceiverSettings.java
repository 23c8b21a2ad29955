package dev.skein.server.ingest;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and hints shared by all receivers.
 *
 * @param maxRequestBytes largest request body as sent (compressed or not); larger gets HTTP 413 or
 *     gRPC RESOURCE_EXHAUSTED
 * @param maxDecompressedBytes largest body after gzip; inflating stops once past it (HTTP 413, gRPC
 *     RESOURCE_EXHAUSTED), so a small compressed bomb costs no more than this much memory
 * @param maxSpansPerRequest most spans one request may hold; more is answered like a large body
 * @param retryAfter how long an overloaded server asks clients to wait: HTTP {@code Retry-After}
 *     (whole seconds, at least 1) and the gRPC {@code RetryInfo} delay
 */
public record ReceiverSettings(
    long maxRequestBytes, long maxDecompressedBytes, int maxSpansPerRequest, Duration retryAfter) {

  public ReceiverSettings {
    Objects.requireNonNull(retryAfter, "retryAfter");
    if (maxRequestBytes < 1 || maxRequestBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("maxRequestBytes out of range: " + maxRequestBytes);
    }
    if (maxDecompressedBytes < 1 || maxDecompressedBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "maxDecompressedBytes out of range: " + maxDecompressedBytes);
    }
    if (maxSpansPerRequest < 1) {
      throw new IllegalArgumentException("maxSpansPerRequest must be at least 1");
    }
    if (retryAfter.isNegative() || retryAfter.isZero()) {
      throw new IllegalArgumentException("retryAfter must be positive");
    }
  }

  /** 20 MiB per request body, 64 MiB decompressed, 100,000 spans, retry after 5 s. */
  public static ReceiverSettings defaults() {
    return new ReceiverSettings(20L << 20, 64L << 20, 100_000, Duration.ofSeconds(5));
  }

  public ReceiverSettings withMaxRequestBytes(long bytes) {
    return new ReceiverSettings(bytes, maxDecompressedBytes, maxSpansPerRequest, retryAfter);
  }

  public ReceiverSettings withMaxDecompressedBytes(long bytes) {
    return new ReceiverSettings(maxRequestBytes, bytes, maxSpansPerRequest, retryAfter);
  }

  public ReceiverSettings withMaxSpansPerRequest(int spans) {
    return new ReceiverSettings(maxRequestBytes, maxDecompressedBytes, spans, retryAfter);
  }

  public ReceiverSettings withRetryAfter(Duration delay) {
    return new ReceiverSettings(maxRequestBytes, maxDecompressedBytes, maxSpansPerRequest, delay);
  }

  /** {@link #retryAfter} as HTTP's whole seconds, rounded up. */
  long retryAfterSeconds() {
    long seconds = retryAfter.toSeconds();
    return retryAfter.minusSeconds(seconds).isZero() ? Math.max(1, seconds) : seconds + 1;
  }
}
