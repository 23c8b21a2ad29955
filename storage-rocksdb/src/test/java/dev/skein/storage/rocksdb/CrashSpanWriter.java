package dev.skein.storage.rocksdb;

import dev.skein.storage.Attribute;
import dev.skein.storage.LatencyHistogram;
import dev.skein.storage.Span;
import dev.skein.storage.SpanMetric;
import dev.skein.storage.TraceId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Run in a child JVM by {@link CrashRecoveryTest}: writes batches of spans and a metric per batch
 * to the store in {@code args[0]} until it is killed, syncing every few batches and printing {@code
 * synced <batch>} once every batch up to that one is durable.
 */
public final class CrashSpanWriter {
  static final int TRACES_PER_BATCH = 20;
  static final int SPANS_PER_TRACE = 5;
  static final long START = 1_772_366_400_000_000_000L;
  static final long MINUTE = 1_772_366_400_000L;

  private CrashSpanWriter() {}

  static TraceId traceId(int batch, int trace) {
    return new TraceId(0x5ca1ab1eL + batch, trace * 0x9E3779B97F4A7C15L | 1);
  }

  /** The spans of one batch: the same every time for the same number. */
  static List<Span> batch(int batch) {
    List<Span> spans = new ArrayList<>();
    for (int t = 0; t < TRACES_PER_BATCH; t++) {
      for (int s = 1; s <= SPANS_PER_TRACE; s++) {
        spans.add(
            Span.builder()
                .traceId(traceId(batch, t))
                .spanId(s)
                .parentSpanId(s == 1 ? 0 : 1)
                .service("svc" + s % 3)
                .name("op" + s)
                .kind(Span.Kind.SERVER)
                .startEpochNanos(START + batch * 1_000_000_000L + t * 1_000_000L + s)
                .durationNanos(1000L * (batch + s))
                .addAttribute("batch", (long) batch)
                .addAttribute("user.id", "u" + (batch * 7 + t) % 100)
                .addResourceAttribute(Attribute.of("host.name", "h" + t % 2))
                .build());
      }
    }
    return spans;
  }

  static SpanMetric metric() {
    long[] buckets = new long[LatencyHistogram.BUCKETS];
    buckets[0] = 1;
    return new SpanMetric(MINUTE, "svc1", "op1", Span.Kind.SERVER, 1, 0, 10, buckets);
  }

  public static void main(String[] args) {
    RocksSpanStore store =
        RocksSpanStore.open(
            Path.of(args[0]),
            RocksSpanStore.Options.defaults()
                .indexBufferEntries(3000)
                .blockCacheBytes(8 << 20)
                .memtableBytes(16 << 20));
    for (int batch = 0; ; batch++) {
      store.write(batch(batch));
      store.writeMetrics(List.of(metric()));
      if (batch % 5 == 4) {
        store.sync();
        System.out.println("synced " + batch);
        System.out.flush();
      }
    }
  }
}
