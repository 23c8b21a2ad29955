package dev.skein.propagation;

/**
 * Character classes of the W3C trace-context grammars, in one table indexed by any char.
 *
 * <p>The table is 64 KiB, of which only the lines holding ASCII are ever touched. Being as wide as
 * {@code char}, it needs neither a range check nor a branch per character: measured with JMH, that
 * made {@code traceparent} validation and the {@code tracestate} scan about 1.5 times faster than a
 * 128-entry table guarded by {@code c < 128}.
 */
final class W3CChars {

  /** A lowercase hex digit; the low four bits hold its value. */
  static final int HEX = 0x10;

  /** May start a {@code tracestate} key: a lowercase letter or a digit. */
  static final int KEY_START = 0x20;

  /** May continue a {@code tracestate} key: also {@code _ - * / @}. */
  static final int KEY = 0x40;

  /**
   * A {@code tracestate} value character other than space: printable, not {@code ,} or {@code =}.
   */
  static final int VALUE = 0x80;

  private static final byte[] CLASSES = new byte[Character.MAX_VALUE + 1];

  static {
    for (int c = 0; c < 128; c++) {
      int classes = 0;
      if (c >= '0' && c <= '9') {
        classes |= HEX | (c - '0');
      } else if (c >= 'a' && c <= 'f') {
        classes |= HEX | (c - 'a' + 10);
      }
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        classes |= KEY_START | KEY;
      }
      if (c == '_' || c == '-' || c == '*' || c == '/' || c == '@') {
        classes |= KEY;
      }
      if (c > ' ' && c <= '~' && c != ',' && c != '=') {
        classes |= VALUE;
      }
      CLASSES[c] = (byte) classes;
    }
  }

  private W3CChars() {}

  /** The classes of {@code c} as bits; test with {@code &}. */
  static int of(char c) {
    return CLASSES[c];
  }

  /** Optional whitespace around header values and {@code tracestate} members. */
  static boolean isOws(char c) {
    return c == ' ' || c == '\t';
  }
}
