package dev.skein.benchmarks;

import brave.Tracing;
import dev.skein.sdk.SkeinSdk;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one root span with four attributes, in Skein, the OpenTelemetry SDK and Brave. Method
 * names are {@code <system>_<scenario>}; {@link SdkComparison} groups them into a table. Each
 * method returns its span so the JIT cannot discard the work.
 *
 * <p>The annotations match what {@link SdkComparison} passes, so {@code java -cp benchmarks.jar
 * org.openjdk.jmh.Main SpanBenchmark -prof gc} measures the same thing.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class SpanBenchmark {

  // Sampled, exported through the batch processor with default settings.

  @Benchmark
  public Span skein_sampled(SkeinState state) {
    return Workload.root(state.sampled);
  }

  @Benchmark
  public Span otel_sampled(OtelState state) {
    return Workload.root(state.sampled);
  }

  @Benchmark
  public brave.Span brave_sampled(BraveState state) {
    return Workload.root(state.sampled);
  }

  // Sampled, attributes set with string keys instead of AttributeKey constants.

  @Benchmark
  public Span skein_sampled_stringKeys(SkeinState state) {
    return Workload.rootWithStringKeys(state.sampled);
  }

  @Benchmark
  public Span otel_sampled_stringKeys(OtelState state) {
    return Workload.rootWithStringKeys(state.sampled);
  }

  // Sampled, two threads feeding the same processor.

  @Benchmark
  @Threads(2)
  public Span skein_sampled_2threads(SkeinState state) {
    return Workload.root(state.sampled);
  }

  @Benchmark
  @Threads(2)
  public Span otel_sampled_2threads(OtelState state) {
    return Workload.root(state.sampled);
  }

  @Benchmark
  @Threads(2)
  public brave.Span brave_sampled_2threads(BraveState state) {
    return Workload.root(state.sampled);
  }

  // Unsampled: the sampler says no; attributes are still set, as instrumentation does.

  @Benchmark
  public Span skein_unsampled(SkeinState state) {
    return Workload.root(state.unsampled);
  }

  @Benchmark
  public Span otel_unsampled(OtelState state) {
    return Workload.root(state.unsampled);
  }

  @Benchmark
  public brave.Span brave_unsampled(BraveState state) {
    return Workload.root(state.unsampled);
  }

  // A sampled child of the current span: make the parent current, start, tag, end, close scope.

  @Benchmark
  public Span skein_child(SkeinState state) {
    return Workload.child(state.sampled, state.parent);
  }

  @Benchmark
  public Span otel_child(OtelState state) {
    return Workload.child(state.sampled, state.parent);
  }

  @Benchmark
  public brave.Span brave_child(BraveState state) {
    return Workload.child(state.sampled, state.parent);
  }

  @State(Scope.Benchmark)
  public static class SkeinState {
    SkeinSdk sampledSdk;
    SkeinSdk unsampledSdk;
    Tracer sampled;
    Tracer unsampled;
    Span parent;

    @Setup
    public void setUp() {
      QuietLogs.apply();
      sampledSdk = Tracers.skein(true, new CountingSkeinExporter());
      unsampledSdk = Tracers.skein(false, new CountingSkeinExporter());
      sampled = sampledSdk.getTracer(Tracers.SCOPE);
      unsampled = unsampledSdk.getTracer(Tracers.SCOPE);
      parent = sampled.spanBuilder(Workload.ROOT_NAME).setNoParent().startSpan();
    }

    @TearDown
    public void tearDown() {
      parent.end();
      sampledSdk.close();
      unsampledSdk.close();
    }
  }

  @State(Scope.Benchmark)
  public static class OtelState {
    SdkTracerProvider sampledProvider;
    SdkTracerProvider unsampledProvider;
    Tracer sampled;
    Tracer unsampled;
    Span parent;

    @Setup
    public void setUp() {
      QuietLogs.apply();
      sampledProvider = Tracers.otel(true, new CountingOtelExporter());
      unsampledProvider = Tracers.otel(false, new CountingOtelExporter());
      sampled = sampledProvider.get(Tracers.SCOPE);
      unsampled = unsampledProvider.get(Tracers.SCOPE);
      parent = sampled.spanBuilder(Workload.ROOT_NAME).setNoParent().startSpan();
    }

    @TearDown
    public void tearDown() {
      parent.end();
      sampledProvider.close();
      unsampledProvider.close();
    }
  }

  @State(Scope.Benchmark)
  public static class BraveState {
    Tracing sampledTracing;
    Tracing unsampledTracing;
    brave.Tracer sampled;
    brave.Tracer unsampled;
    brave.Span parent;

    @Setup
    public void setUp() {
      QuietLogs.apply();
      sampledTracing = Tracers.brave(true);
      unsampledTracing = Tracers.brave(false);
      sampled = sampledTracing.tracer();
      unsampled = unsampledTracing.tracer();
      parent = sampled.newTrace().name(Workload.ROOT_NAME).start();
    }

    @TearDown
    public void tearDown() {
      parent.finish();
      sampledTracing.close();
      unsampledTracing.close();
    }
  }
}
