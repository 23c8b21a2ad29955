package dev.skein.benchmarks.load;

/** Quantiles of sorted nanosecond samples, nearest rank. */
final class Quantiles {
  private Quantiles() {}

  /** The {@code q} quantile (0..1) of {@code sortedNanos} in milliseconds; NaN when empty. */
  static double millis(long[] sortedNanos, double q) {
    if (sortedNanos.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(q * sortedNanos.length) - 1;
    return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, rank))] / 1e6;
  }
}
