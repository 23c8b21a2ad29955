package dev.skein.storage;

/**
 * A 128-bit trace id as two longs. Zipkin's 64-bit ids have {@code high == 0}. The all-zero id is
 * invalid and cannot be constructed.
 */
public record TraceId(long high, long low) implements Comparable<TraceId> {

  public TraceId {
    if (high == 0 && low == 0) {
      throw new IllegalArgumentException("trace id must not be all zeros");
    }
  }

  /**
   * Parses 16 or 32 lower- or upper-case hex characters (a 16-character id is a Zipkin 64-bit id).
   *
   * @throws IllegalArgumentException naming the problem
   */
  public static TraceId fromHex(CharSequence hex) {
    int length = hex.length();
    if (length != 16 && length != 32) {
      throw new IllegalArgumentException(
          "trace id must be 16 or 32 hex characters, got " + length + ": " + shorten(hex));
    }
    long high = length == 32 ? Hex.parseLong(hex, 0) : 0;
    long low = Hex.parseLong(hex, length - 16);
    return new TraceId(high, low);
  }

  /** 32 lower-case hex characters. */
  public String toHex() {
    return Hex.toHex(high) + Hex.toHex(low);
  }

  /** 16 hex characters for a 64-bit id, else 32: the form Zipkin prints. */
  public String toShortestHex() {
    return high == 0 ? Hex.toHex(low) : toHex();
  }

  @Override
  public int compareTo(TraceId other) {
    int byHigh = Long.compareUnsigned(high, other.high);
    return byHigh != 0 ? byHigh : Long.compareUnsigned(low, other.low);
  }

  @Override
  public String toString() {
    return toHex();
  }

  static String shorten(CharSequence text) {
    return text.length() <= 64 ? text.toString() : text.subSequence(0, 64) + "...";
  }
}
