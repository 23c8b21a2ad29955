package dev.skein.sdk;

import java.time.Instant;

/**
 * Wall-clock time derived from {@link System#nanoTime()}: one monotonic read per timestamp instead
 * of a wall-clock read, and nanosecond resolution. The epoch anchor is refreshed once a second so
 * the derived time follows wall-clock adjustments (NTP) instead of drifting with the monotonic
 * source.
 */
final class SystemClock implements Clock {

  static final SystemClock INSTANCE = new SystemClock();

  private static final long REANCHOR_INTERVAL_NANOS = 1_000_000_000L;

  private record Anchor(long epochNanos, long nanoTime) {}

  private volatile Anchor anchor = newAnchor();

  private SystemClock() {}

  @Override
  public long now() {
    long nanoTime = System.nanoTime();
    Anchor current = anchor;
    long elapsed = nanoTime - current.nanoTime;
    if (elapsed > REANCHOR_INTERVAL_NANOS) {
      current = newAnchor();
      anchor = current;
      elapsed = nanoTime - current.nanoTime;
    }
    return current.epochNanos + elapsed;
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  private static Anchor newAnchor() {
    Instant wall = Instant.now();
    return new Anchor(wall.getEpochSecond() * 1_000_000_000L + wall.getNano(), System.nanoTime());
  }
}
