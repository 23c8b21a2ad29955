package dev.skein.storage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * Keeps everything on the heap, for tests and {@code --storage memory}. Search scans every span. At
 * most {@code maxSpans} are kept: past that, the traces that arrived first are dropped whole.
 * Nothing survives a restart; {@link #sync()} does nothing.
 */
public final class MemorySpanStore implements SpanStore {
  /** Values remembered per attribute key for autocompletion. */
  static final int MAX_TAG_VALUES = 1000;

  private final int maxSpans;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final LinkedHashMap<TraceId, Map<Long, Span>> traces = new LinkedHashMap<>();
  private int spanCount;
  private final TreeMap<String, TreeSet<Operation>> operations = new TreeMap<>();
  private final Map<String, TreeSet<String>> remoteServices = new HashMap<>();
  private final TreeMap<String, TreeSet<String>> tagValues = new TreeMap<>();
  private final TreeMap<MetricKey, SpanMetric> metrics = new TreeMap<>();
  private final TreeMap<Long, Map<List<String>, DependencyLink>> links = new TreeMap<>();
  private boolean closed;

  public MemorySpanStore() {
    this(1_000_000);
  }

  public MemorySpanStore(int maxSpans) {
    if (maxSpans < 1) {
      throw new IllegalArgumentException("maxSpans must be at least 1");
    }
    this.maxSpans = maxSpans;
  }

  private static final Comparator<Operation> BY_NAME_THEN_KIND =
      Comparator.comparing(Operation::name).thenComparing(Operation::kind);

  private record MetricKey(long minute, String service, String operation, Span.Kind kind)
      implements Comparable<MetricKey> {
    @Override
    public int compareTo(MetricKey o) {
      // Minute then operation, as SpanStore#metrics promises; service and kind break ties.
      int c = Long.compare(minute, o.minute);
      if (c == 0) c = operation.compareTo(o.operation);
      if (c == 0) c = service.compareTo(o.service);
      if (c == 0) c = kind.compareTo(o.kind);
      return c;
    }
  }

  @Override
  public void write(List<Span> spans) {
    lock.writeLock().lock();
    try {
      checkOpen();
      for (Span span : spans) {
        Map<Long, Span> trace = traces.computeIfAbsent(span.traceId(), id -> new HashMap<>());
        if (trace.put(span.spanId(), span) == null) {
          spanCount++;
        }
        operations
            .computeIfAbsent(span.service(), s -> new TreeSet<>(BY_NAME_THEN_KIND))
            .add(new Operation(span.name(), span.kind()));
        String remote = span.remoteService();
        if (remote != null) {
          remoteServices.computeIfAbsent(span.service(), s -> new TreeSet<>()).add(remote);
        }
        for (Attribute attribute : span.attributes()) {
          TreeSet<String> values = tagValues.computeIfAbsent(attribute.key(), k -> new TreeSet<>());
          if (values.size() < MAX_TAG_VALUES) {
            values.add(attribute.valueAsString());
          }
        }
      }
      evictOldest();
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void evictOldest() {
    Iterator<Map<Long, Span>> oldest = traces.values().iterator();
    while (spanCount > maxSpans && oldest.hasNext()) {
      spanCount -= oldest.next().size();
      oldest.remove();
    }
  }

  @Override
  public void writeMetrics(List<SpanMetric> batch) {
    lock.writeLock().lock();
    try {
      checkOpen();
      for (SpanMetric metric : batch) {
        MetricKey key =
            new MetricKey(
                metric.minuteEpochMillis(), metric.service(), metric.operation(), metric.kind());
        metrics.merge(key, metric, SpanMetric::plus);
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public void writeLinks(long minuteEpochMillis, List<DependencyLink> batch) {
    lock.writeLock().lock();
    try {
      checkOpen();
      Map<List<String>, DependencyLink> minute =
          links.computeIfAbsent(minuteEpochMillis, m -> new HashMap<>());
      for (DependencyLink link : batch) {
        minute.merge(List.of(link.parent(), link.child()), link, MemorySpanStore::sum);
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  private static DependencyLink sum(DependencyLink a, DependencyLink b) {
    return new DependencyLink(
        a.parent(), a.child(), a.callCount() + b.callCount(), a.errorCount() + b.errorCount());
  }

  @Override
  public void sync() {
    lock.readLock().lock();
    try {
      checkOpen();
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void readTrace(TraceId traceId, Consumer<Span> consumer) {
    List<Span> spans;
    lock.readLock().lock();
    try {
      checkOpen();
      Map<Long, Span> trace = traces.get(traceId);
      spans = trace == null ? List.of() : new ArrayList<>(trace.values());
    } finally {
      lock.readLock().unlock();
    }
    spans.forEach(consumer);
  }

  @Override
  public List<TraceId> findTraceIds(TraceQuery query) {
    lock.readLock().lock();
    try {
      checkOpen();
      Map<TraceId, Long> newestMatch = new HashMap<>();
      for (Map.Entry<TraceId, Map<Long, Span>> trace : traces.entrySet()) {
        for (Span span : trace.getValue().values()) {
          if (query.matches(span)) {
            newestMatch.merge(trace.getKey(), span.startEpochNanos(), Math::max);
          }
        }
      }
      return newestMatch.entrySet().stream()
          .sorted(
              Map.Entry.<TraceId, Long>comparingByValue()
                  .reversed()
                  .thenComparing(Map.Entry.comparingByKey()))
          .limit(query.limit())
          .map(Map.Entry::getKey)
          .toList();
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public List<String> services() {
    lock.readLock().lock();
    try {
      checkOpen();
      return List.copyOf(operations.keySet());
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public List<Operation> operations(String service) {
    lock.readLock().lock();
    try {
      checkOpen();
      TreeSet<Operation> found = operations.get(service);
      return found == null ? List.of() : List.copyOf(found);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public List<String> remoteServices(String service) {
    lock.readLock().lock();
    try {
      checkOpen();
      TreeSet<String> found = remoteServices.get(service);
      return found == null ? List.of() : List.copyOf(found);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public List<DependencyLink> dependencies(long fromMillis, long toMillis) {
    lock.readLock().lock();
    try {
      checkOpen();
      Map<List<String>, DependencyLink> summed = new TreeMap<>(MemorySpanStore::comparePairs);
      for (Map<List<String>, DependencyLink> minute :
          links.subMap(fromMillis, true, toMillis, true).values()) {
        minute.forEach((pair, link) -> summed.merge(pair, link, MemorySpanStore::sum));
      }
      return List.copyOf(summed.values());
    } finally {
      lock.readLock().unlock();
    }
  }

  private static int comparePairs(List<String> a, List<String> b) {
    int c = a.get(0).compareTo(b.get(0));
    return c != 0 ? c : a.get(1).compareTo(b.get(1));
  }

  @Override
  public List<SpanMetric> metrics(String service, long fromMillis, long toMillis) {
    lock.readLock().lock();
    try {
      checkOpen();
      List<SpanMetric> found = new ArrayList<>();
      for (Map.Entry<MetricKey, SpanMetric> entry : metrics.entrySet()) {
        MetricKey key = entry.getKey();
        if (key.minute() >= fromMillis
            && key.minute() <= toMillis
            && (service == null || service.equals(key.service()))) {
          found.add(entry.getValue());
        }
      }
      return found;
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public List<String> tagKeys() {
    lock.readLock().lock();
    try {
      checkOpen();
      return List.copyOf(tagValues.keySet());
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public List<String> tagValues(String key) {
    lock.readLock().lock();
    try {
      checkOpen();
      TreeSet<String> values = tagValues.get(key);
      return values == null ? List.of() : List.copyOf(values);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void deleteBefore(long epochMillis) {
    // Saturated: a cutoff past the year 2262 would overflow into the past and drop nothing.
    long cutoffNanos =
        epochMillis >= Long.MAX_VALUE / 1_000_000L
            ? Long.MAX_VALUE
            : epochMillis <= Long.MIN_VALUE / 1_000_000L
                ? Long.MIN_VALUE
                : epochMillis * 1_000_000L;
    lock.writeLock().lock();
    try {
      checkOpen();
      for (Iterator<Map<Long, Span>> it = traces.values().iterator(); it.hasNext(); ) {
        Map<Long, Span> trace = it.next();
        trace.values().removeIf(span -> span.startEpochNanos() < cutoffNanos);
        if (trace.isEmpty()) {
          it.remove();
        }
      }
      spanCount = traces.values().stream().mapToInt(Map::size).sum();
      metrics.keySet().removeIf(key -> key.minute() < epochMillis);
      links.headMap(epochMillis).clear();
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      closed = true;
      traces.clear();
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new StoreException("store is closed");
    }
  }
}
