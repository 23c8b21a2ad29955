package dev.skein.server.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A small direct-mapped cache from encoded text to {@link String}, one per thread. Requests repeat
 * the same service names, attribute keys and span names thousands of times; finding the string here
 * costs a hash and a compare, where decoding it would cost two allocations, and every span of a
 * batch then shares one instance. A slot holds the last string that hashed to it, so the table
 * never grows and unique values only evict each other. Names are kept up to 48 bytes; attribute
 * values, which are far more often unique, only up to 16 (measured with {@code DecodeThroughput}:
 * caching long values costs more in misses than it saves, caching none allocates a fifth more).
 */
final class StringTable {
  private static final int SLOTS = 2048;

  private static final ThreadLocal<StringTable> NAMES =
      ThreadLocal.withInitial(() -> new StringTable(48));
  private static final ThreadLocal<StringTable> VALUES =
      ThreadLocal.withInitial(() -> new StringTable(16));

  private final int maxLength;
  private final byte[][] byteKeys = new byte[SLOTS][];
  private final String[] byteValues = new String[SLOTS];
  private final String[] charValues = new String[SLOTS];

  StringTable(int maxLength) {
    this.maxLength = maxLength;
  }

  /** The table for names: keys, services, operations, scopes (few distinct values). */
  static StringTable names() {
    return NAMES.get();
  }

  /** The table for short attribute values, kept apart so their churn does not evict names. */
  static StringTable values() {
    return VALUES.get();
  }

  /** The UTF-8 text of {@code length} bytes at {@code offset}; malformed input becomes U+FFFD. */
  String utf8(byte[] bytes, int offset, int length) {
    if (length == 0) {
      return "";
    }
    if (length > maxLength) {
      return new String(bytes, offset, length, StandardCharsets.UTF_8);
    }
    int hash = length;
    for (int i = offset, end = offset + length; i < end; i++) {
      hash = 31 * hash + bytes[i];
    }
    int slot = (hash ^ (hash >>> 11)) & (SLOTS - 1);
    byte[] key = byteKeys[slot];
    if (key != null && Arrays.equals(key, 0, key.length, bytes, offset, offset + length)) {
      return byteValues[slot];
    }
    String value = new String(bytes, offset, length, StandardCharsets.UTF_8);
    byteKeys[slot] = Arrays.copyOfRange(bytes, offset, offset + length);
    byteValues[slot] = value;
    return value;
  }

  /**
   * The text of {@code length} chars at {@code offset}, with any unpaired surrogate (JSON escapes
   * can make them) replaced by U+FFFD so that the text has a UTF-8 form to be stored in.
   */
  String chars(char[] chars, int offset, int length) {
    if (length == 0) {
      return "";
    }
    if (length > maxLength) {
      return wellFormed(new String(chars, offset, length));
    }
    int hash = length;
    boolean surrogates = false;
    for (int i = offset, end = offset + length; i < end; i++) {
      char c = chars[i];
      hash = 31 * hash + c;
      surrogates |= Character.isSurrogate(c);
    }
    if (surrogates) {
      return wellFormed(new String(chars, offset, length));
    }
    int slot = (hash ^ (hash >>> 11)) & (SLOTS - 1);
    String cached = charValues[slot];
    if (cached != null && sameChars(cached, chars, offset, length)) {
      return cached;
    }
    String value = new String(chars, offset, length);
    charValues[slot] = value;
    return value;
  }

  /** {@code text} with every unpaired surrogate replaced by U+FFFD. */
  static String wellFormed(String text) {
    StringBuilder fixed = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isSurrogate(c)) {
        continue;
      }
      boolean paired =
          Character.isHighSurrogate(c)
              && i + 1 < text.length()
              && Character.isLowSurrogate(text.charAt(i + 1));
      if (paired) {
        i++;
        continue;
      }
      if (fixed == null) {
        fixed = new StringBuilder(text);
      }
      fixed.setCharAt(i, '\uFFFD');
    }
    return fixed == null ? text : fixed.toString();
  }

  private static boolean sameChars(String s, char[] chars, int offset, int length) {
    if (s.length() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (s.charAt(i) != chars[offset + i]) {
        return false;
      }
    }
    return true;
  }
}
