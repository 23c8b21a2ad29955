package dev.skein.sdk;

import java.util.concurrent.ThreadLocalRandom;

final class RandomIdGenerator implements IdGenerator {

  static final RandomIdGenerator INSTANCE = new RandomIdGenerator();

  private RandomIdGenerator() {}

  @Override
  public long newSpanId() {
    return nonZero();
  }

  @Override
  public long newTraceIdHigh() {
    return ThreadLocalRandom.current().nextLong();
  }

  @Override
  public long newTraceIdLow() {
    // The low half alone being non-zero keeps the whole 16-byte id valid.
    return nonZero();
  }

  @Override
  public boolean producesRandomTraceIds() {
    return true;
  }

  private static long nonZero() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long id;
    do {
      id = random.nextLong();
    } while (id == 0);
    return id;
  }
}
