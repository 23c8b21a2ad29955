package dev.skein.exporter;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte array that encoders write protobuf and JSON into, with no allocation per value.
 *
 * <p>Strings go straight from their chars to UTF-8 bytes, ids from longs to hex, numbers to decimal
 * digits, so encoding a span creates no garbage beyond the buffer's own growth. One buffer is
 * reused batch after batch by one thread; it is not thread-safe.
 *
 * <p>Nested protobuf messages: {@link #beginMessage} reserves one byte for the length and {@link
 * #endMessage} fills it in, moving the body up only when the length needs more than one byte. The
 * protobuf format needs the length before the body, and this avoids a sizing pass over each span.
 */
public final class WireBuffer {

  /** Protobuf wire types. */
  public static final int VARINT = 0;

  public static final int FIXED64 = 1;
  public static final int LENGTH_DELIMITED = 2;
  public static final int FIXED32 = 5;

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private byte[] bytes;
  private int size;

  public WireBuffer(int initialCapacity) {
    bytes = new byte[Math.max(16, initialCapacity)];
  }

  /** Forgets the contents, keeping the capacity. */
  public void reset() {
    size = 0;
  }

  public int size() {
    return size;
  }

  /** A copy of the contents. */
  public byte[] toByteArray() {
    return Arrays.copyOf(bytes, size);
  }

  public void writeTo(OutputStream out) throws IOException {
    out.write(bytes, 0, size);
  }

  private void ensure(int more) {
    if (size + more > bytes.length) {
      int wanted = Math.max(size + more, bytes.length * 2);
      if (wanted < 0) {
        throw new IllegalStateException("encoded batch larger than 2 GiB");
      }
      bytes = Arrays.copyOf(bytes, wanted);
    }
  }

  // ---- raw bytes ----

  public void writeByte(int b) {
    ensure(1);
    bytes[size++] = (byte) b;
  }

  public void writeBytes(byte[] source) {
    ensure(source.length);
    System.arraycopy(source, 0, bytes, size, source.length);
    size += source.length;
  }

  /** Writes characters known to be ASCII (field names, constants), one byte each. */
  public void writeAscii(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      bytes[size++] = (byte) s.charAt(i);
    }
  }

  /**
   * Writes {@code s} as UTF-8. A lone surrogate becomes {@code ?}, as {@link String#getBytes} does,
   * so the output is always valid UTF-8.
   */
  public void writeUtf8(String s) {
    writeUtf8(s, 0, s.length());
  }

  /** Writes the chars of {@code s} from {@code from} (inclusive) to {@code to} as UTF-8. */
  public void writeUtf8(String s, int from, int to) {
    int n = to;
    ensure((to - from) * 3); // the most UTF-8 bytes one UTF-16 char can need
    byte[] b = bytes;
    int p = size;
    int i = from;
    for (; i < n; i++) { // ASCII fast path
      char c = s.charAt(i);
      if (c >= 0x80) {
        break;
      }
      b[p++] = (byte) c;
    }
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        b[p++] = (byte) c;
      } else if (c < 0x800) {
        b[p++] = (byte) (0xc0 | (c >>> 6));
        b[p++] = (byte) (0x80 | (c & 0x3f));
      } else if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < n
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          int cp = Character.toCodePoint(c, s.charAt(++i));
          b[p++] = (byte) (0xf0 | (cp >>> 18));
          b[p++] = (byte) (0x80 | ((cp >>> 12) & 0x3f));
          b[p++] = (byte) (0x80 | ((cp >>> 6) & 0x3f));
          b[p++] = (byte) (0x80 | (cp & 0x3f));
        } else {
          b[p++] = '?';
        }
      } else {
        b[p++] = (byte) (0xe0 | (c >>> 12));
        b[p++] = (byte) (0x80 | ((c >>> 6) & 0x3f));
        b[p++] = (byte) (0x80 | (c & 0x3f));
      }
    }
    size = p;
  }

  /** The 16 lowercase hex digits of {@code value}. */
  public void writeHex(long value) {
    ensure(16);
    for (int shift = 60; shift >= 0; shift -= 4) {
      bytes[size++] = HEX[(int) (value >>> shift) & 0xf];
    }
  }

  /** {@code value} in decimal. */
  public void writeDecimal(long value) {
    if (value == Long.MIN_VALUE) {
      writeAscii("-9223372036854775808");
      return;
    }
    ensure(20);
    if (value < 0) {
      bytes[size++] = '-';
      value = -value;
    }
    int digits = 1;
    for (long v = value; v >= 10; v /= 10) {
      digits++;
    }
    int end = size + digits;
    for (int p = end - 1; p >= size; p--) {
      bytes[p] = (byte) ('0' + (value % 10));
      value /= 10;
    }
    size = end;
  }

  // ---- protobuf ----

  public void writeVarint(long value) {
    ensure(10);
    while ((value & ~0x7fL) != 0) {
      bytes[size++] = (byte) ((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    bytes[size++] = (byte) value;
  }

  public void writeFixed64(long value) {
    ensure(8);
    for (int i = 0; i < 8; i++) {
      bytes[size++] = (byte) (value >>> (8 * i));
    }
  }

  public void writeFixed32(int value) {
    ensure(4);
    for (int i = 0; i < 4; i++) {
      bytes[size++] = (byte) (value >>> (8 * i));
    }
  }

  public void writeTag(int field, int wireType) {
    writeVarint(((long) field << 3) | wireType);
  }

  /** A string field; skipped when empty, as proto3 leaves defaults out. */
  public void writeStringField(int field, String value) {
    if (value == null || value.isEmpty()) {
      return;
    }
    writeTag(field, LENGTH_DELIMITED);
    int mark = beginLength();
    writeUtf8(value);
    endLength(mark);
  }

  /** A varint field (int32, int64, uint32, uint64, enum, bool); skipped when zero. */
  public void writeVarintField(int field, long value) {
    if (value == 0) {
      return;
    }
    writeTag(field, VARINT);
    writeVarint(value);
  }

  /** A fixed64 or sfixed64 field; skipped when zero. */
  public void writeFixed64Field(int field, long value) {
    if (value == 0) {
      return;
    }
    writeTag(field, FIXED64);
    writeFixed64(value);
  }

  /** A double field; skipped when zero. */
  public void writeDoubleField(int field, double value) {
    if (Double.doubleToRawLongBits(value) == 0) {
      return;
    }
    writeTag(field, FIXED64);
    writeFixed64(Double.doubleToRawLongBits(value));
  }

  /** A bytes field holding ids: the longs' big-endian bytes, in order. */
  public void writeIdField(int field, long high, long low) {
    writeTag(field, LENGTH_DELIMITED);
    writeByte(16);
    writeBigEndian(high);
    writeBigEndian(low);
  }

  /** A bytes field holding one 8-byte id; skipped when zero, the proto3 "absent". */
  public void writeIdField(int field, long id) {
    if (id == 0) {
      return;
    }
    writeTag(field, LENGTH_DELIMITED);
    writeByte(8);
    writeBigEndian(id);
  }

  private void writeBigEndian(long value) {
    ensure(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      bytes[size++] = (byte) (value >>> shift);
    }
  }

  /**
   * Starts an embedded message (or any length-delimited field): writes the tag and reserves room
   * for the length.
   *
   * @return the mark to hand to {@link #endMessage}
   */
  public int beginMessage(int field) {
    writeTag(field, LENGTH_DELIMITED);
    return beginLength();
  }

  /** Ends the message begun at {@code mark}, filling in its length. */
  public void endMessage(int mark) {
    endLength(mark);
  }

  private int beginLength() {
    ensure(1);
    return size++;
  }

  private void endLength(int mark) {
    int bodyStart = mark + 1;
    int length = size - bodyStart;
    if (length < 0x80) {
      bytes[mark] = (byte) length;
      return;
    }
    int lengthBytes = varintSize(length);
    ensure(lengthBytes - 1);
    System.arraycopy(bytes, bodyStart, bytes, mark + lengthBytes, length);
    size += lengthBytes - 1;
    int p = mark;
    int v = length;
    while ((v & ~0x7f) != 0) {
      bytes[p++] = (byte) ((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    bytes[p] = (byte) v;
  }

  static int varintSize(int value) {
    return (31 - Integer.numberOfLeadingZeros(value | 1)) / 7 + 1;
  }

  // ---- JSON ----

  /** Writes {@code s} as a quoted JSON string, escaping what JSON requires. */
  public void writeJsonString(String s) {
    writeByte('"');
    int n = s.length();
    int runStart = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\' && c != 0x2028 && c != 0x2029) {
        continue;
      }
      writeUtf8(s, runStart, i);
      runStart = i + 1;
      switch (c) {
        case '"' -> writeAscii("\\\"");
        case '\\' -> writeAscii("\\\\");
        case '\n' -> writeAscii("\\n");
        case '\r' -> writeAscii("\\r");
        case '\t' -> writeAscii("\\t");
        case '\b' -> writeAscii("\\b");
        case '\f' -> writeAscii("\\f");
        default -> { // other control characters, and the two separators JavaScript rejects
          writeAscii("\\u");
          ensure(4);
          for (int shift = 12; shift >= 0; shift -= 4) {
            bytes[size++] = HEX[(c >>> shift) & 0xf];
          }
        }
      }
    }
    writeUtf8(s, runStart, n);
    writeByte('"');
  }
}
