package dev.skein.benchmarks;

import dev.skein.sdk.SpanData;
import dev.skein.sdk.SpanExporter;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/** Exports nowhere and counts what it was given, so drops can be told from exports. */
final class CountingSkeinExporter implements SpanExporter {

  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private final AtomicLong exported = new AtomicLong();

  @Override
  public CompletableFuture<Void> export(Collection<SpanData> spans) {
    exported.addAndGet(spans.size());
    return DONE;
  }

  long exported() {
    return exported.get();
  }
}
