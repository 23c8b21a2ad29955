package dev.skein.sdk.sampling;

import static dev.skein.sdk.sampling.SamplerTesting.LOCAL_NOT_SAMPLED;
import static dev.skein.sdk.sampling.SamplerTesting.LOCAL_SAMPLED;
import static dev.skein.sdk.sampling.SamplerTesting.NO_PARENT;
import static dev.skein.sdk.sampling.SamplerTesting.REMOTE_NOT_SAMPLED;
import static dev.skein.sdk.sampling.SamplerTesting.REMOTE_SAMPLED;
import static dev.skein.sdk.sampling.SamplerTesting.decide;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skein.sdk.FakeSpan;
import dev.skein.sdk.SpanData;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParentBasedSamplerTest {

  @Test
  void parentBased_asksTheRootSamplerWhenThereIsNoParent() {
    assertThat(decide(Samplers.parentBased(Samplers.alwaysOn()), NO_PARENT, 1))
        .isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
    assertThat(decide(Samplers.parentBased(Samplers.alwaysOff()), NO_PARENT, 1))
        .isEqualTo(SamplingDecision.DROP);
  }

  @Test
  void parentBased_followsSampledParentsRemoteOrLocalEvenWhenTheRootSaysNo() {
    Sampler sampler = Samplers.parentBased(Samplers.alwaysOff());

    assertThat(decide(sampler, REMOTE_SAMPLED, 1)).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
    assertThat(decide(sampler, LOCAL_SAMPLED, 1)).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
  }

  @Test
  void parentBased_dropsUnderUnsampledParentsRemoteOrLocalEvenWhenTheRootSaysYes() {
    Sampler sampler = Samplers.parentBased(Samplers.alwaysOn());

    assertThat(decide(sampler, REMOTE_NOT_SAMPLED, 1)).isEqualTo(SamplingDecision.DROP);
    assertThat(decide(sampler, LOCAL_NOT_SAMPLED, 1)).isEqualTo(SamplingDecision.DROP);
  }

  @Test
  void parentBased_treatsAnInvalidParentAsNoParent() {
    Sampler sampler = Samplers.parentBased(Samplers.alwaysOn());

    assertThat(decide(sampler, SpanContext.getInvalid(), 1))
        .isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
  }

  @Test
  void parentBasedBuilder_routesEachParentCaseToItsOwnSampler() {
    RecordingSampler root = new RecordingSampler("root");
    RecordingSampler remoteSampled = new RecordingSampler("remoteSampled");
    RecordingSampler remoteNotSampled = new RecordingSampler("remoteNotSampled");
    RecordingSampler localSampled = new RecordingSampler("localSampled");
    RecordingSampler localNotSampled = new RecordingSampler("localNotSampled");
    Sampler sampler =
        Samplers.parentBasedBuilder(root)
            .remoteParentSampled(remoteSampled)
            .remoteParentNotSampled(remoteNotSampled)
            .localParentSampled(localSampled)
            .localParentNotSampled(localNotSampled)
            .build();

    decide(sampler, NO_PARENT, 1);
    decide(sampler, REMOTE_SAMPLED, 1);
    decide(sampler, REMOTE_NOT_SAMPLED, 1);
    decide(sampler, REMOTE_NOT_SAMPLED, 1);
    decide(sampler, LOCAL_SAMPLED, 1);
    decide(sampler, LOCAL_NOT_SAMPLED, 1);

    assertThat(root.calls).isEqualTo(1);
    assertThat(remoteSampled.calls).isEqualTo(1);
    assertThat(remoteNotSampled.calls).isEqualTo(2);
    assertThat(localSampled.calls).isEqualTo(1);
    assertThat(localNotSampled.calls).isEqualTo(1);
  }

  @Test
  void parentBasedBuilder_canSampleUnderAnUnsampledRemoteParent() {
    Sampler sampler =
        Samplers.parentBasedBuilder(Samplers.alwaysOff())
            .remoteParentNotSampled(Samplers.alwaysOn())
            .build();

    assertThat(decide(sampler, REMOTE_NOT_SAMPLED, 1))
        .isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
    assertThat(decide(sampler, LOCAL_NOT_SAMPLED, 1)).isEqualTo(SamplingDecision.DROP);
  }

  @Test
  void parentBased_describesEveryDelegate() {
    assertThat(Samplers.parentBased(Samplers.traceIdRatio(0.25)).description())
        .isEqualTo(
            "ParentBased{root:TraceIdRatioBased{0.250000},"
                + "remoteParentSampled:AlwaysOnSampler,remoteParentNotSampled:AlwaysOffSampler,"
                + "localParentSampled:AlwaysOnSampler,localParentNotSampled:AlwaysOffSampler}");
  }

  @Test
  void parentBased_passesEndedSpansToDelegatesThatLearnOnce() {
    RecordingSampler learner = new RecordingSampler("learner", true);
    Sampler sampler = Samplers.parentBasedBuilder(learner).localParentNotSampled(learner).build();
    SpanData span = FakeSpan.root("op", StatusCode.ERROR);

    sampler.onEnd(span);

    assertThat(sampler.isEndRequired()).isTrue();
    assertThat(learner.ended).containsExactly(span);
  }

  @Test
  void parentBased_needsNoEndCallsWhenNoDelegateLearns() {
    assertThat(Samplers.parentBased(Samplers.traceIdRatio(0.5)).isEndRequired()).isFalse();
    assertThat(Samplers.parentBased(Samplers.adaptive(1, new FakeClock())).isEndRequired())
        .isTrue();
  }

  /** Counts its calls and the ended spans it is shown. */
  static final class RecordingSampler implements Sampler {
    final String name;
    final boolean learns;
    int calls;
    final List<SpanData> ended = new ArrayList<>();

    RecordingSampler(String name) {
      this(name, false);
    }

    RecordingSampler(String name, boolean learns) {
      this.name = name;
      this.learns = learns;
    }

    @Override
    public SamplingDecision shouldSample(
        SpanContext parent, long traceIdHigh, long traceIdLow, String name, SpanKind kind) {
      calls++;
      return SamplingDecision.RECORD_ONLY;
    }

    @Override
    public void onEnd(SpanData span) {
      ended.add(span);
    }

    @Override
    public boolean isEndRequired() {
      return learns;
    }

    @Override
    public String description() {
      return name;
    }
  }
}
