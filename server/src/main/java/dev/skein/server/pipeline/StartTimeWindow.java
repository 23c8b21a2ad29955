package dev.skein.server.pipeline;

import dev.skein.storage.Span;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drops spans that start before the retention window (they would be deleted at once) or further in
 * the future than clock skew explains. The store partitions by start time, so without this one
 * client with a broken clock could make it open a partition per bogus day.
 */
public final class StartTimeWindow implements SpanProcessor {
  private final Clock clock;
  private final long retentionNanos;
  private final long maxFutureNanos;
  private final AtomicLong dropped = new AtomicLong();

  public StartTimeWindow(Clock clock, Duration retention, Duration maxFuture) {
    this.clock = clock;
    this.retentionNanos = retention.toNanos();
    this.maxFutureNanos = maxFuture.toNanos();
  }

  @Override
  public List<Span> process(List<Span> spans) {
    long now = clock.millis() * 1_000_000L;
    long earliest = now - retentionNanos;
    long latest = now + maxFutureNanos;
    List<Span> kept = null;
    for (int i = 0; i < spans.size(); i++) {
      Span span = spans.get(i);
      boolean inside = span.startEpochNanos() >= earliest && span.startEpochNanos() <= latest;
      if (!inside && kept == null) {
        kept = new ArrayList<>(spans.subList(0, i));
      }
      if (!inside) {
        dropped.incrementAndGet();
      } else if (kept != null) {
        kept.add(span);
      }
    }
    return kept == null ? spans : kept;
  }

  /** Spans dropped so far; read from any thread. */
  public long dropped() {
    return dropped.get();
  }
}
