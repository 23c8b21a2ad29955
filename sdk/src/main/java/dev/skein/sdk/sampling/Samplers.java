package dev.skein.sdk.sampling;

import dev.skein.sdk.Clock;
import io.opentelemetry.api.trace.SpanContext;
import java.util.Locale;

/**
 * The samplers Skein offers, and {@link #fromConfig} to choose one from the standard {@code
 * OTEL_TRACES_SAMPLER} / {@code OTEL_TRACES_SAMPLER_ARG} settings.
 *
 * <p>Which samplers honour the parent's decision:
 *
 * <ul>
 *   <li>{@link #alwaysOn()}, {@link #alwaysOff()} and {@link #traceIdRatio(double)} ignore the
 *       parent; wrap them in {@link #parentBased(Sampler)} so children follow their root.
 *   <li>{@link #rateLimiting(double)} and {@link #adaptive(double)} limit <em>traces</em>: they
 *       decide only for spans without a valid parent and let every other span follow its parent's
 *       sampled flag, so a sampled trace is never cut into pieces.
 * </ul>
 */
public final class Samplers {

  private Samplers() {}

  /** Samples every span: {@code always_on}. */
  public static Sampler alwaysOn() {
    return ConstantSampler.ALWAYS_ON;
  }

  /** Drops every span: {@code always_off}. */
  public static Sampler alwaysOff() {
    return ConstantSampler.ALWAYS_OFF;
  }

  /**
   * Samples the fraction {@code ratio} of traces, decided from the trace id alone by the same rule
   * as the OpenTelemetry SDK, so every service of a trace (whichever SDK it runs) reaches the same
   * decision. Ignores the parent.
   *
   * @param ratio between 0 and 1 inclusive
   * @throws IllegalArgumentException if {@code ratio} is outside [0, 1] or NaN
   */
  public static Sampler traceIdRatio(double ratio) {
    return new TraceIdRatioSampler(ratio);
  }

  /**
   * Follows the parent's sampled flag when there is a valid parent and asks {@code root} otherwise:
   * {@code parentbased_*} with the defaults of the OpenTelemetry specification.
   */
  public static Sampler parentBased(Sampler root) {
    return parentBasedBuilder(root).build();
  }

  /** A parent-based sampler whose four parent cases can each be given their own sampler. */
  public static ParentBasedSamplerBuilder parentBasedBuilder(Sampler root) {
    return new ParentBasedSamplerBuilder(root);
  }

  /**
   * Samples at most {@code tracesPerSecond} new traces in any one-second sliding window, letting a
   * burst of that many through at once. Spans with a valid parent follow the parent's decision.
   *
   * <p>A fractional rate of at least 1 admits {@code floor(tracesPerSecond)} a second, as more
   * would exceed the rate in some second; a rate below 1 admits one trace every {@code 1 /
   * tracesPerSecond} seconds.
   *
   * @throws IllegalArgumentException if {@code tracesPerSecond} is not positive and finite
   */
  public static Sampler rateLimiting(double tracesPerSecond) {
    return rateLimiting(tracesPerSecond, Clock.system());
  }

  /** {@link #rateLimiting(double)} with the given time source. */
  public static Sampler rateLimiting(double tracesPerSecond, Clock clock) {
    return new RateLimitingSampler(tracesPerSecond, clock);
  }

  /**
   * Aims at {@code targetTracesPerSecondPerSpanName} sampled traces a second for each root span
   * name, whatever that name's traffic, and samples more of a name while its recent error rate
   * rises (up to ten times the base probability when every trace fails). Spans with a valid parent
   * follow the parent's decision. Learns errors from {@link Sampler#onEnd}.
   *
   * @throws IllegalArgumentException if the target is not positive and finite
   */
  public static Sampler adaptive(double targetTracesPerSecondPerSpanName) {
    return adaptive(targetTracesPerSecondPerSpanName, Clock.system());
  }

  /** {@link #adaptive(double)} with the given time source. */
  public static Sampler adaptive(double targetTracesPerSecondPerSpanName, Clock clock) {
    return new AdaptiveSampler(targetTracesPerSecondPerSpanName, clock);
  }

  /**
   * The sampler named by {@code OTEL_TRACES_SAMPLER}, configured by {@code
   * OTEL_TRACES_SAMPLER_ARG}.
   *
   * <table>
   *   <caption>Sampler names</caption>
   *   <tr><th>name</th><th>argument</th><th>default</th></tr>
   *   <tr><td>{@code always_on}, {@code always_off}</td><td>ignored</td><td></td></tr>
   *   <tr><td>{@code traceidratio}</td><td>ratio in [0, 1]</td><td>1.0</td></tr>
   *   <tr><td>{@code parentbased_always_on}, {@code parentbased_always_off}</td><td>ignored</td>
   *       <td></td></tr>
   *   <tr><td>{@code parentbased_traceidratio}</td><td>ratio of root spans</td><td>1.0</td></tr>
   *   <tr><td>{@code skein_ratelimiting}</td><td>traces per second</td><td>100</td></tr>
   *   <tr><td>{@code skein_adaptive}</td><td>target traces per second per span name</td>
   *       <td>1</td></tr>
   * </table>
   *
   * <p>Names are matched ignoring case and surrounding blanks. A null or blank name means the
   * setting is absent and gives the specification's default, {@code parentbased_always_on}; a null
   * or blank argument gives the name's default.
   *
   * @throws IllegalArgumentException for an unknown name or an argument that does not fit the name;
   *     the message names the setting and the offending value
   */
  public static Sampler fromConfig(String name, String arg) {
    String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    return switch (key) {
      case "", "parentbased_always_on" -> parentBased(alwaysOn());
      case "parentbased_always_off" -> parentBased(alwaysOff());
      case "always_on" -> alwaysOn();
      case "always_off" -> alwaysOff();
      case "traceidratio" -> traceIdRatio(ratioArg(key, arg));
      case "parentbased_traceidratio" -> parentBased(traceIdRatio(ratioArg(key, arg)));
      case "skein_ratelimiting" -> rateLimiting(positiveArg(key, arg, 100));
      case "skein_adaptive" -> adaptive(positiveArg(key, arg, 1));
      default ->
          throw new IllegalArgumentException(
              "OTEL_TRACES_SAMPLER="
                  + name
                  + " is not a known sampler; expected one of always_on, always_off, traceidratio,"
                  + " parentbased_always_on, parentbased_always_off, parentbased_traceidratio,"
                  + " skein_ratelimiting, skein_adaptive");
    };
  }

  private static double ratioArg(String sampler, String arg) {
    double ratio = numberArg(sampler, arg, 1.0);
    if (!(ratio >= 0 && ratio <= 1)) {
      throw badArg(sampler, arg, "a ratio between 0 and 1");
    }
    return ratio;
  }

  private static double positiveArg(String sampler, String arg, double defaultValue) {
    double value = numberArg(sampler, arg, defaultValue);
    if (!(value > 0 && value < Double.POSITIVE_INFINITY)) {
      throw badArg(sampler, arg, "a positive number");
    }
    return value;
  }

  private static double numberArg(String sampler, String arg, double defaultValue) {
    if (arg == null || arg.isBlank()) {
      return defaultValue;
    }
    try {
      return Double.parseDouble(arg.trim());
    } catch (NumberFormatException e) {
      throw badArg(sampler, arg, "a number");
    }
  }

  private static IllegalArgumentException badArg(String sampler, String arg, String expected) {
    return new IllegalArgumentException(
        "OTEL_TRACES_SAMPLER_ARG="
            + arg
            + " is not valid for OTEL_TRACES_SAMPLER="
            + sampler
            + ": expected "
            + expected);
  }

  /** Checks that a rate or target is positive and finite, naming it when not. */
  static double requirePositiveFinite(String what, double value) {
    if (!(value > 0 && value < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(what + " must be positive and finite, was " + value);
    }
    return value;
  }

  /**
   * The OpenTelemetry SDK's trace id ratio rule: the bound below which the absolute value of the
   * trace id's low 8 bytes must fall. Shared with the adaptive sampler so that both agree with
   * every other service deciding by ratio.
   */
  static long idUpperBound(double ratio) {
    if (ratio <= 0) {
      return Long.MIN_VALUE;
    }
    if (ratio >= 1) {
      return Long.MAX_VALUE;
    }
    return (long) (ratio * Long.MAX_VALUE);
  }

  /** Whether a trace id's low 8 bytes fall under {@code idUpperBound}. */
  static boolean isUnderBound(long traceIdLow, long idUpperBound) {
    return Math.abs(traceIdLow) < idUpperBound;
  }

  /** The decision of a sampler that lets spans with a valid parent follow it. */
  static SamplingDecision followParent(SpanContext parent) {
    return parent.isSampled() ? SamplingDecision.RECORD_AND_SAMPLE : SamplingDecision.DROP;
  }
}
