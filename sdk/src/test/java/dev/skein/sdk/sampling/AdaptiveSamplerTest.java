package dev.skein.sdk.sampling;

import static dev.skein.sdk.sampling.SamplerTesting.LOCAL_NOT_SAMPLED;
import static dev.skein.sdk.sampling.SamplerTesting.REMOTE_SAMPLED;
import static dev.skein.sdk.sampling.SamplerTesting.decide;
import static dev.skein.sdk.sampling.SamplerTesting.sampleRoot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.skein.sdk.FakeSpan;
import io.opentelemetry.api.trace.StatusCode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AdaptiveSamplerTest {

  private final FakeClock clock = new FakeClock();
  private final SplittableRandom random = new SplittableRandom(11);

  @Test
  void adaptive_samplesTheFirstCallsOfANewNameBeforeItKnowsTheRate() {
    Sampler sampler = Samplers.adaptive(1, clock);

    // Ids that a low probability would drop.
    assertThat(sampleRoot(sampler, "GET /cart", Long.MAX_VALUE - 1)).isTrue();
    assertThat(sampleRoot(sampler, "GET /cart", Long.MAX_VALUE - 2)).isTrue();
    assertThat(sampleRoot(sampler, "GET /cart", Long.MAX_VALUE - 3)).isTrue();
  }

  @Test
  void adaptive_convergesToAboutTheTargetPerNameUnder1000RequestsPerSecond() {
    AdaptiveSampler sampler = (AdaptiveSampler) Samplers.adaptive(10, clock);

    run(sampler, "GET /cart", 10, 0); // settle
    int sampled = run(sampler, "GET /cart", 20, 0);

    assertThat(sampled / 20.0).isCloseTo(10, within(2.0));
    assertThat(sampler.probability("GET /cart")).isCloseTo(0.01, within(0.001));
  }

  @Test
  void adaptive_keepsNamesIndependent() {
    AdaptiveSampler sampler = (AdaptiveSampler) Samplers.adaptive(5, clock);
    int hot = 0;
    int cold = 0;
    int coldCalls = 0;
    for (int ms = 0; ms < 30_000; ms++) {
      boolean counting = ms >= 10_000;
      if (sampleRoot(sampler, "hot", random.nextLong()) && counting) {
        hot++;
      }
      if (ms % 500 == 0) { // 2 a second, under the target: all kept
        if (sampleRoot(sampler, "cold", random.nextLong()) && counting) {
          cold++;
        }
        if (counting) {
          coldCalls++;
        }
      }
      clock.advanceMillis(1);
    }

    assertThat(hot / 20.0).isCloseTo(5, within(1.5));
    assertThat(cold).isEqualTo(coldCalls);
    assertThat(sampler.probability("cold")).isEqualTo(1.0);
    assertThat(sampler.probability("hot")).isCloseTo(0.005, within(0.0005));
  }

  @Test
  void adaptive_raisesTheProbabilityWhileErrorsRiseAndLowersItAfter() {
    AdaptiveSampler sampler = (AdaptiveSampler) Samplers.adaptive(10, clock);

    run(sampler, "POST /pay", 5, 0); // settle
    int calm = run(sampler, "POST /pay", 20, 0);
    double calmProbability = sampler.probability("POST /pay");
    int failingHalf = run(sampler, "POST /pay", 20, 0.5);
    double halfProbability = sampler.probability("POST /pay");
    run(sampler, "POST /pay", 10, 1.0);
    double allProbability = sampler.probability("POST /pay");
    run(sampler, "POST /pay", 20, 0);
    double recoveredProbability = sampler.probability("POST /pay");

    assertThat(calmProbability).isCloseTo(0.01, within(0.001));
    // (1 + 9 * 0.5) times the base, give or take the noise of a few sampled traces.
    assertThat(halfProbability).isBetween(0.035, 0.075);
    assertThat(failingHalf).isGreaterThan(3 * calm);
    assertThat(allProbability).isCloseTo(0.1, within(0.01));
    assertThat(recoveredProbability).isCloseTo(0.01, within(0.002));
  }

  @Test
  void adaptive_learnsOnlyFromLocalRoots() {
    AdaptiveSampler sampler = (AdaptiveSampler) Samplers.adaptive(10, clock);
    run(sampler, "op", 5, 0);

    for (int second = 0; second < 5; second++) {
      for (int ms = 0; ms < 1000; ms++) {
        sampleRoot(sampler, "op", random.nextLong());
        sampler.onEnd(FakeSpan.localChild("op", StatusCode.ERROR));
        clock.advanceMillis(1);
      }
    }
    assertThat(sampler.probability("op")).isCloseTo(0.01, within(0.001));

    for (int ms = 0; ms < 3000; ms++) {
      sampleRoot(sampler, "op", random.nextLong());
      sampler.onEnd(FakeSpan.remoteChild("op", StatusCode.ERROR));
      clock.advanceMillis(1);
    }
    assertThat(sampler.probability("op")).isGreaterThan(0.05);
  }

  @Test
  void adaptive_honoursTheParentsDecision() {
    Sampler sampler = Samplers.adaptive(1, clock);
    run((AdaptiveSampler) sampler, "op", 5, 0);

    for (int i = 0; i < 100; i++) {
      assertThat(decide(sampler, REMOTE_SAMPLED, Long.MAX_VALUE - i))
          .isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
      assertThat(decide(sampler, LOCAL_NOT_SAMPLED, i)).isEqualTo(SamplingDecision.DROP);
    }
  }

  @Test
  void adaptive_reestimatesEarlyWhenABurstFollowsAnIdleSpell() {
    AdaptiveSampler sampler = (AdaptiveSampler) Samplers.adaptive(1, clock);
    run(sampler, "op", 5, 0);
    clock.advanceMillis(60_000);

    // 100 000 a second, suddenly: the full second at the old estimate would keep them all.
    int sampled = 0;
    for (int i = 0; i < 100_000; i++) {
      if (sampleRoot(sampler, "op", random.nextLong())) {
        sampled++;
      }
      clock.advanceNanos(10_000);
    }

    assertThat(sampled).isLessThan(200);
  }

  @Test
  void adaptive_tracksABoundedNumberOfNamesAndSharesOneBucketBeyond() {
    AdaptiveSampler sampler = (AdaptiveSampler) Samplers.adaptive(1, clock);
    for (int i = 0; i < AdaptiveSampler.MAX_NAMES + 500; i++) {
      sampleRoot(sampler, "name-" + i, random.nextLong());
    }

    assertThat(sampler.trackedNameCount()).isEqualTo(AdaptiveSampler.MAX_NAMES);
    assertThat(sampler.probability("name-0")).isEqualTo(1.0);
    assertThat(sampler.probability("name-" + AdaptiveSampler.MAX_NAMES)).isNaN();

    // The overflow names still get decisions, limited together.
    int sampled = 0;
    for (int ms = 0; ms < 10_000; ms++) {
      if (sampleRoot(sampler, "name-" + (AdaptiveSampler.MAX_NAMES + ms % 500), random.nextLong())
          && ms >= 5000) {
        sampled++;
      }
      clock.advanceMillis(1);
    }
    assertThat(sampled / 5.0).isCloseTo(1, within(1.0));
  }

  @Test
  void adaptive_keepsItsEstimateUnderConcurrentDecisions() throws Exception {
    AdaptiveSampler sampler = (AdaptiveSampler) Samplers.adaptive(10, clock);
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long seed = t;
        results.add(
            pool.submit(
                () -> {
                  SplittableRandom local = new SplittableRandom(seed);
                  start.await();
                  for (int i = 0; i < 10_000; i++) {
                    if (sampleRoot(sampler, "op", local.nextLong())) {
                      sampler.onEnd(FakeSpan.root("op", StatusCode.OK));
                    }
                    clock.advanceMillis(1); // 1000 a second, whichever thread calls
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> result : results) {
        result.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(sampler.probability("op")).isCloseTo(0.01, within(0.002));
  }

  @Test
  void adaptive_rejectsTargetsThatAreNotPositiveAndFinite() {
    for (double bad : new double[] {0, -2, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> Samplers.adaptive(bad, clock))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(String.valueOf(bad));
    }
  }

  @Test
  void adaptive_describesItsTargetAndAsksForEndedSpans() {
    Sampler sampler = Samplers.adaptive(1, clock);

    assertThat(sampler.description()).isEqualTo("Adaptive{1.0}");
    assertThat(sampler.isEndRequired()).isTrue();
  }

  /**
   * Offers {@code name} at 1000 root spans a second for {@code seconds}; every sampled one ends at
   * once, failing with probability {@code errorRate}. Returns how many were sampled.
   */
  private int run(AdaptiveSampler sampler, String name, int seconds, double errorRate) {
    int sampled = 0;
    for (int ms = 0; ms < seconds * 1000; ms++) {
      if (sampleRoot(sampler, name, random.nextLong())) {
        sampled++;
        StatusCode status = random.nextDouble() < errorRate ? StatusCode.ERROR : StatusCode.UNSET;
        sampler.onEnd(FakeSpan.root(name, status));
      }
      clock.advanceMillis(1);
    }
    return sampled;
  }
}
