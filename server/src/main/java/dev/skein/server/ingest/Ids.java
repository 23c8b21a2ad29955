package dev.skein.server.ingest;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Ids and addresses straight from request bytes and chars, without intermediate objects. */
final class Ids {
  private static final VarHandle BIG_ENDIAN_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private Ids() {}

  /** Eight bytes at {@code offset}, big-endian: how OTLP and Zipkin put ids on the wire. */
  static long longAt(byte[] bytes, int offset) {
    return (long) BIG_ENDIAN_LONG.get(bytes, offset);
  }

  /** True if all bytes in the range are zero. */
  static boolean allZero(byte[] bytes, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** True if every char in the range is a hex digit, either case. */
  static boolean isHex(char[] chars, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      if (Character.digit(chars[i], 16) < 0) {
        return false;
      }
    }
    return true;
  }

  /** At most 16 hex digits, checked by {@link #isHex} first. */
  static long hex(char[] chars, int offset, int length) {
    long value = 0;
    for (int i = offset; i < offset + length; i++) {
      value = (value << 4) | Character.digit(chars[i], 16);
    }
    return value;
  }

  /** Dotted-quad text of four bytes. */
  static String ipv4(byte[] bytes, int offset) {
    return (bytes[offset] & 0xFF)
        + "."
        + (bytes[offset + 1] & 0xFF)
        + "."
        + (bytes[offset + 2] & 0xFF)
        + "."
        + (bytes[offset + 3] & 0xFF);
  }

  /**
   * RFC 5952 text of sixteen bytes: lower-case hex groups without leading zeros, the longest run of
   * two or more zero groups (the first, on a tie) written as {@code ::}.
   */
  static String ipv6(byte[] bytes, int offset) {
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((bytes[offset + 2 * i] & 0xFF) << 8) | (bytes[offset + 2 * i + 1] & 0xFF);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int start = i;
      while (i < 8 && groups[i] == 0) {
        i++;
      }
      if (i - start > bestLength) {
        bestStart = start;
        bestLength = i - start;
      }
    }
    StringBuilder text = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        text.append("::");
        i += bestLength - 1;
        continue;
      }
      if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
        text.append(':');
      }
      text.append(Integer.toHexString(groups[i]));
    }
    return text.toString();
  }
}
