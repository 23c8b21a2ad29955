package dev.skein.server.query;

import dev.skein.storage.LatencyHistogram;

/**
 * Percentiles estimated from {@link LatencyHistogram} bucket counts, assuming durations spread
 * evenly inside a bucket (as Prometheus' histogram_quantile does). The first bucket starts at 0; a
 * rank in the last, unbounded bucket is reported as that bucket's lower bound.
 */
final class Percentiles {
  private Percentiles() {}

  /**
   * The estimated {@code quantile} (0 &lt; quantile &le; 1) in nanoseconds, or NaN when there are
   * no counts.
   */
  static double estimateNanos(long[] bucketCounts, double quantile) {
    long total = 0;
    for (long count : bucketCounts) {
      total += count;
    }
    if (total <= 0) {
      return Double.NaN;
    }
    double rank = quantile * total;
    long before = 0;
    for (int i = 0; i < bucketCounts.length; i++) {
      long count = bucketCounts[i];
      if (count > 0 && before + count >= rank) {
        double lower = i == 0 ? 0 : LatencyHistogram.upperBoundNanos(i - 1);
        long upperBound = LatencyHistogram.upperBoundNanos(i);
        if (upperBound == Long.MAX_VALUE) {
          return lower;
        }
        double within = Math.max(0, rank - before) / count;
        return lower + (upperBound - lower) * within;
      }
      before += count;
    }
    // Unreachable for quantile <= 1: the ranks end in the last non-empty bucket.
    return Double.NaN;
  }
}
