package dev.skein.server.query;

import dev.skein.storage.Span;
import dev.skein.storage.TraceId;
import dev.skein.storage.TraceQuery;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Trace search with conditions the store cannot evaluate: tags that exist only in what Jaeger or
 * Zipkin show (such as {@code error=true} for a span whose status is ERROR) and Zipkin's bare
 * annotation words. The store narrows the candidates with everything else, newest first; each
 * candidate trace is then read until {@code limit} traces have a span that meets every condition at
 * once. At most {@link #MAX_CANDIDATES} candidates are examined.
 */
final class TraceSearch {
  static final int MAX_CANDIDATES = 10_000;

  private TraceSearch() {}

  /** Ids of matching traces, newest first (by the newest span that matches everything). */
  static List<TraceId> find(TimedStore store, TraceQuery query, Predicate<Span> extra) {
    if (extra == null) {
      return store.findTraceIds(query);
    }
    int candidates = (int) Math.min(MAX_CANDIDATES, Math.max(1_000L, query.limit() * 20L));
    TraceQuery wide =
        new TraceQuery(
            query.service(),
            query.operation(),
            query.tags(),
            query.startFromNanos(),
            query.startToNanos(),
            query.minDurationNanos(),
            query.maxDurationNanos(),
            candidates);
    record Match(TraceId id, long newestStart) {}
    List<Match> matches = new ArrayList<>();
    for (TraceId id : store.findTraceIds(wide)) {
      long[] newest = {Long.MIN_VALUE};
      boolean[] found = {false};
      store.readTrace(
          id,
          span -> {
            if (query.matches(span) && extra.test(span)) {
              found[0] = true;
              newest[0] = Math.max(newest[0], span.startEpochNanos());
            }
          });
      if (found[0]) {
        matches.add(new Match(id, newest[0]));
        if (matches.size() == query.limit()) {
          break;
        }
      }
    }
    matches.sort(Comparator.comparingLong(Match::newestStart).reversed().thenComparing(Match::id));
    return matches.stream().map(Match::id).toList();
  }

  /** A predicate that every tag in {@code tags} shows on the span with exactly that value. */
  static Predicate<Span> shownTags(Map<String, String> tags, TagView view) {
    return span -> {
      for (Map.Entry<String, String> tag : tags.entrySet()) {
        if (!tag.getValue().equals(view.valueOf(span, tag.getKey()))) {
          return false;
        }
      }
      return true;
    };
  }

  /** Both predicates, either of which may be null (no condition). */
  static Predicate<Span> and(Predicate<Span> a, Predicate<Span> b) {
    if (a == null) {
      return b;
    }
    return b == null ? a : a.and(b);
  }
}
