package dev.skein.storage.rocksdb;

import dev.skein.storage.StoreException;
import java.nio.charset.StandardCharsets;

/**
 * Reads what {@link ByteWriter} wrote. Stored bytes that do not parse are corruption: a {@link
 * StoreException}, never an index out of bounds.
 */
final class ByteReader {
  private final byte[] bytes;
  private int position;
  private final int end;

  ByteReader(byte[] bytes) {
    this(bytes, 0, bytes.length);
  }

  ByteReader(byte[] bytes, int offset, int length) {
    this.bytes = bytes;
    this.position = offset;
    this.end = offset + length;
  }

  boolean hasMore() {
    return position < end;
  }

  int remaining() {
    return end - position;
  }

  long varint() {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (position >= end) {
        throw corrupt("ends inside a number");
      }
      byte b = bytes[position++];
      value |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return value;
      }
    }
    throw corrupt("has a number longer than 10 bytes");
  }

  int intVarint() {
    long value = varint();
    if (value < 0 || value > Integer.MAX_VALUE) {
      throw corrupt("has an out-of-range count " + value);
    }
    return (int) value;
  }

  long zigzag() {
    long raw = varint();
    return (raw >>> 1) ^ -(raw & 1);
  }

  int u8() {
    need(1);
    return bytes[position++] & 0xFF;
  }

  int u16() {
    need(2);
    int value = (bytes[position] & 0xFF) | (bytes[position + 1] & 0xFF) << 8;
    position += 2;
    return value;
  }

  long fixed64() {
    need(8);
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value |= (bytes[position++] & 0xFFL) << (8 * i);
    }
    return value;
  }

  long bigEndian64() {
    need(8);
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = (value << 8) | (bytes[position++] & 0xFFL);
    }
    return value;
  }

  int bigEndian32() {
    need(4);
    int value = 0;
    for (int i = 0; i < 4; i++) {
      value = (value << 8) | (bytes[position++] & 0xFF);
    }
    return value;
  }

  String string() {
    int length = intVarint();
    need(length);
    String value = new String(bytes, position, length, StandardCharsets.UTF_8);
    position += length;
    return value;
  }

  private void need(int count) {
    if (count > end - position) {
      throw corrupt("ends early");
    }
  }

  static StoreException corrupt(String problem) {
    return new StoreException("stored data is corrupt: it " + problem);
  }
}
