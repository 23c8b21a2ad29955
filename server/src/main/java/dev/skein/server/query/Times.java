package dev.skein.server.query;

import java.time.Clock;
import java.time.Instant;

/** Time arithmetic for query windows. */
final class Times {
  static final long NANOS_PER_MILLI = 1_000_000L;

  private Times() {}

  static long nowNanos(Clock clock) {
    Instant now = clock.instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** The last nanosecond of the microsecond that starts at {@code nanos}. */
  static long endOfMicro(long nanos) {
    return saturatedAdd(nanos, 999L);
  }

  /** The last nanosecond of the millisecond that starts at {@code nanos}. */
  static long endOfMilli(long nanos) {
    return saturatedAdd(nanos, NANOS_PER_MILLI - 1);
  }

  static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }
}
