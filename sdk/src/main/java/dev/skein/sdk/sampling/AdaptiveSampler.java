package dev.skein.sdk.sampling;

import dev.skein.sdk.Clock;
import dev.skein.sdk.SpanData;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Samples each root span name with the probability that yields a target number of traces per
 * second, raised while that name's recent error rate is high; spans with a valid parent follow the
 * parent.
 *
 * <p>Per name, once a second (a tick): the offered rate is the number of root decisions over the
 * tick, smoothed with a one-second half-life but following a rise at once, so a burst is not
 * over-sampled while the average catches up. The error rate is the decayed count of failed local
 * roots over the decayed count of ended ones, both from {@link #onEnd}; because sampled roots are a
 * uniform random sample (decided by trace id), their error fraction estimates the name's. Then
 * {@code p = min(1, target / offeredRate * (1 + 9 * errorRate))}: up to ten times the base
 * probability when every trace fails, back to the base as errors stop.
 *
 * <p>The decision compares the trace id's low 8 bytes with {@code p} exactly as the ratio sampler
 * does. A name is sampled fully until its first estimate; a name whose sampled count in a tick runs
 * far past the budget (a sudden burst after being idle) is re-estimated early.
 *
 * <p>Cost: the hot path reads a map entry, bumps a {@link LongAdder}, reads the clock and two
 * volatiles. Recomputing takes a per-name flag that losers skip, so no thread ever waits. At most
 * {@link #MAX_NAMES} names are tracked; the rest share one overflow entry whose target is shared.
 */
final class AdaptiveSampler implements Sampler {

  static final int MAX_NAMES = 2000;
  static final long TICK_NANOS = 1_000_000_000L;
  // An early re-estimate needs some elapsed time for the rate it computes to mean anything.
  static final long MIN_EARLY_TICK_NANOS = 10_000_000L;
  static final double MAX_ERROR_BOOST = 10;

  private final double target;
  private final Clock clock;
  private final long sampledBudgetPerTick;
  private final ConcurrentHashMap<String, NameStats> byName = new ConcurrentHashMap<>();
  private final AtomicInteger nameCount = new AtomicInteger();
  private final NameStats overflow;
  private final String description;

  AdaptiveSampler(double targetTracesPerSecondPerSpanName, Clock clock) {
    this.target =
        Samplers.requirePositiveFinite(
            "targetTracesPerSecondPerSpanName", targetTracesPerSecondPerSpanName);
    this.clock = clock;
    // Twice what the highest boost asks for: past it, the estimate is clearly stale.
    this.sampledBudgetPerTick = (long) Math.ceil(2 * MAX_ERROR_BOOST * target) + 16;
    this.overflow = new NameStats(clock.nanoTime());
    this.description = "Adaptive{" + targetTracesPerSecondPerSpanName + "}";
  }

  @Override
  public SamplingDecision shouldSample(
      SpanContext parent, long traceIdHigh, long traceIdLow, String name, SpanKind kind) {
    if (parent.isValid()) {
      return Samplers.followParent(parent);
    }
    return statsFor(name).decide(traceIdLow, clock.nanoTime())
        ? SamplingDecision.RECORD_AND_SAMPLE
        : SamplingDecision.DROP;
  }

  @Override
  public void onEnd(SpanData span) {
    // Only local roots were decided here; their children would count one trace many times.
    if (span.parentSpanId() != 0 && !span.hasRemoteParent()) {
      return;
    }
    NameStats stats = byName.get(keyOf(span.name()));
    if (stats == null) {
      if (nameCount.get() < MAX_NAMES) {
        return; // renamed after its decision: no entry to learn for
      }
      stats = overflow;
    }
    stats.recordEnd(span.statusCode() == StatusCode.ERROR);
  }

  @Override
  public boolean isEndRequired() {
    return true;
  }

  /** The current probability for {@code name}; for tests and diagnostics. */
  double probability(String name) {
    NameStats stats = byName.get(keyOf(name));
    return stats == null ? Double.NaN : stats.probability;
  }

  /** How many names have their own entry; for tests. */
  int trackedNameCount() {
    return byName.size();
  }

  private NameStats statsFor(String name) {
    String key = keyOf(name);
    NameStats stats = byName.get(key);
    if (stats != null) {
      return stats;
    }
    stats = byName.computeIfAbsent(key, k -> newStatsWithinBound());
    return stats != null ? stats : overflow;
  }

  private NameStats newStatsWithinBound() {
    if (nameCount.incrementAndGet() > MAX_NAMES) {
      nameCount.decrementAndGet();
      return null; // computeIfAbsent then maps nothing
    }
    return new NameStats(clock.nanoTime());
  }

  private static String keyOf(String name) {
    return name == null ? "" : name;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public String toString() {
    return description;
  }

  /** The state of one span name. */
  final class NameStats {
    private final LongAdder offered = new LongAdder();
    private final AtomicLong sampledInTick = new AtomicLong();
    private final LongAdder ended = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final AtomicBoolean updating = new AtomicBoolean();
    private volatile long tickStart;
    private volatile long idUpperBound = Long.MAX_VALUE;
    volatile double probability = 1;

    // Written only while holding `updating`, whose release and acquire order them.
    private boolean hasRate;
    private double offeredRate;
    private double endedWeight;
    private double failedWeight;

    NameStats(long now) {
      this.tickStart = now;
    }

    boolean decide(long traceIdLow, long now) {
      offered.increment();
      long elapsed = now - tickStart;
      if (elapsed >= TICK_NANOS) {
        update(now, false);
      }
      long bound = idUpperBound;
      if (bound != Long.MAX_VALUE && !Samplers.isUnderBound(traceIdLow, bound)) {
        return false;
      }
      if (sampledInTick.incrementAndGet() > sampledBudgetPerTick
          && elapsed >= MIN_EARLY_TICK_NANOS) {
        update(now, true);
      }
      return true;
    }

    void recordEnd(boolean error) {
      ended.increment();
      if (error) {
        failed.increment();
      }
    }

    private void update(long now, boolean early) {
      if (!updating.compareAndSet(false, true)) {
        return; // another thread is on it; this decision uses the current probability
      }
      try {
        long elapsed = now - tickStart;
        boolean due =
            elapsed >= TICK_NANOS
                || (early
                    && elapsed >= MIN_EARLY_TICK_NANOS
                    && sampledInTick.get() > sampledBudgetPerTick);
        if (!due) {
          return; // someone updated between our check and the flag
        }
        double seconds = elapsed / 1e9;
        double decay = Math.pow(0.5, seconds);
        double instantRate = offered.sumThenReset() / seconds;
        offeredRate =
            !hasRate || instantRate > offeredRate
                ? instantRate
                : decay * offeredRate + (1 - decay) * instantRate;
        hasRate = true;
        endedWeight = decay * endedWeight + ended.sumThenReset();
        failedWeight = decay * failedWeight + failed.sumThenReset();
        double errorRate = endedWeight > 0 ? failedWeight / endedWeight : 0;
        double base = offeredRate <= target ? 1 : target / offeredRate;
        double p = Math.min(1, base * (1 + (MAX_ERROR_BOOST - 1) * errorRate));
        probability = p;
        idUpperBound = p >= 1 ? Long.MAX_VALUE : Samplers.idUpperBound(p);
        sampledInTick.set(0);
        tickStart = now;
      } finally {
        updating.set(false);
      }
    }
  }
}
