package dev.skein.exporter;

import java.nio.charset.StandardCharsets;

/**
 * Reads the few protobuf messages exporters get back (responses, error statuses) field by field,
 * without generated classes. Malformed input is an {@link IllegalArgumentException}, never an
 * out-of-bounds read or a loop.
 *
 * <pre>{@code
 * ProtoReader reader = new ProtoReader(bytes);
 * while (reader.next()) {
 *   switch (reader.field()) {
 *     case 1 -> count = reader.varint();
 *     case 2 -> message = reader.string();
 *     default -> reader.skip();
 *   }
 * }
 * }</pre>
 */
public final class ProtoReader {

  private final byte[] bytes;
  private final int end;
  private int position;
  private int tag;

  public ProtoReader(byte[] bytes) {
    this(bytes, 0, bytes.length);
  }

  private ProtoReader(byte[] bytes, int from, int to) {
    this.bytes = bytes;
    this.position = from;
    this.end = to;
  }

  /** Moves to the next field; false at the end of the message. */
  public boolean next() {
    if (position >= end) {
      return false;
    }
    long t = readVarint();
    if (t >>> 3 == 0 || t >>> 3 > 0x1fffffff) {
      throw new IllegalArgumentException("bad protobuf field number at byte " + position);
    }
    tag = (int) t;
    return true;
  }

  /** The number of the current field. */
  public int field() {
    return tag >>> 3;
  }

  /** The wire type of the current field ({@link WireBuffer#VARINT} and so on). */
  public int wireType() {
    return tag & 7;
  }

  /** The current field as a varint (int32, int64, uint64, enum, bool). */
  public long varint() {
    expect(WireBuffer.VARINT);
    return readVarint();
  }

  /** The current field as a UTF-8 string. */
  public String string() {
    int length = lengthDelimited();
    String s = new String(bytes, position, length, StandardCharsets.UTF_8);
    position += length;
    return s;
  }

  /** The current field as an embedded message. */
  public ProtoReader message() {
    int length = lengthDelimited();
    ProtoReader inner = new ProtoReader(bytes, position, position + length);
    position += length;
    return inner;
  }

  /** Skips the current field, whatever its type. */
  public void skip() {
    switch (tag & 7) {
      case WireBuffer.VARINT -> readVarint();
      case WireBuffer.FIXED64 -> advance(8);
      case WireBuffer.LENGTH_DELIMITED -> advance(lengthDelimited());
      case WireBuffer.FIXED32 -> advance(4);
      default ->
          throw new IllegalArgumentException(
              "unsupported protobuf wire type " + (tag & 7) + " in field " + field());
    }
  }

  private int lengthDelimited() {
    expect(WireBuffer.LENGTH_DELIMITED);
    long length = readVarint();
    if (length < 0 || length > end - position) {
      throw new IllegalArgumentException(
          "field " + field() + " claims " + length + " bytes, only " + (end - position) + " left");
    }
    return (int) length;
  }

  private void expect(int wireType) {
    if ((tag & 7) != wireType) {
      throw new IllegalArgumentException(
          "field " + field() + " has wire type " + (tag & 7) + ", expected " + wireType);
    }
  }

  private void advance(int n) {
    if (n > end - position) {
      throw new IllegalArgumentException("message truncated in field " + field());
    }
    position += n;
  }

  private long readVarint() {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (position >= end) {
        throw new IllegalArgumentException("message truncated inside a varint");
      }
      byte b = bytes[position++];
      value |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return value;
      }
    }
    throw new IllegalArgumentException("varint longer than 10 bytes");
  }
}
