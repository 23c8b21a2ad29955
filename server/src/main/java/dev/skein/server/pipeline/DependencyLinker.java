package dev.skein.server.pipeline;

import dev.skein.storage.DependencyLink;
import dev.skein.storage.Span;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Service dependency links computed as spans arrive, so the service map needs no batch job: a span
 * whose parent belongs to another service is one call from the parent's service to the span's.
 *
 * <p>The parent's service comes from a fixed-size table of recently seen spans. Spans of different
 * services reach the server in any order (a callee's span usually ends, and is exported, before its
 * caller's), so a span whose parent is not known yet waits, in a bounded queue, for the parent to
 * arrive; one that waits longer than {@code maxWaitNanos} is given up and counted as unlinked.
 * Links are kept per minute of the child's start until {@link #drain()}.
 */
final class DependencyLinker {
  private static final long MINUTE_NANOS = 60_000_000_000L;

  private record Waiting(
      long traceLow, long parentSpanId, String service, boolean error, long minute, long since) {}

  private record Pair(String parent, String child) {}

  // A direct-mapped table of recent spans: a newer span overwrites an older one in its slot.
  private final long[] slotTrace;
  private final long[] slotSpan;
  private final String[] slotService;
  private final int mask;

  private final Map<Long, List<Waiting>> waitingByParent = new HashMap<>();
  private final ArrayDeque<Waiting> waitingInOrder = new ArrayDeque<>();
  private final int maxWaiting;
  private final long maxWaitNanos;

  private final Map<Long, Map<Pair, long[]>> pending = new TreeMap<>();
  private long unlinked;

  DependencyLinker(int recentSpansPowerOfTwo, int maxWaiting, long maxWaitNanos) {
    if (Integer.bitCount(recentSpansPowerOfTwo) != 1) {
      throw new IllegalArgumentException("the recent-span table size must be a power of two");
    }
    slotTrace = new long[recentSpansPowerOfTwo];
    slotSpan = new long[recentSpansPowerOfTwo];
    slotService = new String[recentSpansPowerOfTwo];
    mask = recentSpansPowerOfTwo - 1;
    this.maxWaiting = maxWaiting;
    this.maxWaitNanos = maxWaitNanos;
  }

  /** Takes a batch in arrival order; {@code nowNanos} is a monotonic clock reading. */
  void add(List<Span> spans, long nowNanos) {
    for (Span span : spans) {
      int slot = slotOf(span.traceId().low(), span.spanId());
      slotTrace[slot] = span.traceId().low();
      slotSpan[slot] = span.spanId();
      slotService[slot] = span.service();
    }
    for (Span span : spans) {
      List<Waiting> children = waitingByParent.remove(key(span.traceId().low(), span.spanId()));
      if (children != null) {
        for (Waiting child : children) {
          count(span.service(), child.service(), child.error(), child.minute());
        }
      }
      if (span.isRoot()) {
        continue;
      }
      long minute = Math.floorDiv(span.startEpochNanos(), MINUTE_NANOS) * 60_000L;
      String parentService = serviceOf(span.traceId().low(), span.parentSpanId());
      if (parentService != null) {
        count(parentService, span.service(), span.isError(), minute);
      } else {
        await(
            new Waiting(
                span.traceId().low(),
                span.parentSpanId(),
                span.service(),
                span.isError(),
                minute,
                nowNanos));
      }
    }
    expire(nowNanos);
  }

  private void await(Waiting child) {
    if (waitingInOrder.size() >= maxWaiting) {
      forget(waitingInOrder.pollFirst());
    }
    waitingInOrder.addLast(child);
    waitingByParent
        .computeIfAbsent(key(child.traceLow(), child.parentSpanId()), k -> new ArrayList<>(1))
        .add(child);
  }

  private void expire(long nowNanos) {
    while (!waitingInOrder.isEmpty()
        && nowNanos - waitingInOrder.peekFirst().since() > maxWaitNanos) {
      forget(waitingInOrder.pollFirst());
    }
    // Entries resolved earlier stay in the ordered queue until they reach its head; drop them
    // there without counting them as unlinked.
  }

  private void forget(Waiting child) {
    long key = key(child.traceLow(), child.parentSpanId());
    List<Waiting> siblings = waitingByParent.get(key);
    if (siblings != null && siblings.remove(child)) {
      unlinked++;
      if (siblings.isEmpty()) {
        waitingByParent.remove(key);
      }
    }
  }

  private void count(String parent, String child, boolean error, long minute) {
    if (parent.equals(child)) {
      return;
    }
    long[] counts =
        pending
            .computeIfAbsent(minute, m -> new HashMap<>())
            .computeIfAbsent(new Pair(parent, child), p -> new long[2]);
    counts[0]++;
    if (error) {
      counts[1]++;
    }
  }

  private String serviceOf(long traceLow, long spanId) {
    int slot = slotOf(traceLow, spanId);
    return slotTrace[slot] == traceLow && slotSpan[slot] == spanId ? slotService[slot] : null;
  }

  private int slotOf(long traceLow, long spanId) {
    return (int) (key(traceLow, spanId) & mask);
  }

  private static long key(long traceLow, long spanId) {
    long h = traceLow * 0x9E3779B97F4A7C15L ^ spanId;
    return h ^ (h >>> 29);
  }

  /** Links counted since the last drain, by minute; forgets them. */
  Map<Long, List<DependencyLink>> drain() {
    Map<Long, List<DependencyLink>> links = new TreeMap<>();
    pending.forEach(
        (minute, pairs) -> {
          List<DependencyLink> list = new ArrayList<>(pairs.size());
          pairs.forEach(
              (pair, counts) ->
                  list.add(new DependencyLink(pair.parent(), pair.child(), counts[0], counts[1])));
          links.put(minute, list);
        });
    pending.clear();
    return links;
  }

  /** Spans whose parent never arrived in time (or was pushed out of the waiting queue). */
  long unlinked() {
    return unlinked;
  }

  int waiting() {
    return waitingByParent.size();
  }
}
