package dev.skein.sdk.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SamplersTest {

  @Test
  void fromConfig_mapsEveryStandardName() {
    assertThat(describe("always_on", null)).isEqualTo("AlwaysOnSampler");
    assertThat(describe("always_off", null)).isEqualTo("AlwaysOffSampler");
    assertThat(describe("traceidratio", "0.25")).isEqualTo("TraceIdRatioBased{0.250000}");
    assertThat(describe("parentbased_always_on", null)).isEqualTo(parentBased("AlwaysOnSampler"));
    assertThat(describe("parentbased_always_off", null)).isEqualTo(parentBased("AlwaysOffSampler"));
    assertThat(describe("parentbased_traceidratio", "0.5"))
        .isEqualTo(parentBased("TraceIdRatioBased{0.500000}"));
  }

  @Test
  void fromConfig_mapsSkeinsOwnNames() {
    assertThat(describe("skein_ratelimiting", "5")).isEqualTo("RateLimiting{5.0}");
    assertThat(describe("skein_adaptive", "2.5")).isEqualTo("Adaptive{2.5}");
  }

  @Test
  void fromConfig_usesEachNamesDefaultArgumentWhenNoneIsGiven() {
    assertThat(describe("traceidratio", null)).isEqualTo("TraceIdRatioBased{1.000000}");
    assertThat(describe("parentbased_traceidratio", " "))
        .isEqualTo(parentBased("TraceIdRatioBased{1.000000}"));
    assertThat(describe("skein_ratelimiting", null)).isEqualTo("RateLimiting{100.0}");
    assertThat(describe("skein_adaptive", "")).isEqualTo("Adaptive{1.0}");
  }

  @Test
  void fromConfig_ignoresCaseAndBlanksAndDefaultsToParentBasedAlwaysOn() {
    assertThat(describe(" TraceIdRatio ", " 0.1 ")).isEqualTo("TraceIdRatioBased{0.100000}");
    assertThat(describe(null, null)).isEqualTo(parentBased("AlwaysOnSampler"));
    assertThat(describe("  ", null)).isEqualTo(parentBased("AlwaysOnSampler"));
  }

  @Test
  void fromConfig_rejectsAnUnknownNameNamingTheSettingAndTheValue() {
    assertThatThrownBy(() -> Samplers.fromConfig("jaeger_remote", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("OTEL_TRACES_SAMPLER=jaeger_remote")
        .hasMessageContaining("skein_adaptive");
  }

  @Test
  void fromConfig_rejectsABadArgumentNamingTheSettingAndTheValue() {
    assertBadArg("traceidratio", "ten percent");
    assertBadArg("traceidratio", "1.5");
    assertBadArg("parentbased_traceidratio", "-0.1");
    assertBadArg("traceidratio", "NaN");
    assertBadArg("skein_ratelimiting", "0");
    assertBadArg("skein_ratelimiting", "-3");
    assertBadArg("skein_adaptive", "Infinity");
    assertBadArg("skein_adaptive", "lots");
  }

  @Test
  void fromConfig_ignoresTheArgumentOfSamplersThatTakeNone() {
    assertThat(describe("always_on", "whatever")).isEqualTo("AlwaysOnSampler");
  }

  @Test
  void alwaysOnAndAlwaysOff_decideTheSameForEverySpan() {
    for (long id : new long[] {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE}) {
      assertThat(SamplerTesting.decide(Samplers.alwaysOn(), SamplerTesting.NO_PARENT, id))
          .isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
      assertThat(SamplerTesting.decide(Samplers.alwaysOn(), SamplerTesting.LOCAL_NOT_SAMPLED, id))
          .isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
      assertThat(SamplerTesting.decide(Samplers.alwaysOff(), SamplerTesting.NO_PARENT, id))
          .isEqualTo(SamplingDecision.DROP);
      assertThat(SamplerTesting.decide(Samplers.alwaysOff(), SamplerTesting.REMOTE_SAMPLED, id))
          .isEqualTo(SamplingDecision.DROP);
    }
  }

  private static void assertBadArg(String name, String arg) {
    assertThatThrownBy(() -> Samplers.fromConfig(name, arg))
        .as("%s=%s", name, arg)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("OTEL_TRACES_SAMPLER_ARG=" + arg)
        .hasMessageContaining("OTEL_TRACES_SAMPLER=" + name);
  }

  private static String describe(String name, String arg) {
    return Samplers.fromConfig(name, arg).description();
  }

  private static String parentBased(String root) {
    return "ParentBased{root:"
        + root
        + ",remoteParentSampled:AlwaysOnSampler,remoteParentNotSampled:AlwaysOffSampler,"
        + "localParentSampled:AlwaysOnSampler,localParentNotSampled:AlwaysOffSampler}";
  }
}
