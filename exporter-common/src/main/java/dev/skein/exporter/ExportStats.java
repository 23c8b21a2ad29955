package dev.skein.exporter;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of what one exporter did, for the application to read (and publish as metrics). Spans
 * dropped before export, because the queue was full, are counted by the batch span processor.
 */
public final class ExportStats {

  private final AtomicLong exportedSpans = new AtomicLong();
  private final AtomicLong rejectedSpans = new AtomicLong();
  private final AtomicLong failedSpans = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();

  ExportStats() {}

  /** Spans the backend accepted and kept. */
  public long exportedSpans() {
    return exportedSpans.get();
  }

  /** Spans the backend took but rejected, as it reported through partial success. */
  public long rejectedSpans() {
    return rejectedSpans.get();
  }

  /** Spans in batches that could not be delivered: refused, or retried until we gave up. */
  public long failedSpans() {
    return failedSpans.get();
  }

  /** Attempts that were a retry of an earlier, failed attempt. */
  public long retries() {
    return retries.get();
  }

  void addExported(long n) {
    exportedSpans.addAndGet(n);
  }

  void addRejected(long n) {
    rejectedSpans.addAndGet(n);
  }

  void addFailed(long n) {
    failedSpans.addAndGet(n);
  }

  void addRetry() {
    retries.incrementAndGet();
  }

  @Override
  public String toString() {
    return "ExportStats{exported="
        + exportedSpans()
        + ", rejected="
        + rejectedSpans()
        + ", failed="
        + failedSpans()
        + ", retries="
        + retries()
        + '}';
  }
}
