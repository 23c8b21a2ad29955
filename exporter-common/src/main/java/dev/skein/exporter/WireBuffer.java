package dev.skein.exporter;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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
 * For messages known to be large (a span, a whole batch), {@link #beginMessage(int, int)} reserves
 * as many bytes as an expected length needs, so that nothing moves when the guess is right.
 *
 * <p>The hot methods are kept small, with their rare cases (growing, non-ASCII text, lengths that
 * do not fit the reserved room) in separate methods, so that the JIT inlines them into encoders.
 */
public final class WireBuffer {

  /** Protobuf wire types. */
  public static final int VARINT = 0;

  public static final int FIXED64 = 1;
  public static final int LENGTH_DELIMITED = 2;
  public static final int FIXED32 = 5;

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private static final VarHandle LONG_LITTLE_ENDIAN =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG_BIG_ENDIAN =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT_LITTLE_ENDIAN =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  /** 10^0 to 10^18: every power of ten a long holds. */
  private static final long[] POWERS_OF_TEN = new long[19];

  static {
    POWERS_OF_TEN[0] = 1;
    for (int i = 1; i < POWERS_OF_TEN.length; i++) {
      POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
    }
  }

  /** The largest array a JVM reliably makes. */
  private static final int MAX_CAPACITY = Integer.MAX_VALUE - 8;

  /** A varint's continuation bit: set on every byte but the last. */
  private static final int MORE = 0x80;

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
    if (more > bytes.length - size) {
      grow(more);
    }
  }

  private void grow(int more) {
    long needed = (long) size + more;
    if (needed > MAX_CAPACITY) {
      throw new IllegalStateException("encoded batch larger than 2 GiB");
    }
    bytes = Arrays.copyOf(bytes, (int) Math.min(MAX_CAPACITY, Math.max(needed, 2L * bytes.length)));
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
  @SuppressWarnings("deprecation") // the low byte of each char is what is wanted here
  public void writeAscii(String s) {
    int n = s.length();
    ensure(n);
    s.getBytes(0, n, bytes, size); // a plain copy for the usual one-byte-per-char strings
    size += n;
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
    ensure(to - from);
    byte[] b = bytes;
    int base = size - from; // indexing by the loop variable lets the JIT drop bounds checks
    int i = from;
    for (; i < n; i++) { // ASCII, one byte a char: the common case, kept small to be inlined
      char c = s.charAt(i);
      if (c >= 0x80) {
        break;
      }
      b[base + i] = (byte) c;
    }
    size = base + i;
    if (i < n) {
      writeNonAscii(s, i, n);
    }
  }

  private void writeNonAscii(String s, int from, int n) {
    // Three bytes is the most one UTF-16 char can need.
    ensure((int) Math.min(Integer.MAX_VALUE, 3L * (n - from)));
    byte[] b = bytes;
    int p = size;
    for (int i = from; i < n; i++) {
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
    byte[] b = bytes;
    int p = size;
    for (int i = 15; i >= 0; i--) {
      b[p + i] = HEX[(int) value & 0xf];
      value >>>= 4;
    }
    size = p + 16;
  }

  /** {@code value} in decimal. */
  public void writeDecimal(long value) {
    if (value == Long.MIN_VALUE) {
      writeAscii("-9223372036854775808");
      return;
    }
    ensure(20);
    byte[] b = bytes;
    int p = size;
    if (value < 0) {
      b[p++] = '-';
      value = -value;
    }
    int digits = 1;
    while (digits < POWERS_OF_TEN.length && value >= POWERS_OF_TEN[digits]) {
      digits++;
    }
    int end = p + digits;
    int q = end;
    while (value >= 100) { // two digits a division
      long quotient = value / 100;
      int pair = (int) (value - quotient * 100);
      b[--q] = (byte) ('0' + pair % 10);
      b[--q] = (byte) ('0' + pair / 10);
      value = quotient;
    }
    if (value >= 10) {
      b[--q] = (byte) ('0' + value % 10);
      value /= 10;
    }
    b[--q] = (byte) ('0' + value);
    size = end;
  }

  // ---- protobuf ----

  public void writeVarint(long value) {
    if ((value & ~0x7fL) == 0) {
      ensure(1);
      bytes[size++] = (byte) value;
      return;
    }
    ensure(10);
    byte[] b = bytes;
    int p = size;
    while ((value & ~0x7fL) != 0) {
      b[p++] = (byte) ((value & 0x7f) | MORE);
      value >>>= 7;
    }
    b[p++] = (byte) value;
    size = p;
  }

  public void writeFixed64(long value) {
    ensure(8);
    LONG_LITTLE_ENDIAN.set(bytes, size, value);
    size += 8;
  }

  public void writeFixed32(int value) {
    ensure(4);
    INT_LITTLE_ENDIAN.set(bytes, size, value);
    size += 4;
  }

  public void writeTag(int field, int wireType) {
    int tag = (field << 3) | wireType;
    if (field > 0 && field < 16) {
      ensure(1);
      bytes[size++] = (byte) tag;
      return;
    }
    writeVarint(((long) field << 3) | wireType);
  }

  /** A string field; skipped when empty, as proto3 leaves defaults out. */
  public void writeStringField(int field, String value) {
    if (value == null || value.isEmpty()) {
      return;
    }
    int n = value.length();
    int tag = (field << 3) | LENGTH_DELIMITED;
    if (field > 0 && field < 16 && n < 0x80) { // one-byte tag and length, all in one go
      ensure(n + 2);
      byte[] b = bytes;
      int p = size;
      int base = p + 2;
      int i = 0;
      for (; i < n; i++) {
        char c = value.charAt(i);
        if (c >= 0x80) {
          break;
        }
        b[base + i] = (byte) c;
      }
      if (i == n) {
        b[p] = (byte) tag;
        b[p + 1] = (byte) n;
        size = base + n;
        return;
      }
    }
    int mark = beginMessage(field); // not ASCII, or long: what was copied is written over
    writeUtf8(value);
    endLength(mark);
  }

  /** A varint field (int32, int64, uint32, uint64, enum, bool); skipped when zero. */
  public void writeVarintField(int field, long value) {
    if (value == 0) {
      return;
    }
    int tag = (field << 3) | VARINT;
    if (field > 0 && field < 16 && (value & ~0x7fL) == 0) { // the usual small count or enum
      ensure(2);
      byte[] b = bytes;
      int p = size;
      b[p] = (byte) tag;
      b[p + 1] = (byte) value;
      size = p + 2;
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
    ensure(8);
    LONG_LITTLE_ENDIAN.set(bytes, size, value);
    size += 8;
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
    ensure(17);
    byte[] b = bytes;
    int p = size;
    b[p] = 16;
    LONG_BIG_ENDIAN.set(b, p + 1, high);
    LONG_BIG_ENDIAN.set(b, p + 9, low);
    size = p + 17;
  }

  /** A bytes field holding one 8-byte id; skipped when zero, the proto3 "absent". */
  public void writeIdField(int field, long id) {
    if (id == 0) {
      return;
    }
    writeTag(field, LENGTH_DELIMITED);
    ensure(9);
    byte[] b = bytes;
    int p = size;
    b[p] = 8;
    LONG_BIG_ENDIAN.set(b, p + 1, id);
    size = p + 9;
  }

  /**
   * Starts an embedded message (or any length-delimited field): writes the tag and reserves room
   * for the length.
   *
   * @return the mark to hand to {@link #endMessage}
   */
  public int beginMessage(int field) {
    int tag = (field << 3) | LENGTH_DELIMITED;
    if (field > 0 && field < 16) { // fields 1 to 15: a one-byte tag, written with the room
      ensure(2);
      byte[] b = bytes;
      int p = size;
      b[p] = (byte) tag;
      b[p + 1] = 0;
      size = p + 2;
      return p + 1;
    }
    writeTag(field, LENGTH_DELIMITED);
    return beginLength();
  }

  /**
   * Like {@link #beginMessage(int)}, for a message expected to be about {@code expectedLength}
   * bytes long: reserves the bytes that length takes, so that {@link #endMessage} moves nothing
   * when the actual length takes as many. Any length is still written correctly.
   */
  public int beginMessage(int field, int expectedLength) {
    writeTag(field, LENGTH_DELIMITED);
    int reserved = varintSize(Math.max(0, expectedLength));
    ensure(reserved);
    int mark = size;
    // Until endMessage, the room holds a varint of 0 as long as the room; its end marks its size.
    for (int i = 1; i < reserved; i++) {
      bytes[size++] = (byte) MORE;
    }
    bytes[size++] = 0;
    return mark;
  }

  /** Ends the message begun at {@code mark}, filling in its length. */
  public void endMessage(int mark) {
    endLength(mark);
  }

  private int beginLength() {
    ensure(1);
    bytes[size] = 0; // one byte of room; see beginMessage(int, int)
    return size++;
  }

  private void endLength(int mark) {
    int length = size - mark - 1;
    if (length < 0x80 && bytes[mark] == 0) { // one byte reserved, one needed
      bytes[mark] = (byte) length;
      return;
    }
    fillLength(mark);
  }

  /** Writes the length into the reserved room, moving the body when it needs more or less room. */
  private void fillLength(int mark) {
    int reserved = 1;
    while ((bytes[mark + reserved - 1] & MORE) != 0) {
      reserved++;
    }
    int bodyStart = mark + reserved;
    int length = size - bodyStart;
    int lengthBytes = varintSize(length);
    if (lengthBytes != reserved) {
      ensure(lengthBytes - reserved);
      System.arraycopy(bytes, bodyStart, bytes, mark + lengthBytes, length);
      size += lengthBytes - reserved;
    }
    int p = mark;
    int v = length;
    while ((v & ~0x7f) != 0) {
      bytes[p++] = (byte) ((v & 0x7f) | MORE);
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
    int n = s.length();
    ensure(n + 2);
    byte[] b = bytes;
    b[size] = '"';
    int base = size + 1;
    int i = 0;
    for (; i < n; i++) { // printable ASCII needing no escape: the common case, in one pass
      char c = s.charAt(i);
      if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
        break;
      }
      b[base + i] = (byte) c;
    }
    size = base + i;
    if (i < n) {
      writeJsonStringRest(s, i);
    }
    writeByte('"');
  }

  /** The rest of a JSON string from {@code from}, where the first char that is not plain is. */
  private void writeJsonStringRest(String s, int from) {
    int n = s.length();
    int runStart = from;
    for (int i = from; i < n; i++) {
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
  }
}
