package dev.skein.storage.rocksdb;

import java.util.ArrayList;
import java.util.List;

/** A map from long keys to values without boxing: open addressing, linear probing, no removal. */
final class LongMap<V> {
  private long[] keys = new long[16];
  private Object[] values = new Object[16];
  private final List<V> inOrder = new ArrayList<>();

  @SuppressWarnings("unchecked")
  V get(long key) {
    int mask = keys.length - 1;
    for (int i = slot(key, mask); values[i] != null; i = (i + 1) & mask) {
      if (keys[i] == key) {
        return (V) values[i];
      }
    }
    return null;
  }

  void put(long key, V value) {
    if ((inOrder.size() + 1) * 2 > keys.length) {
      grow();
    }
    int mask = keys.length - 1;
    int i = slot(key, mask);
    while (values[i] != null) {
      if (keys[i] == key) {
        throw new IllegalStateException("key already present");
      }
      i = (i + 1) & mask;
    }
    keys[i] = key;
    values[i] = value;
    inOrder.add(value);
  }

  /** The values, in the order they were put. */
  List<V> values() {
    return inOrder;
  }

  private void grow() {
    long[] oldKeys = keys;
    Object[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new Object[oldKeys.length * 2];
    int mask = keys.length - 1;
    for (int j = 0; j < oldKeys.length; j++) {
      if (oldValues[j] != null) {
        int i = slot(oldKeys[j], mask);
        while (values[i] != null) {
          i = (i + 1) & mask;
        }
        keys[i] = oldKeys[j];
        values[i] = oldValues[j];
      }
    }
  }

  private static int slot(long key, int mask) {
    long z = key * 0x9E3779B97F4A7C15L;
    return (int) (z ^ (z >>> 32)) & mask;
  }
}
