package dev.skein.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where the server keeps spans and what it computed from them. The pipeline is the only writer (one
 * thread); queries come from many threads at once. Every implementation passes the shared storage
 * test kit ({@code skein-storage-testkit}).
 *
 * <p>Writes need not be durable until {@link #sync()} returns: the server commits its ingest log
 * only after a sync, so what a crash loses is replayed from the log. Writing the same span twice (a
 * replay) must leave one copy.
 */
public interface SpanStore extends AutoCloseable {

  /** Adds spans; a span with the trace id and span id of a stored one replaces it. */
  void write(List<Span> spans);

  /** Adds per-minute operation metrics to what is stored for the same key. */
  void writeMetrics(List<SpanMetric> metrics);

  /** Adds dependency link counts to what is stored for that minute. */
  void writeLinks(long minuteEpochMillis, List<DependencyLink> links);

  /** Makes everything written so far survive a crash of the process. */
  void sync();

  /**
   * Streams the spans of one trace, in no particular order, without holding the whole trace in
   * memory. Nothing is passed for an unknown trace.
   */
  void readTrace(TraceId traceId, Consumer<Span> consumer);

  /** The spans of one trace, empty if unknown. Prefer {@link #readTrace} for huge traces. */
  default List<Span> trace(TraceId traceId) {
    List<Span> spans = new ArrayList<>();
    readTrace(traceId, spans::add);
    return spans;
  }

  /** Ids of the traces matching the query, newest first, distinct, at most {@code limit}. */
  List<TraceId> findTraceIds(TraceQuery query);

  /** Every service that has sent spans, sorted. */
  List<String> services();

  /** The operations of a service with their span kinds, sorted by name then kind. */
  List<Operation> operations(String service);

  /** The {@code peer.service} values a service's spans named, sorted. */
  List<String> remoteServices(String service);

  /**
   * Dependency links summed over the minutes that start in [{@code fromMillis}, {@code toMillis}].
   */
  List<DependencyLink> dependencies(long fromMillis, long toMillis);

  /**
   * Metrics of a service's operations per minute in [{@code fromMillis}, {@code toMillis}], sorted
   * by minute then operation; a null service means every service.
   */
  List<SpanMetric> metrics(String service, long fromMillis, long toMillis);

  /** Attribute keys seen on spans, sorted, for autocompletion. */
  List<String> tagKeys();

  /** Values seen for an attribute key, sorted, for autocompletion; a store may cap how many. */
  List<String> tagValues(String key);

  /**
   * Drops spans that started before {@code epochMillis}, with their index entries, metrics and
   * links. A store may keep somewhat more (it drops whole time partitions), never less.
   */
  void deleteBefore(long epochMillis);

  /** Releases files and memory; the store is unusable afterwards. */
  @Override
  void close();
}
