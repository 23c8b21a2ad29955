package dev.skein.exporter;

import java.time.Duration;

/**
 * When to try a request again: up to {@code maxAttempts} attempts in all, waiting an exponentially
 * growing, jittered backoff between them, or what the backend asked for with {@code Retry-After}
 * when that is longer. A backend asking for more than {@code maxRetryAfter} is not waited for: the
 * batch fails, and the next batch finds out whether the backend is back.
 *
 * <p>The defaults are the OpenTelemetry exporters': 5 attempts, 1 s growing by 1.5× to 5 s.
 */
public record RetryPolicy(
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    double multiplier,
    Duration maxRetryAfter) {

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "backoff must satisfy 0 <= initial <= max, was " + initialBackoff + ", " + maxBackoff);
    }
    if (!(multiplier >= 1)) {
      throw new IllegalArgumentException("multiplier must be at least 1, was " + multiplier);
    }
    if (maxRetryAfter.isNegative()) {
      throw new IllegalArgumentException("maxRetryAfter must not be negative");
    }
  }

  public static RetryPolicy defaults() {
    return new RetryPolicy(
        5, Duration.ofSeconds(1), Duration.ofSeconds(5), 1.5, Duration.ofSeconds(30));
  }

  /** One attempt only. */
  public static RetryPolicy none() {
    return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 1, Duration.ZERO);
  }

  /**
   * The wait before retry number {@code retry} (1 for the first retry). Half of it is fixed and
   * half random ({@code random} in [0, 1)): the random half spreads clients that failed together,
   * the fixed half keeps a client from retrying almost at once.
   */
  long backoffNanos(int retry, double random) {
    double grown = initialBackoff.toNanos() * Math.pow(multiplier, retry - 1);
    double capped = Math.min(grown, maxBackoff.toNanos());
    return (long) (capped / 2 + capped / 2 * random);
  }
}
