package dev.skein.sdk;

/**
 * The time source of the tracer and of the time-based samplers and processors. Tests pass a fake
 * one so that nothing needs to sleep.
 */
public interface Clock {

  /** Wall-clock time in nanoseconds since the epoch, for span timestamps. */
  long now();

  /** A monotonic reading in nanoseconds, for durations and intervals only. */
  long nanoTime();

  /** The clock of the machine. */
  static Clock system() {
    return SystemClock.INSTANCE;
  }
}
