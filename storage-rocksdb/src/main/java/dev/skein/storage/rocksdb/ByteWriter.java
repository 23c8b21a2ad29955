package dev.skein.storage.rocksdb;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte array with the varint and fixed-width writes the store's encodings use. */
final class ByteWriter {
  private byte[] buffer;
  private int size;

  ByteWriter(int capacity) {
    buffer = new byte[Math.max(16, capacity)];
  }

  int size() {
    return size;
  }

  void reset() {
    size = 0;
  }

  void varint(long value) {
    if ((value & ~0x7FL) == 0 && size < buffer.length) {
      buffer[size++] = (byte) value;
      return;
    }
    ensure(10);
    while ((value & ~0x7FL) != 0) {
      buffer[size++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    buffer[size++] = (byte) value;
  }

  void zigzag(long value) {
    varint((value << 1) ^ (value >> 63));
  }

  void u8(int value) {
    ensure(1);
    buffer[size++] = (byte) value;
  }

  void u16(int value) {
    ensure(2);
    buffer[size++] = (byte) value;
    buffer[size++] = (byte) (value >>> 8);
  }

  /** Little-endian: ids are random, byte order does not matter to compression. */
  void fixed64(long value) {
    ensure(8);
    for (int i = 0; i < 8; i++) {
      buffer[size++] = (byte) (value >>> (8 * i));
    }
  }

  /** Big-endian, for keys that must sort by number. */
  void bigEndian64(long value) {
    ensure(8);
    for (int i = 7; i >= 0; i--) {
      buffer[size++] = (byte) (value >>> (8 * i));
    }
  }

  void bigEndian32(int value) {
    ensure(4);
    for (int i = 3; i >= 0; i--) {
      buffer[size++] = (byte) (value >>> (8 * i));
    }
  }

  void bytes(byte[] bytes) {
    bytes(bytes, 0, bytes.length);
  }

  void bytes(byte[] bytes, int offset, int length) {
    ensure(length);
    System.arraycopy(bytes, offset, buffer, size, length);
    size += length;
  }

  /** Length, then UTF-8. */
  void string(String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    varint(utf8.length);
    bytes(utf8);
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buffer, size);
  }

  private void ensure(int more) {
    if (size + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
    }
  }
}
