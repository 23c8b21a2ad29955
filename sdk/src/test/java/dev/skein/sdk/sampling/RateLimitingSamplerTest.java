package dev.skein.sdk.sampling;

import static dev.skein.sdk.sampling.SamplerTesting.LOCAL_NOT_SAMPLED;
import static dev.skein.sdk.sampling.SamplerTesting.LOCAL_SAMPLED;
import static dev.skein.sdk.sampling.SamplerTesting.REMOTE_NOT_SAMPLED;
import static dev.skein.sdk.sampling.SamplerTesting.REMOTE_SAMPLED;
import static dev.skein.sdk.sampling.SamplerTesting.decide;
import static dev.skein.sdk.sampling.SamplerTesting.sampleRoot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RateLimitingSamplerTest {

  private static final long SECOND = 1_000_000_000L;

  private final FakeClock clock = new FakeClock();

  @Test
  void rateLimiting_admitsABurstUpToTheRateAtOnce() {
    Sampler sampler = Samplers.rateLimiting(100, clock);

    assertThat(admitted(sampler, 250)).isEqualTo(100);
  }

  @Test
  void rateLimiting_recoversOnceTheWindowHasPassed() {
    Sampler sampler = Samplers.rateLimiting(100, clock);
    admitted(sampler, 100);

    clock.advanceMillis(999);
    assertThat(admitted(sampler, 50)).isZero();

    clock.advanceMillis(1);
    assertThat(admitted(sampler, 250)).isEqualTo(100);
  }

  @Test
  void rateLimiting_admitsExactlyTheRateUnderSteadyOverload() {
    Sampler sampler = Samplers.rateLimiting(100, clock);
    int admitted = 0;
    for (int i = 0; i < 10_000; i++) { // 1000 a second for 10 seconds
      if (sampleRoot(sampler, "op", i)) {
        admitted++;
      }
      clock.advanceMillis(1);
    }

    assertThat(admitted).isEqualTo(1000);
  }

  @Test
  void rateLimiting_neverExceedsTheRateInAnyOneSecondWindowAcrossRandomArrivals() {
    SplittableRandom random = new SplittableRandom(42);
    for (int pattern = 0; pattern < 60; pattern++) {
      int rate = new int[] {1, 2, 7, 50, 100}[pattern % 5];
      FakeClock patternClock = new FakeClock();
      Sampler sampler = Samplers.rateLimiting(rate, patternClock);
      List<Long> admissions = new ArrayList<>();
      for (int call = 0; call < 5_000; call++) {
        // A mix of bursts (no gap), tight gaps and lulls up to two seconds.
        int shape = random.nextInt(10);
        long gap =
            shape < 3 ? 0 : shape < 8 ? random.nextLong(20_000_000L) : random.nextLong(2 * SECOND);
        patternClock.advanceNanos(gap);
        if (sampleRoot(sampler, "op", random.nextLong())) {
          admissions.add(patternClock.lastReadOnThisThread());
        }
      }
      assertThat(maxInAnyWindow(admissions, SECOND))
          .as("pattern %s at %s/s", pattern, rate)
          .isLessThanOrEqualTo(rate);
      assertThat(admissions).as("pattern %s admits something", pattern).isNotEmpty();
    }
  }

  @Test
  void rateLimiting_keepsTheLimitUnderContention() throws Exception {
    int rate = 50;
    Sampler sampler = Samplers.rateLimiting(rate, clock);
    int threads = 8;
    int callsPerThread = 100_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<List<Long>>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long seed = t;
        results.add(
            pool.submit(
                () -> {
                  SplittableRandom random = new SplittableRandom(seed);
                  List<Long> admissions = new ArrayList<>();
                  start.await();
                  for (int i = 0; i < callsPerThread; i++) {
                    clock.advanceNanos(random.nextLong(20_000)); // ~100k calls/s of fake time
                    if (sampleRoot(sampler, "op", random.nextLong())) {
                      admissions.add(clock.lastReadOnThisThread());
                    }
                  }
                  return admissions;
                }));
      }
      start.countDown();
      List<Long> all = new ArrayList<>();
      for (Future<List<Long>> result : results) {
        all.addAll(result.get(60, TimeUnit.SECONDS));
      }

      long seconds = clock.elapsedNanos() / SECOND;
      assertThat(maxInAnyWindow(all, SECOND)).isLessThanOrEqualTo(rate);
      // Losing races may cost a little; most of the allowance still goes through.
      assertThat(all.size()).isGreaterThan((int) (seconds * rate / 2));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void rateLimiting_honoursTheParentsDecisionWithoutSpendingTheBudget() {
    Sampler sampler = Samplers.rateLimiting(2, clock);

    for (int i = 0; i < 100; i++) {
      assertThat(decide(sampler, REMOTE_SAMPLED, i)).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
      assertThat(decide(sampler, LOCAL_SAMPLED, i)).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
      assertThat(decide(sampler, REMOTE_NOT_SAMPLED, i)).isEqualTo(SamplingDecision.DROP);
      assertThat(decide(sampler, LOCAL_NOT_SAMPLED, i)).isEqualTo(SamplingDecision.DROP);
    }
    assertThat(admitted(sampler, 10)).isEqualTo(2);
  }

  @Test
  void rateLimiting_belowOneAdmitsOneTracePerInterval() {
    Sampler sampler = Samplers.rateLimiting(0.5, clock);

    assertThat(admitted(sampler, 10)).isEqualTo(1);
    clock.advanceMillis(1999);
    assertThat(admitted(sampler, 10)).isZero();
    clock.advanceMillis(1);
    assertThat(admitted(sampler, 10)).isEqualTo(1);
  }

  @Test
  void rateLimiting_withAFractionalRateNeverExceedsItInAnySecond() {
    Sampler sampler = Samplers.rateLimiting(2.5, clock);
    List<Long> admissions = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      clock.advanceMillis(1);
      if (sampleRoot(sampler, "op", i)) {
        admissions.add(clock.lastReadOnThisThread());
      }
    }

    assertThat(maxInAnyWindow(admissions, SECOND)).isEqualTo(2);
  }

  @Test
  void rateLimiting_withAHugeRateBoundsItsMemoryAndStillHoldsTheRate() {
    int rate = 100_000;
    Sampler sampler = Samplers.rateLimiting(rate, clock);
    assertThat(((RateLimitingSampler) sampler).slotCount())
        .isLessThanOrEqualTo(RateLimitingSampler.MAX_SLOTS);

    List<Long> admissions = new ArrayList<>();
    for (int i = 0; i < 1_500_000; i++) { // 500k a second for 3 seconds
      clock.advanceNanos(2_000);
      if (sampleRoot(sampler, "op", i)) {
        admissions.add(clock.lastReadOnThisThread());
      }
    }

    assertThat(maxInAnyWindow(admissions, SECOND)).isLessThanOrEqualTo(rate);
    assertThat(admissions.size()).isGreaterThan(3 * rate * 95 / 100);
  }

  @Test
  void rateLimiting_rejectsRatesThatAreNotPositiveAndFinite() {
    for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> Samplers.rateLimiting(bad, clock))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(String.valueOf(bad));
    }
  }

  @Test
  void rateLimiting_describesItsRate() {
    assertThat(Samplers.rateLimiting(100, clock).description()).isEqualTo("RateLimiting{100.0}");
  }

  private int admitted(Sampler sampler, int calls) {
    int admitted = 0;
    for (int i = 0; i < calls; i++) {
      if (sampleRoot(sampler, "op", i)) {
        admitted++;
      }
    }
    return admitted;
  }

  /** The most admissions in any window (t - window, t] ending at an admission. */
  static int maxInAnyWindow(List<Long> admissions, long window) {
    long[] times = admissions.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(times);
    int max = 0;
    int from = 0;
    for (int to = 0; to < times.length; to++) {
      while (times[to] - times[from] >= window) {
        from++;
      }
      max = Math.max(max, to - from + 1);
    }
    return max;
  }
}
