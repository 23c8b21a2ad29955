package dev.skein.exporter.otlp;

/**
 * Attribute keys already encoded, found by identity. A program's attribute keys are a few dozen
 * constants ({@code AttributeKey}s, string literals), so copying a key's bytes saves encoding the
 * same characters span after span.
 *
 * <p>Bounded: a key is kept only if its slot is free, so the table fills once and never churns,
 * whatever keys a program makes up. Shared by the threads using one encoder without locking: an
 * entry is immutable, so a thread sees either no entry or a whole one.
 */
final class EncodedKeys {

  private static final int SLOTS = 256; // a power of two
  private static final int LONGEST_KEPT = 100;

  private record Entry(String key, byte[] encoded) {}

  private final Entry[] entries = new Entry[SLOTS];

  /** The bytes remembered for this very string, or null. */
  byte[] get(String key) {
    Entry entry = entries[key.hashCode() & (SLOTS - 1)];
    return entry != null && entry.key == key ? entry.encoded : null;
  }

  /** Whether {@link #put} would keep {@code key}: short enough and its slot free. */
  boolean hasRoom(String key) {
    return key.length() <= LONGEST_KEPT && entries[key.hashCode() & (SLOTS - 1)] == null;
  }

  void put(String key, byte[] encoded) {
    int slot = key.hashCode() & (SLOTS - 1);
    if (entries[slot] == null) {
      entries[slot] = new Entry(key, encoded);
    }
  }
}
