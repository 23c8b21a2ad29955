package dev.skein.storage.rocksdb;

import dev.skein.storage.Span;
import dev.skein.storage.TraceId;
import dev.skein.storage.TraceQuery;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;

/**
 * One search: walks the most selective posting lists newest first, skips entries whose shape or
 * value rules them out, and checks each remaining trace against the whole query on its spans. It
 * stops once {@code limit} traces are certain to be the newest: every entry still to come is older
 * than their newest matching spans.
 */
final class TraceSearch {
  private static final long NO_MATCH = Long.MIN_VALUE;

  private final RocksSpanStore store;
  private final RocksDB db;
  private final TraceQuery query;

  private List<Long> lists;

  /** Shapes whose entries in a service's list are candidates. */
  private BitSet serviceShapes;

  /** Whether service-list entries of spans without shape are candidates. */
  private boolean unshaped;

  private int valueFingerprint = -1;
  private int minimumDurationBucket;

  TraceSearch(RocksSpanStore store, RocksDB db, TraceQuery query) {
    this.store = store;
    this.db = db;
    this.query = query;
  }

  List<TraceId> run() {
    if (!plan()) {
      return List.of();
    }
    long fromMs = Math.floorDiv(query.startFromNanos(), 1_000_000L);
    long toMs = Math.floorDiv(query.startToNanos(), 1_000_000L);
    // A folded entry carries the latest of its spans' starts: one a little after the window may
    // stand for a span inside it.
    long newestMs = PostingWalk.saturatedAdd(toMs, RocksSpanStore.FOLD_MS);

    Map<TraceId, Long> matched = new HashMap<>();
    Set<TraceId> rejected = new HashSet<>();
    PriorityQueue<Long> best = new PriorityQueue<>();
    search:
    for (Partition partition : store.partitions.descendingMap().values()) {
      if (partition.startMillis > toMs || partition.endMillis <= fromMs) {
        continue;
      }
      LongSet seen = new LongSet();
      try (PostingWalk walk = new PostingWalk(db, partition, lists, fromMs, newestMs);
          Ordinals ordinals = new Ordinals(db, partition)) {
        while (walk.next()) {
          if (best.size() >= query.limit() && best.peek() >= startOfNextMilli(walk.time)) {
            break search;
          }
          if (!accepts(walk.kind, walk.extra) || !seen.add(walk.ordinal)) {
            continue;
          }
          TraceId traceId = ordinals.traceId(walk.ordinal);
          if (traceId == null || matched.containsKey(traceId) || rejected.contains(traceId)) {
            continue;
          }
          long newest = newestMatch(traceId);
          if (newest == NO_MATCH) {
            rejected.add(traceId);
            continue;
          }
          matched.put(traceId, newest);
          best.add(newest);
          if (best.size() > query.limit()) {
            best.poll();
          }
        }
      }
    }
    return matched.entrySet().stream()
        .sorted(
            Map.Entry.<TraceId, Long>comparingByValue()
                .reversed()
                .thenComparing(Map.Entry.comparingByKey()))
        .limit(query.limit())
        .map(Map.Entry::getKey)
        .toList();
  }

  /** Every span still to come started before this. */
  private static long startOfNextMilli(long millis) {
    return millis >= Long.MAX_VALUE / 1_000_000L - 1 ? Long.MAX_VALUE : (millis + 1) * 1_000_000L;
  }

  private long newestMatch(TraceId traceId) {
    long[] newest = {NO_MATCH};
    store.readTraceLocked(
        traceId,
        span -> {
          if (query.matches(span) && span.startEpochNanos() > newest[0]) {
            newest[0] = span.startEpochNanos();
          }
        });
    return newest[0];
  }

  private boolean accepts(int kind, int extra) {
    if (kind == PostingList.KIND_SERVICE) {
      int shape = extra >>> 8;
      return (shape == 0 ? unshaped : serviceShapes.get(shape - 1))
          && (extra & 0xFF) >= minimumDurationBucket;
    }
    return valueFingerprint < 0 || extra == valueFingerprint;
  }

  /**
   * Picks what to walk. Either the services' lists, keeping entries of the shapes that can match
   * every condition; or, for one tag, the services' lists keeping only shapes whose constants have
   * the tag, together with the lists of that attribute key, which hold the spans that carry it as a
   * variable value. The choice goes by how many entries each lets through to be checked. False if
   * nothing can match.
   */
  private boolean plan() {
    List<String> services =
        query.service() != null ? List.of(query.service()) : store.servicesLocked();
    minimumDurationBucket = Hashes.durationBucket(query.minDurationNanos());
    unshaped = store.unshapedWritten();
    List<Shape> allowed = new ArrayList<>();
    serviceShapes = new BitSet();
    double estimate = 0;
    for (String service : services) {
      for (Shape shape : store.shapes.of(service)) {
        if (query.operation() != null && !query.operation().equals(shape.name)) {
          continue;
        }
        boolean possible = true;
        for (Map.Entry<String, String> tag : query.tags().entrySet()) {
          if (shape.hasTag(tag.getKey(), tag.getValue()) == Shape.NO) {
            possible = false;
            break;
          }
        }
        if (possible) {
          allowed.add(shape);
          serviceShapes.set(shape.id);
          estimate += shape.count;
        }
      }
    }
    if (allowed.isEmpty() && !unshaped) {
      return false;
    }
    lists = new ArrayList<>();
    for (String service : services) {
      lists.add(PostingList.key(PostingList.KIND_SERVICE, Hashes.serviceList(service)));
    }
    if (unshaped) {
      for (String service : services) {
        estimate += size(PostingList.key(PostingList.KIND_SERVICE, Hashes.serviceList(service)));
      }
    }

    for (Map.Entry<String, String> tag : query.tags().entrySet()) {
      String key = tag.getKey();
      String value = tag.getValue();
      if (key.equals(Span.SERVICE_NAME)) {
        // Also matches by the span's service, which no attribute list holds.
        continue;
      }
      BitSet constantMatches = new BitSet();
      double tagEstimate = 0;
      for (Shape shape : allowed) {
        if (shape.hasTag(key, value) == Shape.YES) {
          constantMatches.set(shape.id);
          tagEstimate += shape.count;
        }
      }
      List<Long> tagLists = new ArrayList<>();
      if (!constantMatches.isEmpty()) {
        for (String service : services) {
          tagLists.add(PostingList.key(PostingList.KIND_SERVICE, Hashes.serviceList(service)));
        }
      }
      for (String service : services) {
        long list = PostingList.key(PostingList.KIND_TAG, Hashes.tagList(service, key));
        tagLists.add(list);
        tagEstimate +=
            value == null ? size(list) : size(list) / Math.max(1, store.tagValueCount(key));
      }
      if (tagEstimate < estimate) {
        estimate = tagEstimate;
        lists = tagLists;
        serviceShapes = constantMatches;
        unshaped = false;
        valueFingerprint = value == null ? -1 : Hashes.fingerprint(value);
      }
    }
    return true;
  }

  private double size(long key) {
    Long size = store.listSizes.get(key);
    return size == null ? 0 : size;
  }

  /** Maps one partition's ordinals back to trace ids. */
  private static final class Ordinals implements AutoCloseable {
    private final RocksIterator iterator;

    Ordinals(RocksDB db, Partition partition) {
      iterator = db.newIterator(partition.index);
    }

    TraceId traceId(int ordinal) {
      iterator.seekForPrev(Keys.ordinals(ordinal));
      if (!iterator.isValid()) {
        return null;
      }
      byte[] key = iterator.key();
      if (key.length != 5 || key[0] != Keys.ORDINALS) {
        return null;
      }
      long offset = ((long) ordinal - Keys.ordinalsFirst(key)) * 16;
      byte[] ids = iterator.value();
      if (offset < 0 || offset + 16 > ids.length) {
        return null;
      }
      long high = Keys.getLong(ids, (int) offset);
      long low = Keys.getLong(ids, (int) offset + 8);
      return high == 0 && low == 0 ? null : new TraceId(high, low);
    }

    @Override
    public void close() {
      iterator.close();
    }
  }
}
