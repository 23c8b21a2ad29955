package dev.skein.sdk.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skein.sdk.FakeSpan;
import dev.skein.sdk.SpanData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchSpanProcessorTest {

  private final RecordingExporter exporter = new RecordingExporter();
  private final List<BatchSpanProcessor> processors = new ArrayList<>();

  @AfterEach
  void shutDownProcessors() {
    for (BatchSpanProcessor processor : processors) {
      processor.shutdown().orTimeout(10, TimeUnit.SECONDS).join();
    }
  }

  private BatchSpanProcessor track(BatchSpanProcessor processor) {
    processors.add(processor);
    return processor;
  }

  /** A processor whose timer never fires during a test. */
  private BatchSpanProcessor.Builder withoutTimer() {
    return BatchSpanProcessor.builder(exporter).setScheduleDelay(Duration.ofHours(1));
  }

  private static List<SpanData> end(BatchSpanProcessor processor, int count) {
    List<SpanData> spans = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      SpanData span = FakeSpan.sampled("span-" + i);
      spans.add(span);
      processor.onEnd(span);
    }
    return spans;
  }

  @Test
  void batch_exportsWhenBatchSizeReached() throws Exception {
    BatchSpanProcessor processor =
        track(withoutTimer().setMaxQueueSize(64).setMaxExportBatchSize(8).build());

    List<SpanData> spans = end(processor, 8);

    assertThat(exporter.awaitSpans(8)).containsExactlyElementsOf(spans);
    assertThat(exporter.batchSizes()).containsExactly(8);
  }

  @Test
  void batch_exportsBackToBackBatchesWithoutWaitingForTheDelay() throws Exception {
    BatchSpanProcessor processor =
        track(withoutTimer().setMaxQueueSize(64).setMaxExportBatchSize(8).build());

    List<SpanData> spans = end(processor, 40);

    assertThat(exporter.awaitSpans(40)).containsExactlyElementsOf(spans);
    assertThat(exporter.batchSizes()).containsOnly(8);
  }

  @Test
  void batch_wakesAtHalfQueueWhenBatchIsAsLargeAsQueue() throws Exception {
    BatchSpanProcessor processor =
        track(withoutTimer().setMaxQueueSize(16).setMaxExportBatchSize(16).build());

    end(processor, 8);

    assertThat(exporter.awaitSpans(8)).hasSize(8);
    assertThat(processor.droppedSpans()).isZero();
  }

  @Test
  void batch_exportsAfterScheduleDelay() throws Exception {
    BatchSpanProcessor processor =
        track(BatchSpanProcessor.builder(exporter).setScheduleDelay(Duration.ofMillis(50)).build());

    SpanData span = FakeSpan.sampled("lonely");
    processor.onEnd(span);

    assertThat(exporter.awaitSpans(1)).containsExactly(span);
  }

  @Test
  void batch_zeroDelayExportsAsSoonAsASpanIsQueued() throws Exception {
    BatchSpanProcessor processor =
        track(BatchSpanProcessor.builder(exporter).setScheduleDelay(Duration.ZERO).build());

    SpanData first = FakeSpan.sampled("first");
    processor.onEnd(first);
    assertThat(exporter.awaitSpans(1)).containsExactly(first);

    SpanData second = FakeSpan.sampled("second");
    processor.onEnd(second);
    assertThat(exporter.awaitSpans(2)).containsExactly(first, second);
  }

  @Test
  void batch_dropsAndCountsSpansWhenQueueFull() throws Exception {
    CountDownLatch exporting = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    exporter.onExport =
        batch -> {
          exporting.countDown();
          return CompletableFuture.runAsync(
              () -> {
                try {
                  release.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
        };
    BatchSpanProcessor processor =
        track(withoutTimer().setMaxQueueSize(4).setMaxExportBatchSize(2).build());

    end(processor, 2); // the worker takes these two and then waits on the exporter
    assertThat(exporting.await(10, TimeUnit.SECONDS)).isTrue();
    end(processor, 4); // fills the queue
    end(processor, 3); // no room

    assertThat(processor.droppedSpans()).isEqualTo(3);
    assertThat(processor.queuedSpans()).isEqualTo(4);

    release.countDown();
    processor.forceFlush().get(10, TimeUnit.SECONDS);
    assertThat(exporter.spans()).hasSize(6);
    assertThat(processor.exportedSpans()).isEqualTo(6);
    assertThat(processor.failedSpans()).isZero();
    assertThat(processor.queuedSpans()).isZero();
  }

  @Test
  void batch_forceFlushExportsQueuedSpansThenFlushesExporter() throws Exception {
    BatchSpanProcessor processor = track(withoutTimer().build());
    List<SpanData> spans = end(processor, 10);
    assertThat(processor.queuedSpans()).isEqualTo(10);

    processor.forceFlush().get(10, TimeUnit.SECONDS);

    assertThat(exporter.spans()).containsExactlyElementsOf(spans);
    assertThat(exporter.flushes()).isEqualTo(1);
    assertThat(processor.exportedSpans()).isEqualTo(10);
    assertThat(processor.queuedSpans()).isZero();
  }

  @Test
  void batch_forceFlushSendsMoreThanOneBatch() throws Exception {
    BatchSpanProcessor processor =
        track(withoutTimer().setMaxQueueSize(100).setMaxExportBatchSize(50).build());
    // 30 stay below the wake-up threshold of 50, so only the flush sends them; then 70 more.
    end(processor, 30);
    processor.forceFlush().get(10, TimeUnit.SECONDS);
    end(processor, 70);
    processor.forceFlush().get(10, TimeUnit.SECONDS);

    assertThat(exporter.spans()).hasSize(100);
    assertThat(exporter.batchSizes()).allMatch(size -> size <= 50);
    assertThat(exporter.flushes()).isEqualTo(2);
  }

  @Test
  void batch_unsampledSpansAreNeverExported() throws Exception {
    BatchSpanProcessor processor = track(withoutTimer().build());
    List<SpanData> sampled = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      SpanData span = FakeSpan.sampled("yes");
      sampled.add(span);
      processor.onEnd(span);
      processor.onEnd(FakeSpan.unsampled("no"));
    }

    processor.forceFlush().get(10, TimeUnit.SECONDS);

    assertThat(exporter.spans()).containsExactlyElementsOf(sampled);
    assertThat(processor.droppedSpans()).isZero();
    assertThat(processor.exportedSpans()).isEqualTo(5);
  }

  @Test
  void batch_shutdownExportsEverythingQueuedAndShutsDownExporter() throws Exception {
    BatchSpanProcessor processor = withoutTimer().build();
    List<SpanData> spans = end(processor, 1000);

    processor.shutdown().get(10, TimeUnit.SECONDS);

    assertThat(exporter.spans()).containsExactlyElementsOf(spans);
    assertThat(exporter.batchSizes()).containsExactly(512, 488);
    assertThat(exporter.shutdowns()).isEqualTo(1);
    assertThat(processor.exportedSpans()).isEqualTo(1000);
    processor.worker.join(TimeUnit.SECONDS.toMillis(10));
    assertThat(processor.worker.isAlive()).isFalse();
  }

  @Test
  void batch_shutdownIsIdempotent() throws Exception {
    BatchSpanProcessor processor = withoutTimer().build();

    CompletableFuture<Void> first = processor.shutdown();
    CompletableFuture<Void> second = processor.shutdown();
    first.get(10, TimeUnit.SECONDS);

    assertThat(second).isSameAs(first);
    assertThat(processor.shutdown()).isCompleted();
    assertThat(exporter.shutdowns()).isEqualTo(1);
  }

  @Test
  void batch_spansEndedAfterShutdownAreDroppedAndCounted() throws Exception {
    BatchSpanProcessor processor = withoutTimer().build();
    end(processor, 2);
    processor.shutdown().get(10, TimeUnit.SECONDS);

    end(processor, 3);

    assertThat(processor.droppedSpans()).isEqualTo(3);
    assertThat(processor.exportedSpans()).isEqualTo(2);
    assertThat(exporter.spans()).hasSize(2);
    assertThat(processor.forceFlush()).isCompleted();
  }

  @Test
  void batch_exporterFailureIsCountedAndWorkerSurvives() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    exporter.onExport =
        batch -> {
          switch (calls.incrementAndGet()) {
            case 1:
              return CompletableFuture.failedFuture(new RuntimeException("backend down"));
            case 2:
              throw new IllegalStateException("exporter bug");
            case 3:
              return null; // a broken exporter
            default:
              return CompletableFuture.completedFuture(null);
          }
        };
    BatchSpanProcessor processor = track(withoutTimer().build());

    end(processor, 2);
    processor.forceFlush().get(10, TimeUnit.SECONDS);
    end(processor, 3);
    processor.forceFlush().get(10, TimeUnit.SECONDS);
    end(processor, 1);
    processor.forceFlush().get(10, TimeUnit.SECONDS);
    assertThat(processor.failedSpans()).isEqualTo(6);
    assertThat(processor.exportedSpans()).isZero();

    end(processor, 4);
    processor.forceFlush().get(10, TimeUnit.SECONDS);
    assertThat(processor.exportedSpans()).isEqualTo(4);
    assertThat(processor.failedSpans()).isEqualTo(6);
    assertThat(processor.worker.isAlive()).isTrue();
  }

  @Test
  void batch_exportTimeoutIsCountedAsFailed() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    exporter.onExport =
        batch ->
            calls.incrementAndGet() == 1
                ? new CompletableFuture<>() // never completes
                : CompletableFuture.completedFuture(null);
    BatchSpanProcessor processor =
        track(withoutTimer().setExporterTimeout(Duration.ofMillis(50)).build());

    end(processor, 3);
    processor.forceFlush().get(10, TimeUnit.SECONDS);
    assertThat(processor.failedSpans()).isEqualTo(3);

    end(processor, 2);
    processor.forceFlush().get(10, TimeUnit.SECONDS);
    assertThat(processor.exportedSpans()).isEqualTo(2);
  }

  @Test
  void batch_timedOutBatchIsNotReusedWhileExporterMayHoldIt() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    exporter.onExport =
        batch ->
            calls.incrementAndGet() == 1
                ? new CompletableFuture<>()
                : CompletableFuture.completedFuture(null);
    BatchSpanProcessor processor =
        track(withoutTimer().setExporterTimeout(Duration.ofMillis(50)).build());

    List<SpanData> first = end(processor, 3);
    processor.forceFlush().get(10, TimeUnit.SECONDS);
    end(processor, 5);
    processor.forceFlush().get(10, TimeUnit.SECONDS);

    Collection<SpanData> heldByExporter = exporter.collections().get(0);
    assertThat(heldByExporter).containsExactlyElementsOf(first);
  }

  @Test
  void batch_workerSurvivesAStrayInterrupt() throws Exception {
    BatchSpanProcessor processor =
        track(withoutTimer().setMaxQueueSize(64).setMaxExportBatchSize(8).build());

    processor.worker.interrupt();
    // A worker that kept the flag would spin, since park returns at once while it is set.
    awaitFlagCleared(processor.worker);
    List<SpanData> spans = end(processor, 8);

    assertThat(exporter.awaitSpans(8)).containsExactlyElementsOf(spans);
    assertThat(processor.worker.isAlive()).isTrue();
  }

  private static void awaitFlagCleared(Thread thread) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (thread.isInterrupted()) {
      assertThat(System.nanoTime() - deadline).as("worker still interrupted").isNegative();
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  @Test
  void batch_exportsOnlyFromTheWorkerThread() throws Exception {
    BatchSpanProcessor processor =
        track(withoutTimer().setMaxQueueSize(64).setMaxExportBatchSize(8).build());
    end(processor, 20);
    processor.forceFlush().get(10, TimeUnit.SECONDS);

    assertThat(processor.worker.getName()).isEqualTo("skein-batch-span-processor");
    assertThat(processor.worker.isDaemon()).isTrue();
    assertThat(exporter.exportThreads()).containsOnly("skein-batch-span-processor");
  }

  @Test
  void batch_concurrentProducersLoseNothingWhenQueueIsBigEnough() throws Exception {
    int threads = 4;
    int perThread = 25_000;
    BatchSpanProcessor processor =
        track(withoutTimer().setMaxQueueSize(threads * perThread).build());
    CyclicBarrier start = new CyclicBarrier(threads);
    List<Thread> producers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread producer =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (Exception e) {
                  throw new AssertionError(e);
                }
                end(processor, perThread);
              });
      producer.start();
      producers.add(producer);
    }
    for (Thread producer : producers) {
      producer.join();
    }

    processor.forceFlush().get(10, TimeUnit.SECONDS);

    assertThat(processor.droppedSpans()).isZero();
    assertThat(processor.exportedSpans()).isEqualTo(threads * perThread);
    Set<Long> ids = new HashSet<>();
    for (SpanData span : exporter.spans()) {
      ids.add(span.spanId());
    }
    assertThat(ids).hasSize(threads * perThread);
  }

  @Test
  void batch_builderRejectsBatchLargerThanQueue() {
    BatchSpanProcessor.Builder builder =
        BatchSpanProcessor.builder(exporter).setMaxQueueSize(512).setMaxExportBatchSize(1024);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxExportBatchSize (1024)")
        .hasMessageContaining("maxQueueSize (512)");
  }

  @Test
  void batch_builderRejectsNonsense() {
    BatchSpanProcessor.Builder builder = BatchSpanProcessor.builder(exporter);

    assertThatThrownBy(() -> builder.setMaxQueueSize(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.setMaxExportBatchSize(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.setScheduleDelay(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.setExporterTimeout(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void batch_defaultsMatchOpenTelemetryExceptTheLargerQueue() {
    BatchSpanProcessor processor = track(BatchSpanProcessor.builder(exporter).build());

    assertThat(processor.toString())
        .contains(
            "scheduleDelay=PT5S",
            "maxQueueSize=32768",
            "maxExportBatchSize=512",
            "exporterTimeout=PT30S");
  }
}
