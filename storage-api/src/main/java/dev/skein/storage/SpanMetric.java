package dev.skein.storage;

import java.util.Arrays;

/**
 * Rate, errors and duration of one operation of one service over one minute: the RED numbers,
 * computed as spans arrive. Stores add up metrics written for the same minute, service, operation
 * and kind.
 *
 * @param minuteEpochMillis start of the minute
 * @param bucketCounts span counts per {@link LatencyHistogram} bucket
 */
public record SpanMetric(
    long minuteEpochMillis,
    String service,
    String operation,
    Span.Kind kind,
    long count,
    long errorCount,
    long durationSumNanos,
    long[] bucketCounts) {

  public SpanMetric {
    if (bucketCounts.length != LatencyHistogram.BUCKETS) {
      throw new IllegalArgumentException(
          "expected " + LatencyHistogram.BUCKETS + " buckets, got " + bucketCounts.length);
    }
    bucketCounts = bucketCounts.clone();
  }

  /** The sum of two metrics of the same key. */
  public SpanMetric plus(SpanMetric other) {
    long[] sum = bucketCounts.clone();
    for (int i = 0; i < sum.length; i++) {
      sum[i] += other.bucketCounts[i];
    }
    return new SpanMetric(
        minuteEpochMillis,
        service,
        operation,
        kind,
        count + other.count,
        errorCount + other.errorCount,
        durationSumNanos + other.durationSumNanos,
        sum);
  }

  @Override
  public long[] bucketCounts() {
    return bucketCounts.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SpanMetric m
        && minuteEpochMillis == m.minuteEpochMillis
        && service.equals(m.service)
        && operation.equals(m.operation)
        && kind == m.kind
        && count == m.count
        && errorCount == m.errorCount
        && durationSumNanos == m.durationSumNanos
        && Arrays.equals(bucketCounts, m.bucketCounts);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(minuteEpochMillis, service, operation, kind, count);
  }
}
