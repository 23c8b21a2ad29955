package dev.skein.server.pipeline;

import dev.skein.server.log.IngestLog;
import dev.skein.storage.DependencyLink;
import dev.skein.storage.Span;
import dev.skein.storage.SpanCodec;
import dev.skein.storage.SpanStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Moves spans from the ingest log to the store in two stages, each on its own thread: one reads and
 * decodes records, the other runs the processors, writes spans and adds up span metrics and
 * dependency links (so processors and the store see one writer, as the SPI asks). Every {@code
 * commitInterval} it writes the metrics and links, {@link SpanStore#sync() syncs} the store and
 * only then commits the log, so after a crash the log replays exactly what the store may have lost.
 *
 * <p>A record the codec cannot read is skipped with an error log and counted (it cannot become
 * readable by waiting); a store failure stops progress without committing, and is retried.
 */
public final class Pipeline implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Pipeline.class.getName());

  /** How the pipeline batches and commits. */
  public record Options(
      int maxRecordsPerBatch, long commitIntervalNanos, int maxSpansPerTrace, long linkWaitNanos) {

    public static Options defaults() {
      return new Options(256, TimeUnit.SECONDS.toNanos(1), 1_000_000, TimeUnit.SECONDS.toNanos(60));
    }

    public Options withCommitInterval(long nanos) {
      return new Options(maxRecordsPerBatch, nanos, maxSpansPerTrace, linkWaitNanos);
    }

    public Options withMaxSpansPerTrace(int max) {
      return new Options(maxRecordsPerBatch, commitIntervalNanos, max, linkWaitNanos);
    }
  }

  /** Counters for /metrics; read from any thread. */
  public static final class Stats {
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong spansStored = new AtomicLong();
    private final AtomicLong corruptRecords = new AtomicLong();
    private final AtomicLong storeFailures = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong storeWriteNanos = new AtomicLong();
    private final AtomicLong storeWrites = new AtomicLong();
    private final AtomicLong syncNanos = new AtomicLong();
    private volatile long droppedOverTraceLimit;
    private volatile long unlinkedSpans;
    private volatile long processedOffset = -1;

    public long records() {
      return records.get();
    }

    public long spansStored() {
      return spansStored.get();
    }

    public long corruptRecords() {
      return corruptRecords.get();
    }

    public long storeFailures() {
      return storeFailures.get();
    }

    public long commits() {
      return commits.get();
    }

    /** Total time spent in {@link SpanStore#write}, and how many calls. */
    public long storeWriteNanos() {
      return storeWriteNanos.get();
    }

    public long storeWrites() {
      return storeWrites.get();
    }

    public long syncNanos() {
      return syncNanos.get();
    }

    public long droppedOverTraceLimit() {
      return droppedOverTraceLimit;
    }

    public long unlinkedSpans() {
      return unlinkedSpans;
    }

    /** The last log offset written to the store (perhaps not yet committed). */
    public long processedOffset() {
      return processedOffset;
    }
  }

  private final IngestLog log;
  private final SpanStore store;
  private final List<SpanProcessor> processors;
  private final Options options;
  private final TraceSpanLimit traceSpanLimit;
  private final SpanMetricsAggregator metrics = new SpanMetricsAggregator();
  private final DependencyLinker linker;
  private final Stats stats = new Stats();
  private final java.util.concurrent.BlockingQueue<Chunk> chunks =
      new java.util.concurrent.ArrayBlockingQueue<>(4);
  private final Thread reader;
  private final Thread thread;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running = true;

  /**
   * @param processors run in order after the per-trace span limit, before the store
   */
  public Pipeline(IngestLog log, SpanStore store, List<SpanProcessor> processors, Options options) {
    this.log = log;
    this.store = store;
    this.options = options;
    this.traceSpanLimit = new TraceSpanLimit(options.maxSpansPerTrace(), 100_000);
    this.processors = new ArrayList<>();
    this.processors.add(traceSpanLimit);
    this.processors.addAll(processors);
    this.linker = new DependencyLinker(1 << 20, 200_000, options.linkWaitNanos());
    this.reader = new Thread(this::read, "skein-pipeline-read");
    this.reader.setDaemon(true);
    this.thread = new Thread(this::run, "skein-pipeline");
    this.thread.setDaemon(true);
  }

  /** Starts reading after the log's commit point. */
  public Pipeline start() {
    reader.start();
    thread.start();
    return this;
  }

  public Stats stats() {
    return stats;
  }

  /** Decoded spans of consecutive log records, up to and including {@code lastOffset}. */
  private record Chunk(long lastOffset, List<Span> spans) {}

  private static final Chunk END = new Chunk(Long.MIN_VALUE, List.of());

  /**
   * The reading stage: log records to decoded spans, handed to the writing stage through a short
   * queue, so decoding one batch overlaps storing the one before.
   */
  private void read() {
    long next = log.committedOffset() + 1;
    try {
      while (running || next < log.endOffset()) {
        List<Span> batch = new ArrayList<>();
        long[] lastOffset = {Long.MIN_VALUE};
        try {
          next =
              log.read(
                  next,
                  options.maxRecordsPerBatch(),
                  record -> {
                    lastOffset[0] = record.offset();
                    decodeInto(record, batch);
                  });
        } catch (IOException | RuntimeException e) {
          LOG.log(System.Logger.Level.ERROR, "reading the ingest log failed; retrying", e);
          pause(TimeUnit.SECONDS.toNanos(1));
          continue;
        }
        if (lastOffset[0] != Long.MIN_VALUE) {
          if (!hand(new Chunk(lastOffset[0], batch))) {
            return;
          }
        } else if (running) {
          pause(TimeUnit.MILLISECONDS.toNanos(2));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        hand(END);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Queues a chunk for the writing stage; false if that stage has ended (stopped on failure). */
  private boolean hand(Chunk chunk) throws InterruptedException {
    while (!chunks.offer(chunk, 10, TimeUnit.MILLISECONDS)) {
      if (stopped.getCount() == 0) {
        return false;
      }
    }
    return true;
  }

  /** The writing stage: processors, store, metrics and links, and the commit. */
  private void run() {
    long lastProcessed = log.committedOffset();
    stats.processedOffset = lastProcessed;
    long lastCommit = System.nanoTime();
    try {
      while (true) {
        Chunk chunk = chunks.poll(10, TimeUnit.MILLISECONDS);
        if (chunk == END) {
          break;
        }
        if (chunk != null) {
          storeWithRetry(chunk.spans());
          lastProcessed = chunk.lastOffset();
          stats.processedOffset = lastProcessed;
        }
        long now = System.nanoTime();
        if (lastProcessed > log.committedOffset()
            && now - lastCommit >= options.commitIntervalNanos()) {
          commitWithRetry(lastProcessed);
          lastCommit = now;
        }
      }
      if (lastProcessed > log.committedOffset()) {
        commitWithRetry(lastProcessed);
      }
    } catch (IllegalStateException e) {
      LOG.log(System.Logger.Level.ERROR, e.getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      stopped.countDown();
    }
  }

  private void decodeInto(IngestLog.Record record, List<Span> batch) {
    stats.records.incrementAndGet();
    try {
      batch.addAll(SpanCodec.decode(record.payload()));
    } catch (IllegalArgumentException e) {
      stats.corruptRecords.incrementAndGet();
      LOG.log(
          System.Logger.Level.ERROR,
          "ingest log record "
              + record.offset()
              + " is not a span batch, skipped: "
              + e.getMessage());
    }
  }

  private void storeWithRetry(List<Span> batch) {
    List<Span> spans = batch;
    for (SpanProcessor processor : processors) {
      spans = processor.process(spans);
    }
    stats.droppedOverTraceLimit = traceSpanLimit.dropped();
    while (true) {
      try {
        long start = System.nanoTime();
        store.write(spans);
        stats.storeWriteNanos.addAndGet(System.nanoTime() - start);
        stats.storeWrites.incrementAndGet();
        break;
      } catch (RuntimeException e) {
        failed("writing spans to the store", e);
      }
    }
    stats.spansStored.addAndGet(spans.size());
    metrics.add(spans);
    linker.add(spans, System.nanoTime());
    stats.unlinkedSpans = linker.unlinked();
  }

  private void commitWithRetry(long offset) {
    List<dev.skein.storage.SpanMetric> pendingMetrics = metrics.drain();
    Map<Long, List<DependencyLink>> pendingLinks = linker.drain();
    while (true) {
      try {
        if (!pendingMetrics.isEmpty()) {
          store.writeMetrics(pendingMetrics);
          pendingMetrics = List.of();
        }
        for (var it = pendingLinks.entrySet().iterator(); it.hasNext(); ) {
          var minute = it.next();
          store.writeLinks(minute.getKey(), minute.getValue());
          it.remove();
        }
        long start = System.nanoTime();
        store.sync();
        stats.syncNanos.addAndGet(System.nanoTime() - start);
        log.commit(offset);
        stats.commits.incrementAndGet();
        return;
      } catch (IOException | RuntimeException e) {
        failed("committing offset " + offset, e);
      }
    }
  }

  private void failed(String what, Exception e) {
    stats.storeFailures.incrementAndGet();
    if (!running) {
      // Stopping: what was not committed stays in the log and is replayed at the next start.
      throw new IllegalStateException("pipeline stopped while " + what + " kept failing", e);
    }
    LOG.log(System.Logger.Level.ERROR, what + " failed; retrying in 1 s", e);
    pause(TimeUnit.SECONDS.toNanos(1));
  }

  private static void pause(long nanos) {
    LockSupport.parkNanos(nanos);
  }

  /**
   * Stores and commits everything already in the log, then stops. Waits at most {@code timeout}.
   *
   * @return true if the pipeline drained in time
   */
  public boolean stop(long timeout, TimeUnit unit) throws InterruptedException {
    running = false;
    LockSupport.unpark(reader);
    return stopped.await(timeout, unit);
  }

  @Override
  public void close() throws InterruptedException {
    stop(30, TimeUnit.SECONDS);
  }
}
