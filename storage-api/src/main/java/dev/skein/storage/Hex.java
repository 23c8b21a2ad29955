package dev.skein.storage;

/** Hex text for ids, kept apart so the hot paths do not go through {@code String.format}. */
public final class Hex {
  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  private Hex() {}

  /** The value of an ASCII hex digit, or -1 ({@code Character.digit} would take other scripts). */
  static int digit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /** 16 lower-case hex characters. */
  public static String toHex(long value) {
    char[] chars = new char[16];
    for (int i = 15; i >= 0; i--) {
      chars[i] = DIGITS[(int) (value & 0xF)];
      value >>>= 4;
    }
    return new String(chars);
  }

  /**
   * Parses 16 hex characters starting at {@code offset}.
   *
   * @throws IllegalArgumentException if one is not a hex digit
   */
  public static long parseLong(CharSequence hex, int offset) {
    if (hex.length() < offset + 16) {
      throw new IllegalArgumentException("expected 16 hex characters: " + TraceId.shorten(hex));
    }
    long value = 0;
    for (int i = offset; i < offset + 16; i++) {
      int digit = digit(hex.charAt(i));
      if (digit < 0) {
        throw new IllegalArgumentException("not a hex id: " + TraceId.shorten(hex));
      }
      value = (value << 4) | digit;
    }
    return value;
  }

  /**
   * Parses a span id of 16 hex characters (or fewer, as Zipkin allows, left-padded with zeros).
   *
   * @throws IllegalArgumentException if it is empty, too long, not hex, or all zeros
   */
  public static long parseSpanId(CharSequence hex) {
    int length = hex.length();
    if (length == 0 || length > 16) {
      throw new IllegalArgumentException(
          "span id must be 1 to 16 hex characters, got " + length + ": " + TraceId.shorten(hex));
    }
    long value = 0;
    for (int i = 0; i < length; i++) {
      int digit = digit(hex.charAt(i));
      if (digit < 0) {
        throw new IllegalArgumentException("not a hex span id: " + TraceId.shorten(hex));
      }
      value = (value << 4) | digit;
    }
    if (value == 0) {
      throw new IllegalArgumentException("span id must not be all zeros");
    }
    return value;
  }
}
