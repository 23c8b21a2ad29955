package dev.skein.storage.rocksdb;

import dev.skein.storage.TraceId;

/**
 * Key layouts. Every partition has a span column family and an index column family; one more
 * (RocksDB's default) holds what is not partitioned by span time.
 *
 * <pre>
 * spans-&lt;start ms&gt;   trace id (16) | write sequence (8)                   -> chunk of the trace's spans
 * index-&lt;start ms&gt;   0x02 | list kind | list hash (4) | newest ms | seq    -> posting block
 *                    0x03 | first ordinal (4)                              -> trace ids of ordinals
 *                    0x04 | seq (8)                                        -> postings not yet in blocks
 *                    0x05 | list kind | list hash | newest | oldest | seq  -> nothing: block directory
 * default            0x01 format, 0x10 metrics, 0x11 links, 0x20 dictionary, 0x21 operations,
 *                    0x22 remote services, 0x23 tag values, 0x26 list sizes, 0x27 generation,
 *                    0x28 spans per shape, 0x29 present once a span was stored without shape
 * </pre>
 *
 * Numbers in keys are big-endian; signed ones have their sign bit flipped so they sort as numbers.
 */
final class Keys {
  static final byte BLOCK = 0x02;
  static final byte ORDINALS = 0x03;
  static final byte PENDING = 0x04;
  static final byte DIRECTORY = 0x05;

  static final byte FORMAT = 0x01;
  static final byte METRIC = 0x10;
  static final byte LINK = 0x11;
  static final byte DICTIONARY = 0x20;
  static final byte OPERATION = 0x21;
  static final byte REMOTE_SERVICE = 0x22;
  static final byte TAG_VALUE = 0x23;
  static final byte LIST_SIZES = 0x26;
  static final byte GENERATION = 0x27;
  static final byte SHAPE_COUNTS = 0x28;
  static final byte UNSHAPED = 0x29;

  static final int TRACE_PREFIX = 16;

  private Keys() {}

  static long flip(long value) {
    return value ^ Long.MIN_VALUE;
  }

  static byte[] trace(TraceId traceId) {
    byte[] key = new byte[TRACE_PREFIX];
    putLong(key, 0, traceId.high());
    putLong(key, 8, traceId.low());
    return key;
  }

  static byte[] chunk(TraceId traceId, long seq) {
    byte[] key = new byte[TRACE_PREFIX + 8];
    putLong(key, 0, traceId.high());
    putLong(key, 8, traceId.low());
    putLong(key, 16, seq);
    return key;
  }

  static long chunkSeq(byte[] key) {
    return getLong(key, 16);
  }

  static byte[] block(int kind, int hash, long newestMs, long seq) {
    byte[] key = new byte[22];
    key[0] = BLOCK;
    key[1] = (byte) kind;
    putInt(key, 2, hash);
    putLong(key, 6, flip(newestMs));
    putLong(key, 14, seq);
    return key;
  }

  /** A block's entry in its list's directory, which a search reads without the block itself. */
  static byte[] directory(int kind, int hash, long newestMs, long oldestMs, long seq) {
    byte[] key = new byte[30];
    key[0] = DIRECTORY;
    key[1] = (byte) kind;
    putInt(key, 2, hash);
    putLong(key, 6, flip(newestMs));
    putLong(key, 14, flip(oldestMs));
    putLong(key, 22, seq);
    return key;
  }

  static byte[] directoryStart(int kind, int hash) {
    byte[] key = new byte[6];
    key[0] = DIRECTORY;
    key[1] = (byte) kind;
    putInt(key, 2, hash);
    return key;
  }

  /** After every directory entry of the list (no block is newest at {@code Long.MAX_VALUE}). */
  static byte[] directoryEnd(int kind, int hash) {
    byte[] key = new byte[14];
    key[0] = DIRECTORY;
    key[1] = (byte) kind;
    putInt(key, 2, hash);
    putLong(key, 6, flip(Long.MAX_VALUE));
    return key;
  }

  static long directoryNewestMs(byte[] key) {
    return flip(getLong(key, 6));
  }

  static long directoryOldestMs(byte[] key) {
    return flip(getLong(key, 14));
  }

  static long directorySeq(byte[] key) {
    return getLong(key, 22);
  }

  static byte[] ordinals(int firstOrdinal) {
    byte[] key = new byte[5];
    key[0] = ORDINALS;
    putInt(key, 1, firstOrdinal);
    return key;
  }

  static int ordinalsFirst(byte[] key) {
    return getInt(key, 1);
  }

  static byte[] pending(long seq) {
    byte[] key = new byte[9];
    key[0] = PENDING;
    putLong(key, 1, seq);
    return key;
  }

  static byte[] prefix(byte tag) {
    return new byte[] {tag};
  }

  /** The first key after every key that starts with {@code tag}. */
  static byte[] after(byte tag) {
    return new byte[] {(byte) (tag + 1)};
  }

  static byte[] minuteKey(byte tag, long minuteMillis) {
    byte[] key = new byte[9];
    key[0] = tag;
    putLong(key, 1, flip(minuteMillis));
    return key;
  }

  static boolean startsWith(byte[] key, byte[] prefix) {
    if (key.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (key[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  static void putLong(byte[] bytes, int offset, long value) {
    for (int i = 7; i >= 0; i--) {
      bytes[offset + 7 - i] = (byte) (value >>> (8 * i));
    }
  }

  static long getLong(byte[] bytes, int offset) {
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = (value << 8) | (bytes[offset + i] & 0xFFL);
    }
    return value;
  }

  static void putInt(byte[] bytes, int offset, int value) {
    for (int i = 3; i >= 0; i--) {
      bytes[offset + 3 - i] = (byte) (value >>> (8 * i));
    }
  }

  static int getInt(byte[] bytes, int offset) {
    int value = 0;
    for (int i = 0; i < 4; i++) {
      value = (value << 8) | (bytes[offset + i] & 0xFF);
    }
    return value;
  }
}
