package dev.skein.sdk;

import java.util.concurrent.TimeUnit;

/** A clock that moves only when a test says so. */
final class TestClock implements Clock {

  private long epochNanos = TimeUnit.SECONDS.toNanos(1_700_000_000L);

  @Override
  public synchronized long now() {
    return epochNanos;
  }

  @Override
  public synchronized long nanoTime() {
    return epochNanos;
  }

  synchronized void advance(long amount, TimeUnit unit) {
    epochNanos += unit.toNanos(amount);
  }
}
