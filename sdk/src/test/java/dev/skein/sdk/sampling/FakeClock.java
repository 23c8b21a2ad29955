package dev.skein.sdk.sampling;

import dev.skein.sdk.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when a test moves it. It remembers the last reading each thread took,
 * which is the time a sampler decided at, since the samplers read the clock once per decision.
 */
final class FakeClock implements Clock {

  /**
   * Where the clock starts: five seconds before a signed long wraps around, so that samplers that
   * compare readings instead of subtracting them fail the tests.
   */
  static final long START = Long.MAX_VALUE - 5_000_000_000L;

  private final AtomicLong nanos = new AtomicLong(START);
  private final ThreadLocal<long[]> lastRead = ThreadLocal.withInitial(() -> new long[1]);

  @Override
  public long now() {
    return nanoTime();
  }

  @Override
  public long nanoTime() {
    long value = nanos.get();
    lastRead.get()[0] = value;
    return value;
  }

  /** Nanoseconds from {@link #START} to the reading this thread took last. */
  long lastReadOnThisThread() {
    return lastRead.get()[0] - START;
  }

  /** Nanoseconds from {@link #START} to now. */
  long elapsedNanos() {
    return nanos.get() - START;
  }

  void advanceNanos(long amount) {
    nanos.addAndGet(amount);
  }

  void advanceMillis(long amount) {
    advanceNanos(amount * 1_000_000L);
  }
}
