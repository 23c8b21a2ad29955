package dev.skein.storage.rocksdb;

/** A set of longs without boxing: open addressing, linear probing. */
final class LongSet {
  private long[] slots = new long[64];
  private boolean[] used = new boolean[64];
  private int size;

  /** True if the value was not in the set. */
  boolean add(long value) {
    if (size * 2 >= slots.length) {
      grow();
    }
    int mask = slots.length - 1;
    int i = (int) mix(value) & mask;
    while (used[i]) {
      if (slots[i] == value) {
        return false;
      }
      i = (i + 1) & mask;
    }
    used[i] = true;
    slots[i] = value;
    size++;
    return true;
  }

  private void grow() {
    long[] oldSlots = slots;
    boolean[] oldUsed = used;
    slots = new long[oldSlots.length * 2];
    used = new boolean[oldSlots.length * 2];
    size = 0;
    for (int i = 0; i < oldSlots.length; i++) {
      if (oldUsed[i]) {
        add(oldSlots[i]);
      }
    }
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }
}
