package dev.skein.propagation;

import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding (RFC 3986) of values as UTF-8, and the character classes of the headers that
 * carry them: W3C baggage values, where every baggage-octet but {@code %} may go as is, and Jaeger
 * baggage values, URL-encoded, where only unreserved characters do.
 */
final class PercentEncoding {

  private static final char[] UPPER_HEX = "0123456789ABCDEF".toCharArray();

  private PercentEncoding() {}

  /** A {@code tchar} of an RFC 7230 token: what a baggage key and a header name are made of. */
  static boolean isTchar(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      return true;
    }
    switch (c) {
      case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~':
        return true;
      default:
        return false;
    }
  }

  static boolean isToken(String s) {
    if (s == null || s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!isTchar(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * W3C {@code baggage-octet}: printable ASCII but space, {@code "}, {@code ,}, {@code ;}, {@code
   * \}.
   */
  static boolean isBaggageOctet(char c) {
    return c >= 0x21 && c <= 0x7E && c != '"' && c != ',' && c != ';' && c != '\\';
  }

  private static boolean isLiteral(char c, boolean baggage) {
    if (baggage) {
      return c != '%' && isBaggageOctet(c);
    }
    // RFC 3986 unreserved: every URL decoder reads these as themselves.
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }

  /**
   * The length of {@code value} encoded, or a number above {@code limit} as soon as it passes it,
   * so that a huge value costs no more than the limit to reject.
   */
  static int encodedLength(String value, boolean baggage, int limit) {
    int length = 0;
    for (int i = 0; i < value.length() && length <= limit; i++) {
      char c = value.charAt(i);
      if (c < 0x80) {
        length += isLiteral(c, baggage) ? 1 : 3;
      } else if (c < 0x800) {
        length += 6;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        length += 12;
        i++;
      } else {
        length += 9; // a lone surrogate goes as U+FFFD, also 3 bytes
      }
    }
    return length;
  }

  /** Writes {@code value} encoded at {@code offset}; returns the next offset. */
  static int encode(String value, boolean baggage, char[] dest, int offset) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x80) {
        if (isLiteral(c, baggage)) {
          dest[offset++] = c;
        } else {
          offset = writeByte(c, dest, offset);
        }
      } else if (c < 0x800) {
        offset = writeByte(0xC0 | (c >> 6), dest, offset);
        offset = writeByte(0x80 | (c & 0x3F), dest, offset);
      } else if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, value.charAt(++i));
        offset = writeByte(0xF0 | (cp >> 18), dest, offset);
        offset = writeByte(0x80 | ((cp >> 12) & 0x3F), dest, offset);
        offset = writeByte(0x80 | ((cp >> 6) & 0x3F), dest, offset);
        offset = writeByte(0x80 | (cp & 0x3F), dest, offset);
      } else {
        int cp = Character.isSurrogate(c) ? 0xFFFD : c;
        offset = writeByte(0xE0 | (cp >> 12), dest, offset);
        offset = writeByte(0x80 | ((cp >> 6) & 0x3F), dest, offset);
        offset = writeByte(0x80 | (cp & 0x3F), dest, offset);
      }
    }
    return offset;
  }

  /**
   * {@code value} encoded: itself when nothing needs encoding, else one char[] and one String; null
   * when the encoding would not fit in a String.
   */
  static String encode(String value, boolean baggage) {
    int limit = Integer.MAX_VALUE - 16;
    int length = encodedLength(value, baggage, limit);
    if (length == value.length()) {
      return value;
    }
    if (length > limit) {
      return null;
    }
    char[] chars = new char[length];
    encode(value, baggage, chars, 0);
    return new String(chars);
  }

  private static int writeByte(int b, char[] dest, int offset) {
    dest[offset] = '%';
    dest[offset + 1] = UPPER_HEX[(b >> 4) & 0xF];
    dest[offset + 2] = UPPER_HEX[b & 0xF];
    return offset + 3;
  }

  /**
   * Decodes {@code s[from, to)}: {@code %XX} runs as UTF-8 with malformed sequences read as U+FFFD
   * (as the W3C baggage spec requires), and, for URL form encoding, {@code +} as a space. A {@code
   * %} that does not start an escape is kept as is rather than failing the value.
   */
  static String decode(String s, int from, int to, boolean plusAsSpace) {
    int i = from;
    while (i < to) {
      char c = s.charAt(i);
      if (c == '%' || (plusAsSpace && c == '+')) {
        break;
      }
      i++;
    }
    if (i == to) {
      return s.substring(from, to);
    }
    StringBuilder out = new StringBuilder(to - from);
    out.append(s, from, i);
    byte[] bytes = null;
    int count = 0;
    while (i < to) {
      char c = s.charAt(i);
      int high;
      int low;
      if (c == '%'
          && i + 2 < to
          && (high = HexFields.digit(s.charAt(i + 1))) >= 0
          && (low = HexFields.digit(s.charAt(i + 2))) >= 0) {
        if (bytes == null) {
          bytes = new byte[(to - i) / 3]; // room for every escape left
        }
        bytes[count++] = (byte) ((high << 4) | low);
        i += 3;
        continue;
      }
      if (count > 0) {
        out.append(new String(bytes, 0, count, StandardCharsets.UTF_8));
        count = 0;
      }
      out.append(plusAsSpace && c == '+' ? ' ' : c);
      i++;
    }
    if (count > 0) {
      out.append(new String(bytes, 0, count, StandardCharsets.UTF_8));
    }
    return out.toString();
  }
}
