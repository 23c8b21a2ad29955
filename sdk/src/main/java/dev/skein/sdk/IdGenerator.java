package dev.skein.sdk;

/** Makes trace and span ids. Ids are never zero, which the W3C format reserves for "invalid". */
public interface IdGenerator {

  long newSpanId();

  long newTraceIdHigh();

  long newTraceIdLow();

  /**
   * Whether the right-most 7 bytes of every trace id are random, which W3C trace-context level 2
   * announces with the {@code random} trace flag.
   */
  boolean producesRandomTraceIds();

  /** Ids from {@link java.util.concurrent.ThreadLocalRandom}. */
  static IdGenerator random() {
    return RandomIdGenerator.INSTANCE;
  }
}
