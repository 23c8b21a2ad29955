package dev.skein.server.query;

import dev.skein.server.query.QueryStats.Call;
import dev.skein.storage.DependencyLink;
import dev.skein.storage.Operation;
import dev.skein.storage.Span;
import dev.skein.storage.SpanMetric;
import dev.skein.storage.SpanStore;
import dev.skein.storage.TraceId;
import dev.skein.storage.TraceQuery;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** The read side of a {@link SpanStore}, each call timed into {@link QueryStats}. */
final class TimedStore {
  private final SpanStore store;
  private final QueryStats stats;

  TimedStore(SpanStore store, QueryStats stats) {
    this.store = store;
    this.stats = stats;
  }

  private <T> T timed(Call call, Supplier<T> work) {
    long start = System.nanoTime();
    boolean failed = true;
    try {
      T result = work.get();
      failed = false;
      return result;
    } finally {
      stats.record(call, System.nanoTime() - start, failed);
    }
  }

  List<String> services() {
    return timed(Call.SERVICES, store::services);
  }

  List<Operation> operations(String service) {
    return timed(Call.OPERATIONS, () -> store.operations(service));
  }

  List<String> remoteServices(String service) {
    return timed(Call.REMOTE_SERVICES, () -> store.remoteServices(service));
  }

  List<TraceId> findTraceIds(TraceQuery query) {
    return timed(Call.FIND_TRACE_IDS, () -> store.findTraceIds(query));
  }

  List<DependencyLink> dependencies(long fromMillis, long toMillis) {
    return timed(Call.DEPENDENCIES, () -> store.dependencies(fromMillis, toMillis));
  }

  List<SpanMetric> metrics(String service, long fromMillis, long toMillis) {
    return timed(Call.METRICS, () -> store.metrics(service, fromMillis, toMillis));
  }

  List<String> tagKeys() {
    return timed(Call.TAG_KEYS, store::tagKeys);
  }

  List<String> tagValues(String key) {
    return timed(Call.TAG_VALUES, () -> store.tagValues(key));
  }

  /**
   * Streams a trace; {@code waitedNanos} tells how long the consumer has so far spent waiting for
   * the client, which is taken off the recorded time.
   */
  void readTrace(TraceId traceId, Consumer<Span> consumer, LongSupplier waitedNanos) {
    long start = System.nanoTime();
    long waitedBefore = waitedNanos.getAsLong();
    boolean failed = true;
    try {
      store.readTrace(traceId, consumer);
      failed = false;
    } catch (ClientGoneException e) {
      failed = false;
      throw e;
    } finally {
      long waited = waitedNanos.getAsLong() - waitedBefore;
      stats.record(Call.READ_TRACE, System.nanoTime() - start - waited, failed);
    }
  }

  void readTrace(TraceId traceId, Consumer<Span> consumer) {
    readTrace(traceId, consumer, () -> 0L);
  }
}
