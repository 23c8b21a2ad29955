package dev.skein.storage.rocksdb;

import java.util.Arrays;

/**
 * Entries of one posting list: for each span (or run of alike spans of one trace) that has the
 * list's term, its start in epoch milliseconds, its trace's ordinal in the partition, and a small
 * extra that lets a search skip most entries without reading the trace.
 *
 * <p>Two kinds of list: a service's list (extra: the span's shape number + 1, or 0 for a span
 * without shape, then a duration bucket in the low byte) and a service's list for one attribute key
 * (extra: a 16-bit hash of the value's text).
 */
final class PostingList {
  static final int KIND_SERVICE = 1;
  static final int KIND_TAG = 2;

  final int kind;
  final int hash;
  long[] times;
  int[] ordinals;
  int[] extras;
  int size;

  PostingList(int kind, int hash, int capacity) {
    this.kind = kind;
    this.hash = hash;
    int initial = Math.max(4, capacity);
    times = new long[initial];
    ordinals = new int[initial];
    extras = new int[initial];
  }

  static long key(int kind, int hash) {
    return ((long) kind << 32) | (hash & 0xFFFFFFFFL);
  }

  long key() {
    return key(kind, hash);
  }

  void add(long time, int ordinal, int extra) {
    if (size == times.length) {
      int capacity = size * 2;
      times = Arrays.copyOf(times, capacity);
      ordinals = Arrays.copyOf(ordinals, capacity);
      extras = Arrays.copyOf(extras, capacity);
    }
    times[size] = time;
    ordinals[size] = ordinal;
    extras[size] = extra;
    size++;
  }

  /**
   * Adds an entry, or folds it into the last one when that is of the same trace, the same value (or
   * shape) and at most {@code spreadMs} apart: the entry then keeps the later start and the longer
   * duration, which is all a search needs to find the trace and check it.
   */
  void addFolding(long time, int ordinal, int extra, long spreadMs) {
    int last = size - 1;
    if (last >= 0 && ordinals[last] == ordinal && Math.abs(times[last] - time) <= spreadMs) {
      int previous = extras[last];
      if (kind == KIND_SERVICE) {
        if ((previous >>> 8) == (extra >>> 8)) {
          times[last] = Math.max(times[last], time);
          extras[last] = (previous & ~0xFF) | Math.max(previous & 0xFF, extra & 0xFF);
          return;
        }
      } else if (previous == extra) {
        times[last] = Math.max(times[last], time);
        return;
      }
    }
    add(time, ordinal, extra);
  }

  void addAll(PostingList other) {
    if (size + other.size > times.length) {
      int capacity = Math.max(times.length * 2, size + other.size);
      times = Arrays.copyOf(times, capacity);
      ordinals = Arrays.copyOf(ordinals, capacity);
      extras = Arrays.copyOf(extras, capacity);
    }
    System.arraycopy(other.times, 0, times, size, other.size);
    System.arraycopy(other.ordinals, 0, ordinals, size, other.size);
    System.arraycopy(other.extras, 0, extras, size, other.size);
    size += other.size;
  }

  /** A copy with the entries newest first. */
  PostingList newestFirst() {
    PostingList sorted = new PostingList(kind, hash, size);
    if (size == 0) {
      return sorted;
    }
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (int i = 0; i < size; i++) {
      min = Math.min(min, times[i]);
      max = Math.max(max, times[i]);
    }
    if (max - min < (1L << 38) && max - min >= 0 && size < (1 << 24)) {
      long[] order = new long[size];
      for (int i = 0; i < size; i++) {
        order[i] = ((times[i] - min) << 24) | i;
      }
      Arrays.sort(order);
      for (int i = size - 1; i >= 0; i--) {
        int from = (int) (order[i] & 0xFFFFFF);
        sorted.add(times[from], ordinals[from], extras[from]);
      }
    } else {
      Integer[] order = new Integer[size];
      for (int i = 0; i < size; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> Long.compare(times[b], times[a]));
      for (int from : order) {
        sorted.add(times[from], ordinals[from], extras[from]);
      }
    }
    return sorted;
  }

  /** Writes entries [{@code from}, {@code to}) column by column; they compress better so. */
  void write(ByteWriter out, int from, int to) {
    out.varint(to - from);
    long previousTime = 0;
    for (int i = from; i < to; i++) {
      out.zigzag(times[i] - previousTime);
      previousTime = times[i];
    }
    int previousOrdinal = 0;
    for (int i = from; i < to; i++) {
      out.zigzag((long) ordinals[i] - previousOrdinal);
      previousOrdinal = ordinals[i];
    }
    for (int i = from; i < to; i++) {
      if (kind == KIND_SERVICE) {
        out.varint(extras[i] >>> 8);
        out.u8(extras[i]);
      } else {
        out.u16(extras[i]);
      }
    }
  }

  /** Reads what {@link #write} wrote. */
  static PostingList read(ByteReader in, int kind, int hash) {
    if (kind != KIND_SERVICE && kind != KIND_TAG) {
      throw ByteReader.corrupt("has a posting list of unknown kind " + kind);
    }
    int count = in.intVarint();
    // Each entry takes at least three bytes: a corrupt count must not allocate gigabytes.
    if (count > in.remaining() / 3) {
      throw ByteReader.corrupt("claims " + count + " postings in " + in.remaining() + " bytes");
    }
    PostingList list = new PostingList(kind, hash, count);
    long[] times = new long[count];
    long time = 0;
    for (int i = 0; i < count; i++) {
      time += in.zigzag();
      times[i] = time;
    }
    int[] ordinals = new int[count];
    int ordinal = 0;
    for (int i = 0; i < count; i++) {
      ordinal += (int) in.zigzag();
      ordinals[i] = ordinal;
    }
    for (int i = 0; i < count; i++) {
      int extra;
      if (kind == KIND_SERVICE) {
        long shape = in.varint();
        if (shape >= 1 << 24) {
          throw ByteReader.corrupt("has a posting for shape " + shape);
        }
        extra = (int) shape << 8 | in.u8();
      } else {
        extra = in.u16();
      }
      list.add(times[i], ordinals[i], extra);
    }
    return list;
  }
}
