package dev.skein.exporter;

import dev.skein.sdk.SpanData;
import dev.skein.sdk.export.ThrottledLog;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Gets encoded batches to a backend through a {@link Transport}: retries what may succeed later
 * (with backoff and {@code Retry-After}), gives up on what will not, reads partial success, and
 * counts it all in {@link ExportStats}.
 *
 * <p>Memory stays bounded whatever the backend does. The batch span processor waits for one export
 * at a time, but gives up waiting after its timeout while a slow delivery may go on retrying; at
 * most {@code maxInFlight} batches are held that way, and a batch beyond that fails at once.
 * Problems are logged at most once a minute each, so a backend that is down cannot flood the
 * application's log.
 */
public final class Delivery {

  private static final Logger logger = Logger.getLogger(Delivery.class.getName());

  private static final int INITIAL_BUFFER_BYTES = 64 * 1024;

  /** A buffer grown past this by a huge batch is let go instead of being kept for the next. */
  private static final int MAX_RETAINED_BUFFER_BYTES = 1 << 20;

  private final String exporterName;
  private final Transport transport;
  private final RetryPolicy retryPolicy;
  private final PartialSuccess.Reader responseReader;
  private final int maxInFlight;
  private final ExportStats stats = new ExportStats();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final ThrottledLog failureLog = new ThrottledLog(logger);
  private final ThrottledLog partialSuccessLog = new ThrottledLog(logger);
  private volatile boolean shutdown;
  private WireBuffer buffer = new WireBuffer(INITIAL_BUFFER_BYTES); // guarded by this

  private Delivery(Builder builder) {
    this.exporterName = builder.exporterName;
    this.transport = builder.transport;
    this.retryPolicy = builder.retryPolicy;
    this.responseReader = builder.responseReader;
    this.maxInFlight = builder.maxInFlight;
  }

  /**
   * @param exporterName names the exporter in log messages, such as {@code "OTLP HTTP
   *     http://collector:4318/v1/traces"}
   */
  public static Builder builder(String exporterName, Transport transport) {
    return new Builder(exporterName, transport);
  }

  /**
   * Encodes {@code spans} on the calling thread into a buffer reused batch after batch, then
   * delivers them as {@link #deliver(byte[], int)} does. A batch the encoder refuses fails alone,
   * so one bad span cannot stop the exporter.
   */
  public CompletableFuture<Void> deliver(
      Collection<? extends SpanData> spans, SpanEncoder encoder) {
    if (spans.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    byte[] payload;
    try {
      payload = encode(spans, encoder);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return deliver(payload, spans.size());
  }

  // Processors export one batch at a time; the lock only matters to a user who shares one
  // exporter between processors.
  private synchronized byte[] encode(Collection<? extends SpanData> spans, SpanEncoder encoder) {
    try {
      buffer.reset();
      encoder.encode(spans, buffer);
      return buffer.toByteArray();
    } finally {
      if (buffer.size() > MAX_RETAINED_BUFFER_BYTES) {
        buffer = new WireBuffer(INITIAL_BUFFER_BYTES);
      }
    }
  }

  /**
   * Delivers one encoded batch of {@code spanCount} spans. The future completes normally once the
   * backend accepted it (even if it rejected some spans: those are counted and logged), and
   * exceptionally with an {@link ExportException} once it is given up.
   */
  public CompletableFuture<Void> deliver(byte[] payload, int spanCount) {
    if (shutdown) {
      return fail(spanCount, "the exporter is shut down");
    }
    if (inFlight.incrementAndGet() > maxInFlight) {
      inFlight.decrementAndGet();
      return fail(
          spanCount,
          maxInFlight + " batches are already waiting for the backend; dropping this one");
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    done.whenComplete((ignored, error) -> inFlight.decrementAndGet());
    attempt(payload, spanCount, 1, done);
    return done;
  }

  private void attempt(byte[] payload, int spanCount, int number, CompletableFuture<Void> done) {
    CompletableFuture<Attempt> sent;
    try {
      sent = transport.send(payload);
    } catch (
        RuntimeException e) { // a transport must not throw, but one bug must not lose the batch
      sent = CompletableFuture.completedFuture(new Attempt.Retryable(e.toString(), null));
    }
    sent.whenComplete(
        (result, error) -> {
          Attempt outcome = error != null ? new Attempt.Retryable(error.toString(), null) : result;
          onAttempt(outcome, payload, spanCount, number, done);
        });
  }

  private void onAttempt(
      Attempt outcome, byte[] payload, int spanCount, int number, CompletableFuture<Void> done) {
    if (outcome instanceof Attempt.Accepted accepted) {
      accept(accepted.body(), spanCount);
      done.complete(null);
    } else if (outcome instanceof Attempt.Failed failed) {
      done.completeExceptionally(giveUp(spanCount, failed.reason()));
    } else {
      Attempt.Retryable retryable = (Attempt.Retryable) outcome;
      long delay = retryDelayNanos(retryable, number);
      if (delay < 0) {
        String why =
            number >= retryPolicy.maxAttempts()
                ? retryable.reason() + " (gave up after " + number + " attempts)"
                : retryable.reason()
                    + " (the backend asked to wait "
                    + retryable.retryAfter()
                    + ", longer than the "
                    + retryPolicy.maxRetryAfter()
                    + " we wait)";
        done.completeExceptionally(giveUp(spanCount, why));
        return;
      }
      if (shutdown) {
        done.completeExceptionally(giveUp(spanCount, retryable.reason() + " (shut down)"));
        return;
      }
      stats.addRetry();
      Executor later = CompletableFuture.delayedExecutor(delay, TimeUnit.NANOSECONDS);
      later.execute(
          () -> {
            if (shutdown) { // shut down while this batch waited for its retry
              done.completeExceptionally(giveUp(spanCount, retryable.reason() + " (shut down)"));
            } else {
              attempt(payload, spanCount, number + 1, done);
            }
          });
    }
  }

  /** The wait before the next attempt, or -1 to give up. */
  private long retryDelayNanos(Attempt.Retryable retryable, int attemptsMade) {
    if (attemptsMade >= retryPolicy.maxAttempts()) {
      return -1;
    }
    long backoff = retryPolicy.backoffNanos(attemptsMade, ThreadLocalRandom.current().nextDouble());
    Duration asked = retryable.retryAfter();
    if (asked == null) {
      return backoff;
    }
    if (asked.compareTo(retryPolicy.maxRetryAfter()) > 0) {
      return -1;
    }
    return Math.max(backoff, asked.toNanos());
  }

  private void accept(byte[] body, int spanCount) {
    PartialSuccess partial;
    try {
      partial = body.length == 0 ? PartialSuccess.NONE : responseReader.read(body);
    } catch (RuntimeException e) {
      // The backend said it took the batch; an unreadable body does not change that.
      partialSuccessLog.log(
          Level.WARNING, exporterName + ": could not read the backend's response: " + e, null);
      partial = PartialSuccess.NONE;
    }
    long rejected = Math.min(Math.max(partial.rejectedSpans(), 0), spanCount);
    stats.addExported(spanCount - rejected);
    if (rejected > 0) {
      stats.addRejected(rejected);
      partialSuccessLog.log(
          Level.WARNING,
          exporterName
              + ": the backend rejected "
              + rejected
              + " of "
              + spanCount
              + " spans: "
              + partial.errorMessage(),
          null);
    } else if (!partial.errorMessage().isEmpty()) {
      partialSuccessLog.log(
          Level.INFO, exporterName + ": the backend warned: " + partial.errorMessage(), null);
    }
  }

  private ExportException giveUp(int spanCount, String reason) {
    stats.addFailed(spanCount);
    String message = exporterName + ": failed to export " + spanCount + " spans: " + reason;
    failureLog.log(Level.WARNING, message, null);
    return new ExportException(message);
  }

  private CompletableFuture<Void> fail(int spanCount, String reason) {
    return CompletableFuture.failedFuture(giveUp(spanCount, reason));
  }

  /** Counters of what this delivery did. */
  public ExportStats stats() {
    return stats;
  }

  /**
   * Stops retrying: batches waiting for a retry fail at their next turn, and later batches fail at
   * once. Closes the transport.
   */
  public CompletableFuture<Void> shutdown() {
    shutdown = true;
    transport.close();
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public String toString() {
    return exporterName;
  }

  /** Why a batch was not delivered. */
  public static final class ExportException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ExportException(String message) {
      super(message, null, false, false);
    }
  }

  /** Configures a {@link Delivery}. */
  public static final class Builder {
    private final String exporterName;
    private final Transport transport;
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private PartialSuccess.Reader responseReader = body -> PartialSuccess.NONE;
    private int maxInFlight = 4;

    private Builder(String exporterName, Transport transport) {
      this.exporterName = Objects.requireNonNull(exporterName, "exporterName");
      this.transport = Objects.requireNonNull(transport, "transport");
    }

    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
      return this;
    }

    /** Reads partial success from accepted responses; by default the body is ignored. */
    public Builder responseReader(PartialSuccess.Reader responseReader) {
      this.responseReader = Objects.requireNonNull(responseReader, "responseReader");
      return this;
    }

    /** Batches held at once while the backend is slow (default 4). */
    public Builder maxInFlight(int maxInFlight) {
      if (maxInFlight < 1) {
        throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
      }
      this.maxInFlight = maxInFlight;
      return this;
    }

    public Delivery build() {
      return new Delivery(this);
    }
  }
}
