package dev.skein.benchmarks.load;

import dev.skein.benchmarks.load.Transport.Ack;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Keeps a fixed number of requests in flight through one transport: one thread copies a template,
 * gives it fresh trace ids and sends it whenever an answer frees a slot. Answers are counted from
 * the start; those that arrive inside the measured window also give the rate and the latencies.
 */
final class LoadDriver {

  /** What one run measured. Latencies are sorted, in nanoseconds, for the measured window only. */
  record Result(
      long acceptedSpans,
      long measuredSpans,
      double measuredSeconds,
      long[] latencies,
      long requests,
      long refused,
      long failed,
      String firstProblem) {

    double spansPerSecond() {
      return measuredSeconds > 0 ? measuredSpans / measuredSeconds : 0;
    }

    /** The {@code q} quantile (0..1) of acknowledgement latency in milliseconds, NaN if none. */
    double latencyMillis(double q) {
      return Quantiles.millis(latencies, q);
    }
  }

  /** Told, on the sending thread, when the measured window opens and when it closes. */
  interface WindowListener {
    void opened();

    void closed();
  }

  private static final WindowListener NO_LISTENER =
      new WindowListener() {
        @Override
        public void opened() {}

        @Override
        public void closed() {}
      };

  private static final long FAILURE_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
  private static final int FAILURES_BEFORE_GIVING_UP = 200;

  private final Transport transport;
  private final List<RequestTemplate> templates;
  private final int inFlight;
  private final SplittableRandom random;
  private final TraceIdSample sample;

  // Written by answer threads, read by the sending thread and at the end: guarded by `this`.
  private long acceptedSpans;
  private long measuredSpans;
  private long requests;
  private long refused;
  private long failed;
  private String firstProblem;
  private long[] latencies = new long[1024];
  private int latencyCount;
  private long windowStart;
  private long windowEnd;
  private volatile long pauseUntil;
  private WindowListener listener = NO_LISTENER;

  /**
   * @param sample receives the id of one trace per accepted request, or null
   */
  LoadDriver(
      Transport transport,
      List<RequestTemplate> templates,
      int inFlight,
      long seed,
      TraceIdSample sample) {
    this.transport = transport;
    this.templates = templates;
    this.inFlight = inFlight;
    this.random = new SplittableRandom(seed);
    this.sample = sample;
  }

  LoadDriver onWindow(WindowListener listener) {
    this.listener = listener;
    return this;
  }

  /** Sends for {@code warmup}, then measures for {@code measure}, then waits for the answers. */
  Result timed(Duration warmup, Duration measure) throws InterruptedException {
    return run(warmup.toNanos(), measure.toNanos(), Long.MAX_VALUE);
  }

  /** Sends until the server has accepted {@code spans} spans or {@code limit} has passed. */
  Result fill(long spans, Duration limit) throws InterruptedException {
    return run(0, limit.toNanos(), spans);
  }

  private Result run(long warmupNanos, long measureNanos, long spanTarget)
      throws InterruptedException {
    Semaphore slots = new Semaphore(inFlight);
    long start = System.nanoTime();
    synchronized (this) {
      windowStart = start + warmupNanos;
      windowEnd = windowStart + measureNanos;
    }
    int next = 0;
    boolean opened = false;
    while (true) {
      long now = System.nanoTime();
      if (!opened && now >= start + warmupNanos) {
        opened = true;
        listener.opened();
      }
      synchronized (this) {
        if (now >= windowEnd || acceptedSpans >= spanTarget) {
          windowEnd = Math.min(windowEnd, now);
          break;
        }
        if (failed + refused >= FAILURES_BEFORE_GIVING_UP && acceptedSpans == 0) {
          throw new IllegalStateException(
              "the server accepted nothing in "
                  + (failed + refused)
                  + " requests; first: "
                  + firstProblem);
        }
      }
      if (!slots.tryAcquire(50, TimeUnit.MILLISECONDS)) {
        continue;
      }
      long pause = pauseUntil - System.nanoTime();
      if (pause > 0) {
        LockSupport.parkNanos(pause);
      }
      RequestTemplate template = templates.get(next);
      next = (next + 1) % templates.size();
      byte[] body = template.instantiate(random);
      String sampledId =
          sample == null ? null : template.traceIdHex(body, random.nextInt(template.traceCount()));
      long sent = System.nanoTime();
      transport
          .send(body, template.spanCount())
          .whenComplete(
              (ack, error) -> {
                try {
                  Ack answer = ack != null ? ack : Ack.failed(String.valueOf(error));
                  record(answer, sent, System.nanoTime());
                  if (sampledId != null && answer.outcome() == Transport.Outcome.ACCEPTED) {
                    sample.add(sampledId);
                  }
                } finally {
                  slots.release();
                }
              });
    }
    if (opened) {
      listener.closed();
    }
    // Answers still in flight count as accepted, not as measured.
    if (!slots.tryAcquire(inFlight, 60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("requests still unanswered 60 s after the load stopped");
    }
    synchronized (this) {
      long[] sorted = Arrays.copyOf(latencies, latencyCount);
      Arrays.sort(sorted);
      return new Result(
          acceptedSpans,
          measuredSpans,
          (windowEnd - windowStart) / 1e9,
          sorted,
          requests,
          refused,
          failed,
          firstProblem);
    }
  }

  private synchronized void record(Ack ack, long sent, long answered) {
    requests++;
    boolean measured = answered >= windowStart && answered < windowEnd;
    switch (ack.outcome()) {
      case ACCEPTED -> {
        acceptedSpans += ack.acceptedSpans();
        if (measured) {
          measuredSpans += ack.acceptedSpans();
          if (latencyCount == latencies.length) {
            latencies = Arrays.copyOf(latencies, latencyCount * 2);
          }
          latencies[latencyCount++] = answered - sent;
        }
      }
      case REFUSED -> {
        refused++;
        pauseUntil = Math.max(pauseUntil, answered + ack.retryAfterNanos());
        noteProblem(ack);
      }
      case FAILED -> {
        failed++;
        pauseUntil = Math.max(pauseUntil, answered + FAILURE_PAUSE_NANOS);
        noteProblem(ack);
      }
    }
  }

  private void noteProblem(Ack ack) {
    if (firstProblem == null) {
      firstProblem = ack.detail();
    }
  }
}
