package dev.skein.storage;

/**
 * Fixed latency buckets, the same for every store so histograms add up across minutes and services.
 * Bucket {@code i} counts durations up to {@link #upperBoundNanos(int)}; the last one has no upper
 * bound.
 */
public final class LatencyHistogram {
  /** Upper bounds in nanoseconds: 1, 2, 5 steps from 100 µs to 60 s. */
  private static final long[] BOUNDS = {
    100_000L,
    250_000L,
    500_000L,
    1_000_000L,
    2_500_000L,
    5_000_000L,
    10_000_000L,
    25_000_000L,
    50_000_000L,
    100_000_000L,
    250_000_000L,
    500_000_000L,
    1_000_000_000L,
    2_500_000_000L,
    5_000_000_000L,
    10_000_000_000L,
    30_000_000_000L,
    60_000_000_000L
  };

  /** Number of buckets, the unbounded last one included. */
  public static final int BUCKETS = BOUNDS.length + 1;

  private LatencyHistogram() {}

  /** The bucket a duration falls into. */
  public static int bucketOf(long durationNanos) {
    for (int i = 0; i < BOUNDS.length; i++) {
      if (durationNanos <= BOUNDS[i]) {
        return i;
      }
    }
    return BOUNDS.length;
  }

  /** The inclusive upper bound of bucket {@code i}, {@code Long.MAX_VALUE} for the last. */
  public static long upperBoundNanos(int bucket) {
    return bucket < BOUNDS.length ? BOUNDS[bucket] : Long.MAX_VALUE;
  }
}
