package dev.skein.storage.rocksdb;

import dev.skein.storage.TraceId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.ColumnFamilyHandle;

/**
 * The spans that started in one time range, with their index: two column families dropped together
 * when the range falls out of retention.
 *
 * <p>Traces get small ordinals here, in order of arrival; postings name a trace by its ordinal, and
 * the index maps ordinals back to trace ids. Postings collect in memory (and in a log record per
 * write, so a crash loses none) until the store packs them into blocks.
 */
final class Partition {
  /** Traces remembered for ordinal reuse; a trace seen again after that gets a second ordinal. */
  private static final int RECENT_TRACES = 100_000;

  final long startMillis;
  final long endMillis;
  final ColumnFamilyHandle spans;
  final ColumnFamilyHandle index;

  // Writer only.
  private final LinkedHashMap<TraceId, Integer> recent =
      new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<TraceId, Integer> eldest) {
          return size() > RECENT_TRACES;
        }
      };
  int nextOrdinal;

  // Shared with readers: guarded by this.
  private HashMap<Long, PostingList> pending = new HashMap<>();
  private int pendingEntries;

  Partition(
      long startMillis, long widthMillis, ColumnFamilyHandle spans, ColumnFamilyHandle index) {
    this.startMillis = startMillis;
    this.endMillis = startMillis + widthMillis;
    this.spans = spans;
    this.index = index;
  }

  long startNanos() {
    // Wraps for partitions before 1677; encoding and decoding wrap alike, so deltas stay exact.
    return startMillis * 1_000_000L;
  }

  /** The trace's ordinal, or -1 if it has none yet (writer only). */
  int ordinalOf(TraceId traceId) {
    Integer ordinal = recent.get(traceId);
    return ordinal == null ? -1 : ordinal;
  }

  int assignOrdinal(TraceId traceId) {
    int ordinal = nextOrdinal++;
    recent.put(traceId, ordinal);
    return ordinal;
  }

  synchronized void addPending(Collection<PostingList> lists) {
    for (PostingList list : lists) {
      PostingList into = pending.get(list.key());
      if (into == null) {
        into = new PostingList(list.kind, list.hash, Math.max(16, list.size));
        pending.put(list.key(), into);
      }
      into.addAll(list);
      pendingEntries += list.size;
    }
  }

  synchronized int pendingEntries() {
    return pendingEntries;
  }

  /** The lists to pack into blocks (writer only; readers still see them until cleared). */
  synchronized List<PostingList> pendingLists() {
    return new ArrayList<>(pending.values());
  }

  synchronized void clearPending() {
    pending = new HashMap<>();
    pendingEntries = 0;
  }

  /** A reader's copy of one list's unpacked entries, newest first; null if there are none. */
  PostingList pendingNewestFirst(long listKey) {
    PostingList copy;
    synchronized (this) {
      PostingList list = pending.get(listKey);
      if (list == null || list.size == 0) {
        return null;
      }
      copy = new PostingList(list.kind, list.hash, list.size);
      copy.addAll(list);
    }
    return copy.newestFirst();
  }
}
