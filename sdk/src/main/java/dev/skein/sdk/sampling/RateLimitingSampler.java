package dev.skein.sdk.sampling;

import dev.skein.sdk.Clock;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Admits at most {@code n} root spans in any window of {@code windowNanos}, where {@code n /
 * window} is the configured rate; spans with a valid parent follow the parent.
 *
 * <p>Why not a token bucket: one whose burst equals the rate admits a full bucket and then a
 * second's refill within the same second, nearly twice the rate. Here the ring {@code slots} holds
 * one admission time per slot and a slot is reused only when its time is at least a window old, so
 * the times stored in any one slot are at least a window apart. Any window therefore holds at most
 * one admission per slot: at most {@code n}, however threads interleave, and a burst of {@code n}
 * passes at once.
 *
 * <p>The compare-and-set of the slot is the only step that admits; {@code head} merely points at
 * the slot most likely to be free (the oldest). A thread that loses a race, or reads a stale head
 * and finds a recent slot, drops the span: under contention the limiter may admit a little less
 * than the rate, never more. Dropping costs two reads and a clock read, with no write.
 *
 * <p>Sizing: an integer rate {@code r} uses {@code r} slots and a one-second window. A fractional
 * rate above 1 uses its integer part, since admitting more would exceed the rate in some second. A
 * rate below 1 uses one slot and a window of {@code 1 / r} seconds. Rates above {@link #MAX_SLOTS}
 * split the second into {@code k} windows of {@code r / k} slots each, which keeps memory at 32 KiB
 * and still never exceeds {@code r} in any second (a second spans {@code k} windows).
 */
final class RateLimitingSampler implements Sampler {

  static final int MAX_SLOTS = 4096;
  private static final long SECOND_NANOS = 1_000_000_000L;
  // Keeps the window and "never admitted" sentinel far from overflow for absurdly small rates.
  private static final long MAX_WINDOW_NANOS = Long.MAX_VALUE / 4;

  private final Clock clock;
  private final long windowNanos;
  private final AtomicLongArray slots;
  private final AtomicInteger head = new AtomicInteger();
  private final String description;

  RateLimitingSampler(double tracesPerSecond, Clock clock) {
    Samplers.requirePositiveFinite("tracesPerSecond", tracesPerSecond);
    this.clock = clock;
    int slotCount;
    if (tracesPerSecond < 1) {
      slotCount = 1;
      windowNanos = (long) Math.min(Math.ceil(SECOND_NANOS / tracesPerSecond), MAX_WINDOW_NANOS);
    } else {
      long perSecond = (long) Math.min(Math.floor(tracesPerSecond), Long.MAX_VALUE / 2);
      long windowsPerSecond = (perSecond + MAX_SLOTS - 1) / MAX_SLOTS;
      slotCount = (int) (perSecond / windowsPerSecond);
      // Rounding the window up keeps k windows at least a second long.
      windowNanos = Math.max(1, (SECOND_NANOS + windowsPerSecond - 1) / windowsPerSecond);
    }
    slots = new AtomicLongArray(slotCount);
    // A window before now reads as "free": every slot is available for the first burst.
    long free = clock.nanoTime() - windowNanos;
    for (int i = 0; i < slotCount; i++) {
      slots.set(i, free);
    }
    description = "RateLimiting{" + tracesPerSecond + "}";
  }

  @Override
  public SamplingDecision shouldSample(
      SpanContext parent, long traceIdHigh, long traceIdLow, String name, SpanKind kind) {
    if (parent.isValid()) {
      return Samplers.followParent(parent);
    }
    int index = head.get();
    long last = slots.get(index);
    long now = clock.nanoTime();
    if (now - last < windowNanos || !slots.compareAndSet(index, last, now)) {
      return SamplingDecision.DROP;
    }
    // Failing here means another thread already moved on; skipping a slot is harmless.
    head.compareAndSet(index, index + 1 == slots.length() ? 0 : index + 1);
    return SamplingDecision.RECORD_AND_SAMPLE;
  }

  /** How many admissions a window allows; for tests. */
  int slotCount() {
    return slots.length();
  }

  long windowNanos() {
    return windowNanos;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public String toString() {
    return description;
  }
}
