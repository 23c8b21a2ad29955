package dev.skein.benchmarks.load;

import java.util.concurrent.TimeUnit;

/** Reads an HTTP {@code Retry-After} header as a pause; a benchmark honours it, briefly. */
final class RetryAfter {

  /** The longest pause honoured, so that a confused server cannot stall a run. */
  static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(2);

  /** The pause when the server refused without saying for how long. */
  static final long DEFAULT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private RetryAfter() {}

  /**
   * Delay-seconds ({@code "3"}) as nanoseconds, at most {@link #MAX_NANOS}; {@link #DEFAULT_NANOS}
   * for a missing header or any other form (an HTTP date included: the sender only needs a short
   * pause, not the exact instant).
   */
  static long parseNanos(String header) {
    if (header == null) {
      return DEFAULT_NANOS;
    }
    String value = header.trim();
    if (value.isEmpty() || value.length() > 10) {
      return DEFAULT_NANOS;
    }
    long seconds = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return DEFAULT_NANOS;
      }
      seconds = seconds * 10 + (c - '0');
    }
    return seconds == 0 ? DEFAULT_NANOS : Math.min(MAX_NANOS, TimeUnit.SECONDS.toNanos(seconds));
  }
}
