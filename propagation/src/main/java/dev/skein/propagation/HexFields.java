package dev.skein.propagation;

/**
 * Hex id fields read in place from a header, without substrings: each method looks at a range of
 * the header once, so parsing stays linear in its length whatever the input.
 */
final class HexFields {

  private HexFields() {}

  /** The value of a hex digit of either case, or -1. */
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

  /** Whether {@code s[from, to)} is lowercase hex only (B3 allows no other case). */
  static boolean isLowerHex(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The end of the run of hex digits (either case) starting at {@code from}, at most {@code to}.
   */
  static int hexRunEnd(String s, int from, int to) {
    int i = from;
    while (i < to && digit(s.charAt(i)) >= 0) {
      i++;
    }
    return i;
  }

  /**
   * Reads {@code s[from, to)}, at most 16 hex digits already validated, as an unsigned long; a
   * shorter run reads as if left-padded with zeros.
   */
  static long parse(String s, int from, int to) {
    long value = 0;
    for (int i = from; i < to; i++) {
      value = (value << 4) | digit(s.charAt(i));
    }
    return value;
  }

  static boolean isOws(char c) {
    return c == ' ' || c == '\t';
  }

  /** The first index in {@code [from, to)} that is not optional white space, or {@code to}. */
  static int skipOws(String s, int from, int to) {
    while (from < to && isOws(s.charAt(from))) {
      from++;
    }
    return from;
  }

  /** The end of {@code s[from, to)} with trailing optional white space dropped. */
  static int trimOwsEnd(String s, int from, int to) {
    while (to > from && isOws(s.charAt(to - 1))) {
      to--;
    }
    return to;
  }

  /**
   * Writes the trace id as 16 hex digits when its high half is zero (a 64-bit id, which peers that
   * only know 64-bit ids can read) or else 32; returns the next offset.
   */
  static int writeTraceId(long high, long low, char[] dest, int offset) {
    if (high != 0) {
      Ids.writeHex(high, dest, offset);
      offset += 16;
    }
    Ids.writeHex(low, dest, offset);
    return offset + 16;
  }
}
