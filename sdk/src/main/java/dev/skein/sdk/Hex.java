package dev.skein.sdk;

/** Lowercase base16 for ids, without going through {@link Long#toHexString} and padding. */
final class Hex {

  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  private Hex() {}

  static String traceId(long high, long low) {
    char[] chars = new char[32];
    write(high, chars, 0);
    write(low, chars, 16);
    return new String(chars);
  }

  static String spanId(long id) {
    char[] chars = new char[16];
    write(id, chars, 0);
    return new String(chars);
  }

  static void write(long value, char[] dest, int offset) {
    for (int i = 15; i >= 0; i--) {
      dest[offset + i] = DIGITS[(int) (value & 0xF)];
      value >>>= 4;
    }
  }

  /**
   * Reads 16 lowercase or uppercase hex characters starting at {@code offset}. Returns 0 when any
   * is not a hex digit, which every caller treats as an invalid id.
   */
  static long parseLong(CharSequence s, int offset) {
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
