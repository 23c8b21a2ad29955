package dev.skein.server.pipeline;

import dev.skein.storage.Span;
import dev.skein.storage.TraceId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Drops spans past a per-trace limit, so one runaway trace (a loop that never ends its root) cannot
 * fill the store. Counts are kept for the most recently seen traces only, which bounds memory; a
 * trace forgotten and seen again starts counting afresh.
 */
final class TraceSpanLimit implements SpanProcessor {
  private final int maxSpansPerTrace;
  private final Map<TraceId, int[]> counts;
  private long dropped;

  TraceSpanLimit(int maxSpansPerTrace, int tracesRemembered) {
    if (maxSpansPerTrace < 1) {
      throw new IllegalArgumentException("the per-trace span limit must be at least 1");
    }
    this.maxSpansPerTrace = maxSpansPerTrace;
    this.counts =
        new LinkedHashMap<>(1024, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<TraceId, int[]> eldest) {
            return size() > tracesRemembered;
          }
        };
  }

  @Override
  public List<Span> process(List<Span> spans) {
    List<Span> kept = null;
    for (int i = 0; i < spans.size(); i++) {
      Span span = spans.get(i);
      int[] count = counts.computeIfAbsent(span.traceId(), id -> new int[1]);
      if (count[0] >= maxSpansPerTrace) {
        dropped++;
        if (kept == null) {
          kept = new ArrayList<>(spans.subList(0, i));
        }
        continue;
      }
      count[0]++;
      if (kept != null) {
        kept.add(span);
      }
    }
    return kept == null ? spans : kept;
  }

  long dropped() {
    return dropped;
  }
}
