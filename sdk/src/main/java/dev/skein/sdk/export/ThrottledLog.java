package dev.skein.sdk.export;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Logs a recurring problem at most once per interval, saying how many times it happened in between,
 * so an exporter whose backend is down does not flood the application's log.
 */
public final class ThrottledLog {

  static final long DEFAULT_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final Logger logger;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final AtomicLong nextLogAt;
  private final AtomicLong suppressed = new AtomicLong();

  public ThrottledLog(Logger logger) {
    this(logger, DEFAULT_INTERVAL_NANOS, System::nanoTime);
  }

  ThrottledLog(Logger logger, long intervalNanos, LongSupplier nanoTime) {
    this.logger = logger;
    this.intervalNanos = intervalNanos;
    this.nanoTime = nanoTime;
    this.nextLogAt = new AtomicLong(nanoTime.getAsLong());
  }

  /**
   * Logs {@code message} unless something was logged less than an interval ago.
   *
   * @return whether it was logged
   */
  public boolean log(Level level, String message, Throwable thrown) {
    long now = nanoTime.getAsLong();
    long next = nextLogAt.get();
    // The CAS lets exactly one thread log per interval when several fail at once.
    if (now - next < 0 || !nextLogAt.compareAndSet(next, now + intervalNanos)) {
      suppressed.incrementAndGet();
      return false;
    }
    long skipped = suppressed.getAndSet(0);
    if (logger.isLoggable(level)) {
      String text =
          skipped == 0
              ? message
              : message + " (" + skipped + " similar messages suppressed since the last one)";
      logger.log(level, text, thrown);
    }
    return true;
  }
}
