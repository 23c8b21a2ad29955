package dev.skein.propagation;

/** Lowercase hex for trace and span ids, written from and read into longs. */
public final class Ids {

  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  private Ids() {}

  public static String traceIdHex(long high, long low) {
    char[] chars = new char[32];
    writeHex(high, chars, 0);
    writeHex(low, chars, 16);
    return new String(chars);
  }

  public static String spanIdHex(long id) {
    char[] chars = new char[16];
    writeHex(id, chars, 0);
    return new String(chars);
  }

  /** Writes {@code value} as 16 lowercase hex digits at {@code offset}. */
  public static void writeHex(long value, char[] dest, int offset) {
    for (int i = 15; i >= 0; i--) {
      dest[offset + i] = DIGITS[(int) (value & 0xF)];
      value >>>= 4;
    }
  }

  /**
   * Reads 16 hex digits (either case) at {@code offset}. Callers validate first: a character that
   * is not a hex digit, or too short an input, reads as 0.
   */
  public static long parseHex(CharSequence s, int offset) {
    if (s.length() < offset + 16) {
      return 0;
    }
    long value = 0;
    for (int i = offset; i < offset + 16; i++) {
      int digit = Character.digit(s.charAt(i), 16);
      if (digit < 0) {
        return 0;
      }
      value = (value << 4) | digit;
    }
    return value;
  }
}
