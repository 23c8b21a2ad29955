package dev.skein.sdk.sampling;

import java.util.Objects;

/**
 * Builds a parent-based sampler: spans without a valid parent go to the root sampler, the others to
 * the sampler chosen for their parent's case. The defaults are those of the OpenTelemetry
 * specification: sampled parents are followed with {@link Samplers#alwaysOn()} and unsampled ones
 * with {@link Samplers#alwaysOff()}, whether the parent is remote or local.
 *
 * <p>Obtained from {@link Samplers#parentBasedBuilder(Sampler)}.
 */
public final class ParentBasedSamplerBuilder {

  private final Sampler root;
  private Sampler remoteParentSampled = Samplers.alwaysOn();
  private Sampler remoteParentNotSampled = Samplers.alwaysOff();
  private Sampler localParentSampled = Samplers.alwaysOn();
  private Sampler localParentNotSampled = Samplers.alwaysOff();

  ParentBasedSamplerBuilder(Sampler root) {
    this.root = Objects.requireNonNull(root, "root");
  }

  /** For spans whose parent came from another process with the sampled flag set. */
  public ParentBasedSamplerBuilder remoteParentSampled(Sampler sampler) {
    this.remoteParentSampled = Objects.requireNonNull(sampler, "remoteParentSampled");
    return this;
  }

  /** For spans whose parent came from another process without the sampled flag. */
  public ParentBasedSamplerBuilder remoteParentNotSampled(Sampler sampler) {
    this.remoteParentNotSampled = Objects.requireNonNull(sampler, "remoteParentNotSampled");
    return this;
  }

  /** For spans whose parent is a sampled span of this process. */
  public ParentBasedSamplerBuilder localParentSampled(Sampler sampler) {
    this.localParentSampled = Objects.requireNonNull(sampler, "localParentSampled");
    return this;
  }

  /** For spans whose parent is an unsampled span of this process. */
  public ParentBasedSamplerBuilder localParentNotSampled(Sampler sampler) {
    this.localParentNotSampled = Objects.requireNonNull(sampler, "localParentNotSampled");
    return this;
  }

  public Sampler build() {
    return new ParentBasedSampler(
        root,
        remoteParentSampled,
        remoteParentNotSampled,
        localParentSampled,
        localParentNotSampled);
  }
}
