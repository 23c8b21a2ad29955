package dev.skein.server.query;

import dev.skein.storage.LatencyHistogram;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Latency of the store calls the query APIs make, per kind of call: how many, how many failed,
 * total and longest time, and a fixed-bucket histogram. Safe to read while queries run; {@link
 * #writePrometheus(StringBuilder)} prints it for a {@code /metrics} page.
 *
 * <p>A trace read is timed while it streams to the client, less the time spent waiting for a slow
 * client to take the bytes, so it measures the store and the encoding, not the network.
 */
public final class QueryStats {

  /** The kinds of store call that are timed. */
  public enum Call {
    SERVICES,
    OPERATIONS,
    REMOTE_SERVICES,
    FIND_TRACE_IDS,
    READ_TRACE,
    DEPENDENCIES,
    METRICS,
    TAG_KEYS,
    TAG_VALUES;

    /** The lower-case name used as a metric label. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The span-duration buckets serve store calls too, so one set of bounds reads everywhere. */
  private static final long[] BOUNDS_NANOS = boundsNanos();

  private static long[] boundsNanos() {
    long[] bounds = new long[LatencyHistogram.BUCKETS - 1];
    for (int i = 0; i < bounds.length; i++) {
      bounds[i] = LatencyHistogram.upperBoundNanos(i);
    }
    return bounds;
  }

  /** One call kind's figures at the moment they were read. */
  public record CallStats(
      Call call, long count, long errors, long totalNanos, long maxNanos, long[] bucketCounts) {
    public CallStats {
      bucketCounts = bucketCounts.clone();
    }

    /** Counts per bucket of {@link #bucketUpperBoundsNanos()}, the last one unbounded. */
    @Override
    public long[] bucketCounts() {
      return bucketCounts.clone();
    }
  }

  private static final class Recorder {
    final LongAdder count = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder totalNanos = new LongAdder();
    final AtomicLong maxNanos = new AtomicLong();
    final AtomicLongArray buckets = new AtomicLongArray(BOUNDS_NANOS.length + 1);
  }

  private final Map<Call, Recorder> recorders = new EnumMap<>(Call.class);

  public QueryStats() {
    for (Call call : Call.values()) {
      recorders.put(call, new Recorder());
    }
  }

  /** The buckets' inclusive upper bounds in nanoseconds; one more bucket counts anything longer. */
  public static long[] bucketUpperBoundsNanos() {
    return BOUNDS_NANOS.clone();
  }

  /** Records one call that took {@code nanos} and failed or not. */
  public void record(Call call, long nanos, boolean failed) {
    long elapsed = Math.max(0, nanos);
    Recorder recorder = recorders.get(call);
    recorder.count.increment();
    if (failed) {
      recorder.errors.increment();
    }
    recorder.totalNanos.add(elapsed);
    recorder.maxNanos.accumulateAndGet(elapsed, Math::max);
    recorder.buckets.incrementAndGet(LatencyHistogram.bucketOf(elapsed));
  }

  /** The figures of one kind of call. */
  public CallStats get(Call call) {
    Recorder recorder = recorders.get(call);
    long[] buckets = new long[recorder.buckets.length()];
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = recorder.buckets.get(i);
    }
    return new CallStats(
        call,
        recorder.count.sum(),
        recorder.errors.sum(),
        recorder.totalNanos.sum(),
        recorder.maxNanos.get(),
        buckets);
  }

  /** The figures of every kind of call, in {@link Call} order. */
  public List<CallStats> snapshot() {
    List<CallStats> all = new ArrayList<>();
    for (Call call : Call.values()) {
      all.add(get(call));
    }
    return all;
  }

  /**
   * Appends the figures in the Prometheus text format: the histogram {@code
   * skein_store_query_seconds}, the gauge {@code skein_store_query_max_seconds} and the counter
   * {@code skein_store_query_errors_total}, each labelled {@code call}.
   */
  public void writePrometheus(StringBuilder out) {
    List<CallStats> all = snapshot();
    out.append("# HELP skein_store_query_seconds Time of store calls made by the query APIs.\n");
    out.append("# TYPE skein_store_query_seconds histogram\n");
    for (CallStats stats : all) {
      String label = stats.call().label();
      long cumulative = 0;
      long[] buckets = stats.bucketCounts();
      for (int i = 0; i < buckets.length; i++) {
        cumulative += buckets[i];
        String le = i < BOUNDS_NANOS.length ? seconds(BOUNDS_NANOS[i]) : "+Inf";
        out.append("skein_store_query_seconds_bucket{call=\"")
            .append(label)
            .append("\",le=\"")
            .append(le)
            .append("\"} ")
            .append(cumulative)
            .append('\n');
      }
      out.append("skein_store_query_seconds_sum{call=\"")
          .append(label)
          .append("\"} ")
          .append(seconds(stats.totalNanos()))
          .append('\n');
      out.append("skein_store_query_seconds_count{call=\"")
          .append(label)
          .append("\"} ")
          .append(stats.count())
          .append('\n');
    }
    out.append("# HELP skein_store_query_max_seconds Longest store call since start.\n");
    out.append("# TYPE skein_store_query_max_seconds gauge\n");
    for (CallStats stats : all) {
      out.append("skein_store_query_max_seconds{call=\"")
          .append(stats.call().label())
          .append("\"} ")
          .append(seconds(stats.maxNanos()))
          .append('\n');
    }
    out.append("# HELP skein_store_query_errors_total Store calls that failed.\n");
    out.append("# TYPE skein_store_query_errors_total counter\n");
    for (CallStats stats : all) {
      out.append("skein_store_query_errors_total{call=\"")
          .append(stats.call().label())
          .append("\"} ")
          .append(stats.errors())
          .append('\n');
    }
  }

  private static String seconds(long nanos) {
    return BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString();
  }
}
