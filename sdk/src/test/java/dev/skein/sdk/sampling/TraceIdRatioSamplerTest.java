package dev.skein.sdk.sampling;

import static dev.skein.sdk.sampling.SamplerTesting.LOCAL_NOT_SAMPLED;
import static dev.skein.sdk.sampling.SamplerTesting.LOCAL_SAMPLED;
import static dev.skein.sdk.sampling.SamplerTesting.NO_PARENT;
import static dev.skein.sdk.sampling.SamplerTesting.REMOTE_NOT_SAMPLED;
import static dev.skein.sdk.sampling.SamplerTesting.decide;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.opentelemetry.api.trace.SpanKind;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TraceIdRatioSamplerTest {

  @Test
  void ratio_agreesAcrossInstancesForSameTraceId() {
    Sampler here = Samplers.traceIdRatio(0.3);
    Sampler elsewhere = Samplers.traceIdRatio(0.3);
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 10_000; i++) {
      long high = random.nextLong();
      long low = random.nextLong();
      assertThat(elsewhere.shouldSample(NO_PARENT, high, low, "b", SpanKind.CLIENT))
          .isEqualTo(here.shouldSample(NO_PARENT, high, low, "a", SpanKind.SERVER));
    }
  }

  @Test
  void ratio_samplesCloseToTheRatioOverManyRandomIds() {
    for (double ratio : new double[] {0.01, 0.1, 0.5, 0.9}) {
      Sampler sampler = Samplers.traceIdRatio(ratio);
      SplittableRandom random = new SplittableRandom(7);
      int n = 200_000;
      int sampled = 0;
      for (int i = 0; i < n; i++) {
        if (decide(sampler, NO_PARENT, random.nextLong()).isSampled()) {
          sampled++;
        }
      }
      assertThat((double) sampled / n).as("ratio %s", ratio).isCloseTo(ratio, within(0.005));
    }
  }

  @Test
  void ratio_decidesOnTheLowHalfOfTheTraceIdOnly() {
    Sampler sampler = Samplers.traceIdRatio(0.5);
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 1000; i++) {
      long low = random.nextLong();
      SamplingDecision first =
          sampler.shouldSample(NO_PARENT, random.nextLong(), low, "x", SpanKind.INTERNAL);
      SamplingDecision second =
          sampler.shouldSample(NO_PARENT, random.nextLong(), low, "y", SpanKind.INTERNAL);
      assertThat(second).isEqualTo(first);
    }
  }

  @Test
  void ratio_followsTheOpenTelemetryBoundExactly() {
    Sampler sampler = Samplers.traceIdRatio(0.5);
    long bound = (long) (0.5 * Long.MAX_VALUE);

    assertThat(decide(sampler, NO_PARENT, bound - 1).isSampled()).isTrue();
    assertThat(decide(sampler, NO_PARENT, -(bound - 1)).isSampled()).isTrue();
    assertThat(decide(sampler, NO_PARENT, bound).isSampled()).isFalse();
    assertThat(decide(sampler, NO_PARENT, -bound).isSampled()).isFalse();
    // Math.abs(Long.MIN_VALUE) stays negative, so OpenTelemetry samples it at any ratio above 0.
    assertThat(decide(sampler, NO_PARENT, Long.MIN_VALUE).isSampled()).isTrue();
  }

  @Test
  void ratio_zeroSamplesNothingAndOneSamplesAllButTheTopId() {
    Sampler none = Samplers.traceIdRatio(0);
    Sampler all = Samplers.traceIdRatio(1);
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < 10_000; i++) {
      long low = random.nextLong();
      assertThat(decide(none, NO_PARENT, low)).isEqualTo(SamplingDecision.DROP);
      assertThat(decide(all, NO_PARENT, low)).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
    }
    assertThat(decide(none, NO_PARENT, Long.MIN_VALUE)).isEqualTo(SamplingDecision.DROP);
    // The OpenTelemetry rule is "below Long.MAX_VALUE"; agreeing matters more than this one id.
    assertThat(decide(all, NO_PARENT, Long.MAX_VALUE)).isEqualTo(SamplingDecision.DROP);
  }

  @Test
  void ratio_ignoresTheParent() {
    Sampler all = Samplers.traceIdRatio(1);
    Sampler none = Samplers.traceIdRatio(0);

    assertThat(decide(all, REMOTE_NOT_SAMPLED, 12345).isSampled()).isTrue();
    assertThat(decide(all, LOCAL_NOT_SAMPLED, 12345).isSampled()).isTrue();
    assertThat(decide(none, LOCAL_SAMPLED, 12345).isSampled()).isFalse();
  }

  @Test
  void ratio_rejectsValuesOutsideZeroToOne() {
    for (double bad : new double[] {-0.1, 1.01, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> Samplers.traceIdRatio(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(String.valueOf(bad));
    }
  }

  @Test
  void ratio_describesItselfWithSixDecimals() {
    assertThat(Samplers.traceIdRatio(0.1).description()).isEqualTo("TraceIdRatioBased{0.100000}");
    assertThat(Samplers.traceIdRatio(1).description()).isEqualTo("TraceIdRatioBased{1.000000}");
  }
}
