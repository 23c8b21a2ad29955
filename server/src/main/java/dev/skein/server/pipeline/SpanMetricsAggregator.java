package dev.skein.server.pipeline;

import dev.skein.storage.LatencyHistogram;
import dev.skein.storage.Span;
import dev.skein.storage.SpanMetric;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rate, errors and a duration histogram per service, operation, kind and minute, added up as spans
 * pass and handed to the store at each commit. Holding them until the commit (rather than writing
 * per batch) keeps replayed records from being counted twice after a crash.
 */
final class SpanMetricsAggregator {
  private static final long MINUTE_NANOS = 60_000_000_000L;

  private record Key(long minuteEpochMillis, String service, String operation, Span.Kind kind) {}

  private static final class Counts {
    long count;
    long errors;
    long durationSum;
    final long[] buckets = new long[LatencyHistogram.BUCKETS];
  }

  private final Map<Key, Counts> pending = new HashMap<>();

  void add(List<Span> spans) {
    for (Span span : spans) {
      long minuteMillis = Math.floorDiv(span.startEpochNanos(), MINUTE_NANOS) * 60_000L;
      Counts counts =
          pending.computeIfAbsent(
              new Key(minuteMillis, span.service(), span.name(), span.kind()), k -> new Counts());
      counts.count++;
      if (span.isError()) {
        counts.errors++;
      }
      counts.durationSum += span.durationNanos();
      counts.buckets[LatencyHistogram.bucketOf(span.durationNanos())]++;
    }
  }

  /** What was added since the last drain, as metrics; forgets it. */
  List<SpanMetric> drain() {
    List<SpanMetric> metrics = new ArrayList<>(pending.size());
    pending.forEach(
        (key, counts) ->
            metrics.add(
                new SpanMetric(
                    key.minuteEpochMillis(),
                    key.service(),
                    key.operation(),
                    key.kind(),
                    counts.count,
                    counts.errors,
                    counts.durationSum,
                    counts.buckets)));
    pending.clear();
    return metrics;
  }
}
