package dev.skein.sdk.export;

import dev.skein.sdk.SpanData;
import dev.skein.sdk.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Keeps exported spans in memory, in the order they were exported, for tests to inspect.
 *
 * <pre>{@code
 * InMemorySpanExporter exporter = InMemorySpanExporter.create();
 * SkeinSdk sdk =
 *     SkeinSdk.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
 * // ... run the code under test ...
 * assertThat(exporter.finishedSpans()).extracting(SpanData::name).containsExactly("checkout");
 * }</pre>
 *
 * <p>After {@link #shutdown()}, exports fail with an {@link IllegalStateException}; the spans
 * already kept stay readable, so a test may shut its SDK down before it asserts.
 */
public final class InMemorySpanExporter implements SpanExporter {

  private final List<SpanData> spans = new ArrayList<>(); // guarded by this
  private boolean stopped; // guarded by this

  private InMemorySpanExporter() {}

  /** A new, empty exporter. */
  public static InMemorySpanExporter create() {
    return new InMemorySpanExporter();
  }

  /** Appends {@code batch} to the kept spans; fails once the exporter is shut down. */
  @Override
  public CompletableFuture<Void> export(Collection<SpanData> batch) {
    synchronized (this) {
      if (!stopped) {
        spans.addAll(batch);
        return CompletableFuture.completedFuture(null);
      }
    }
    return CompletableFuture.failedFuture(
        new IllegalStateException("InMemorySpanExporter is shut down"));
  }

  /** An immutable copy of the spans exported so far, oldest first. */
  public synchronized List<SpanData> finishedSpans() {
    return List.copyOf(spans);
  }

  /** Forgets the spans exported so far. */
  public synchronized void reset() {
    spans.clear();
  }

  /** Makes later exports fail; the spans kept so far stay readable. */
  @Override
  public synchronized CompletableFuture<Void> shutdown() {
    stopped = true;
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public String toString() {
    return "InMemorySpanExporter";
  }
}
