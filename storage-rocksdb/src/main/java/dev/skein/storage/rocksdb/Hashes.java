package dev.skein.storage.rocksdb;

/**
 * The numbers posting lists are named and filtered by. Equal strings give equal numbers across
 * restarts (they come from {@link String#hashCode}, which Java specifies); a collision only makes a
 * search read a trace it then rejects.
 */
final class Hashes {
  private Hashes() {}

  static int serviceList(String service) {
    return mix(service.hashCode() ^ 0x5bd1e995);
  }

  static int tagList(String service, String key) {
    return mix(mix(service.hashCode()) + key.hashCode() * 0x9E3779B1);
  }

  /** 16 bits that tell most values apart. */
  static int fingerprint(String text) {
    return mix(text.hashCode()) & 0xFFFF;
  }

  /**
   * The fingerprint of an attribute value's text ({@link
   * dev.skein.storage.Attribute#valueAsString}), without making the text for numbers and booleans.
   */
  static int valueFingerprint(Object value) {
    if (value instanceof String text) {
      return fingerprint(text);
    }
    if (value instanceof Long number) {
      return mix(decimalHash(number)) & 0xFFFF;
    }
    if (value instanceof Boolean flag) {
      return fingerprint(flag ? "true" : "false");
    }
    return fingerprint(new dev.skein.storage.Attribute("", value).valueAsString());
  }

  /** {@code Long.toString(value).hashCode()}, computed without the string. */
  static int decimalHash(long value) {
    if (value == Long.MIN_VALUE) {
      return Long.toString(value).hashCode();
    }
    int hash = 0;
    if (value < 0) {
      hash = '-';
      value = -value;
    }
    long divisor = 1;
    while (value / divisor >= 10) {
      divisor *= 10;
    }
    while (divisor > 0) {
      int digit = (int) (value / divisor);
      hash = 31 * hash + ('0' + digit);
      value -= digit * divisor;
      divisor /= 10;
    }
    return hash;
  }

  /**
   * A bucket that grows with the duration (one per power of two of microseconds), so a minimum
   * duration rules out entries whose bucket is lower.
   */
  static int durationBucket(long durationNanos) {
    return durationNanos <= 0 ? 0 : 64 - Long.numberOfLeadingZeros(durationNanos >>> 10);
  }

  private static int mix(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }
}
