package dev.skein.storage.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skein.storage.Span;
import dev.skein.storage.StoreException;
import dev.skein.storage.TraceId;
import dev.skein.storage.TraceQuery;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/** What the RocksDB store does beyond the contract: partitions, options, closing under load. */
class RocksSpanStoreBehaviourTest {
  private static final long T0 = 1_772_366_400_000_000_000L;
  private static final long DAY = 86_400_000_000_000L;

  @TempDir Path dir;

  private static Span span(long traceLow, long start) {
    return Span.builder()
        .traceId(new TraceId(7, traceLow))
        .spanId(1)
        .service("web")
        .name("get")
        .startEpochNanos(start)
        .durationNanos(1_000)
        .build();
  }

  private List<String> families() throws Exception {
    List<String> names = new ArrayList<>();
    try (Options options = new Options()) {
      for (byte[] name : RocksDB.listColumnFamilies(options, dir.toString())) {
        names.add(new String(name, StandardCharsets.UTF_8));
      }
    }
    return names;
  }

  @Test
  void eachDayIsAPairOfColumnFamiliesAndRetentionDropsThemWhole() throws Exception {
    try (RocksSpanStore store = RocksSpanStore.open(dir, RocksSpanStore.Options.defaults())) {
      for (int day = 0; day < 3; day++) {
        store.write(List.of(span(day + 1, T0 + day * DAY)));
      }
      // Noon of the second day: the first day's partition ends before it, the second's does not.
      store.deleteBefore((T0 + DAY) / 1_000_000);
      assertThat(store.trace(new TraceId(7, 1))).isEmpty();
      assertThat(store.trace(new TraceId(7, 2))).hasSize(1);
      assertThat(store.trace(new TraceId(7, 3))).hasSize(1);
    }
    long secondDay = (T0 + DAY) / 1_000_000 / 86_400_000 * 86_400_000;
    assertThat(families())
        .containsExactlyInAnyOrder(
            "default",
            "spans-" + secondDay,
            "index-" + secondDay,
            "spans-" + (secondDay + 86_400_000),
            "index-" + (secondDay + 86_400_000));
  }

  @Test
  void hourlyPartitionsDropByTheHour() {
    RocksSpanStore.Options hourly =
        RocksSpanStore.Options.defaults().partitionWidth(Duration.ofHours(1));
    long hour = 3_600_000_000_000L;
    try (RocksSpanStore store = RocksSpanStore.open(dir, hourly)) {
      store.write(List.of(span(1, T0), span(2, T0 + hour), span(3, T0 + 2 * hour)));
      store.deleteBefore((T0 + 2 * hour) / 1_000_000);
      assertThat(store.findTraceIds(TraceQuery.window(0, Long.MAX_VALUE, 10)))
          .containsExactly(new TraceId(7, 3));
    }
  }

  @Test
  void aStoreOpensOnlyWithThePartitionWidthItWasMadeWith() {
    RocksSpanStore.open(dir, RocksSpanStore.Options.defaults()).close();

    assertThatThrownBy(
            () ->
                RocksSpanStore.open(
                    dir, RocksSpanStore.Options.defaults().partitionWidth(Duration.ofHours(6))))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("PT24H")
        .hasMessageContaining("PT6H");
    // Still fine with the right one.
    RocksSpanStore.open(dir, RocksSpanStore.Options.defaults()).close();
  }

  @Test
  void badOptionsAreRefusedWithTheReason() {
    RocksSpanStore.Options defaults = RocksSpanStore.Options.defaults();
    assertThatThrownBy(() -> defaults.partitionWidth(Duration.ofSeconds(10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 minute");
    assertThatThrownBy(() -> defaults.partitionWidth(Duration.ofDays(400)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> defaults.blockCacheBytes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("block cache");
    assertThatThrownBy(() -> defaults.zstdLevel(30))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ZSTD level");
    assertThatThrownBy(() -> defaults.dictionaryEntries(20_000_000))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void closingWhileReadersReadEndsThemCleanly() throws Exception {
    RocksSpanStore store = RocksSpanStore.open(dir, RocksSpanStore.Options.defaults());
    List<Span> spans = new ArrayList<>();
    for (int i = 1; i <= 2000; i++) {
      spans.add(span(i, T0 + i * 1_000_000L));
    }
    store.write(spans);
    ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
    CountDownLatch reading = new CountDownLatch(4);
    List<Thread> readers = new ArrayList<>();
    for (int r = 0; r < 4; r++) {
      int seed = r;
      Thread reader =
          new Thread(
              () -> {
                reading.countDown();
                try {
                  for (int i = 0; ; i++) {
                    store.trace(new TraceId(7, 1 + (i * 7 + seed) % 2000));
                    store.findTraceIds(TraceQuery.window(T0, T0 + DAY, 20));
                  }
                } catch (StoreException closed) {
                  // The store was closed under it: the one acceptable way to stop.
                } catch (Throwable t) {
                  unexpected.add(t);
                }
              });
      reader.start();
      readers.add(reader);
    }
    reading.await();
    Thread.sleep(50);
    store.close();
    for (Thread reader : readers) {
      reader.join();
    }
    assertThat(unexpected).isEmpty();
  }

  @Test
  void anAttributeWithManyValuesBecomesVariableAndStaysSearchable() {
    try (RocksSpanStore store = RocksSpanStore.open(dir, RocksSpanStore.Options.defaults())) {
      List<Span> spans = new ArrayList<>();
      for (int i = 1; i <= 40; i++) {
        spans.add(
            span(i, T0 + i * 1_000_000L).toBuilder()
                .addAttribute("user.id", "u" + i)
                .addAttribute("http.method", i % 2 == 0 ? "GET" : "POST")
                .build());
      }
      store.write(spans);

      List<Shape> shapes = store.shapes.of("web");
      assertThat(shapes).anyMatch(shape -> shape.constants[0] == null);
      assertThat(shapes).allMatch(shape -> shape.constants[1] != null);
      for (int i : new int[] {1, 8, 9, 40}) {
        TraceQuery query =
            new TraceQuery(
                "web",
                null,
                java.util.Map.of("user.id", "u" + i),
                0,
                Long.MAX_VALUE,
                0,
                Long.MAX_VALUE,
                10);
        assertThat(store.findTraceIds(query)).as("u%d", i).containsExactly(new TraceId(7, i));
      }
    }
  }

  @Test
  void shapesComeBackAfterReopeningAndAreReused() {
    Span first =
        span(1, T0).toBuilder().addAttribute("http.method", "GET").addAttribute("n", 1L).build();
    try (RocksSpanStore store = RocksSpanStore.open(dir, RocksSpanStore.Options.defaults())) {
      store.write(List.of(first));
    }
    try (RocksSpanStore store = RocksSpanStore.open(dir, RocksSpanStore.Options.defaults())) {
      int entries = store.dictionary.size();
      store.write(
          List.of(
              span(2, T0 + 1).toBuilder()
                  .addAttribute("http.method", "GET")
                  .addAttribute("n", 1L)
                  .build()));
      assertThat(store.dictionary.size()).isEqualTo(entries);
      assertThat(store.trace(new TraceId(7, 1))).containsExactly(first);
    }
  }
}
