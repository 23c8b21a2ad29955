package dev.skein.sdk.export;

import dev.skein.sdk.SpanData;
import dev.skein.sdk.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A fake exporter that records what it is given. Each export call answers with {@link #onExport}, a
 * completed future unless a test says otherwise.
 */
final class RecordingExporter implements SpanExporter {

  private static final long AWAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

  volatile Function<Collection<SpanData>, CompletableFuture<Void>> onExport =
      batch -> CompletableFuture.completedFuture(null);

  private final List<SpanData> spans = new ArrayList<>(); // guarded by this
  private final List<Integer> batchSizes = new ArrayList<>(); // guarded by this
  private final List<Collection<SpanData>> collections = new ArrayList<>(); // guarded by this
  private final List<String> exportThreads = new ArrayList<>(); // guarded by this
  private int flushes; // guarded by this
  private int shutdowns; // guarded by this

  @Override
  public CompletableFuture<Void> export(Collection<SpanData> batch) {
    synchronized (this) {
      spans.addAll(batch);
      batchSizes.add(batch.size());
      collections.add(batch);
      exportThreads.add(Thread.currentThread().getName());
      notifyAll();
    }
    return onExport.apply(batch);
  }

  @Override
  public synchronized CompletableFuture<Void> flush() {
    flushes++;
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletableFuture<Void> shutdown() {
    shutdowns++;
    return CompletableFuture.completedFuture(null);
  }

  /** Every span handed to export so far, whatever the export's outcome. */
  synchronized List<SpanData> spans() {
    return List.copyOf(spans);
  }

  synchronized List<Integer> batchSizes() {
    return List.copyOf(batchSizes);
  }

  /** The collections exactly as the processor passed them, not copies. */
  synchronized List<Collection<SpanData>> collections() {
    return List.copyOf(collections);
  }

  synchronized List<String> exportThreads() {
    return List.copyOf(exportThreads);
  }

  synchronized int flushes() {
    return flushes;
  }

  synchronized int shutdowns() {
    return shutdowns;
  }

  /**
   * Waits until at least {@code count} spans were handed to export, for tests where only the
   * background worker can act. Fails after a generous deadline rather than hanging.
   */
  synchronized List<SpanData> awaitSpans(int count) throws InterruptedException {
    long deadline = System.nanoTime() + AWAIT_NANOS;
    while (spans.size() < count) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("expected " + count + " exported spans, got " + spans.size());
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return List.copyOf(spans);
  }
}
