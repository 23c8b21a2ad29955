package dev.skein.benchmarks;

import dev.skein.sdk.SkeinSdk;
import dev.skein.sdk.export.BatchSpanProcessor;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How many sampled spans a batch processor with default settings drops when one thread ends spans
 * as fast as it can and the exporter costs nothing. Shutting down flushes the queue, so whatever
 * the exporter never saw was dropped: {@code dropped = produced - exported}.
 *
 * <p>Not a JMH benchmark: the result is a count, not a time. Each system runs in a fresh JVM, as
 * JMH forks would, so neither inherits the other's JIT profile; the order alternates by round.
 *
 * <p>{@code java -cp benchmarks.jar dev.skein.benchmarks.BatchDropMeasurement} runs three rounds
 * and prints them.
 */
final class BatchDropMeasurement {

  static final String SKEIN = "skein";
  static final String OTEL = "otel";

  /** The OpenTelemetry SDK given Skein's default queue size, to separate design from sizing. */
  static final String OTEL_SAME_QUEUE = "otel-same-queue";

  /** What {@link BatchSpanProcessor.Builder} uses when no queue size is given. */
  static final int SKEIN_DEFAULT_QUEUE = BatchSpanProcessor.DEFAULT_MAX_QUEUE_SIZE;

  private static final String RESULT_PREFIX = "RESULT ";
  private static final long SHUTDOWN_TIMEOUT_SECONDS = 60;

  /** What one system did in one run. {@code selfReportedDrops} is -1 when it keeps no count. */
  record Outcome(long produced, long exported, long nanos, long selfReportedDrops) {
    long dropped() {
      return produced - exported;
    }

    double droppedPercent() {
      return produced == 0 ? 0 : 100.0 * dropped() / produced;
    }

    double spansPerSecond() {
      return produced * 1e9 / nanos;
    }
  }

  record Round(int number, Outcome skein, Outcome otel, Outcome otelSameQueue) {}

  private final long spans;
  private final Duration maxDuration;

  BatchDropMeasurement(long spans, Duration maxDuration) {
    this.spans = spans;
    this.maxDuration = maxDuration;
  }

  /** Runs {@code rounds} rounds, each system in its own JVM, alternating which goes first. */
  List<Round> run(int rounds) throws IOException, InterruptedException {
    List<Round> result = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      Outcome skein;
      Outcome otel;
      if (round % 2 == 1) {
        skein = inFreshJvm(SKEIN);
        otel = inFreshJvm(OTEL);
      } else {
        otel = inFreshJvm(OTEL);
        skein = inFreshJvm(SKEIN);
      }
      Round done = new Round(round, skein, otel, inFreshJvm(OTEL_SAME_QUEUE));
      System.out.println(describe(done));
      result.add(done);
    }
    return result;
  }

  static String describe(Round round) {
    return String.format(
        "drop round %d: Skein %s | OpenTelemetry %s | OpenTelemetry, queue %d: %s",
        round.number(),
        describe(round.skein()),
        describe(round.otel()),
        SKEIN_DEFAULT_QUEUE,
        describe(round.otelSameQueue()));
  }

  private static String describe(Outcome o) {
    String self =
        o.selfReportedDrops() < 0
            ? ""
            : String.format(", droppedSpans()=%d", o.selfReportedDrops());
    return String.format(
        "%.2f%% dropped (%d of %d, %.1f M spans/s%s)",
        o.droppedPercent(), o.dropped(), o.produced(), o.spansPerSecond() / 1e6, self);
  }

  private Outcome inFreshJvm(String system) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                BatchDropMeasurement.class.getName(),
                system,
                Long.toString(spans),
                Long.toString(maxDuration.toMillis()))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    Outcome outcome = null;
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        if (line.startsWith(RESULT_PREFIX)) {
          outcome = parse(line.substring(RESULT_PREFIX.length()));
        } else {
          System.out.println(line);
        }
      }
    }
    int exit = process.waitFor();
    if (exit != 0 || outcome == null) {
      throw new IllegalStateException(
          "drop measurement of " + system + " failed with exit code " + exit);
    }
    return outcome;
  }

  private static Outcome parse(String line) {
    String[] f = line.trim().split(" ");
    return new Outcome(
        Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]));
  }

  /** Measures one system in this JVM. */
  Outcome measure(String system) throws Exception {
    switch (system) {
      case SKEIN:
        return measureSkein();
      case OTEL:
        CountingOtelExporter exporter = new CountingOtelExporter();
        return measureOtel(exporter, Tracers.otel(true, exporter));
      case OTEL_SAME_QUEUE:
        CountingOtelExporter sameQueueExporter = new CountingOtelExporter();
        return measureOtel(
            sameQueueExporter,
            Tracers.otel(
                true,
                io.opentelemetry.sdk.trace.export.BatchSpanProcessor.builder(sameQueueExporter)
                    .setMaxQueueSize(SKEIN_DEFAULT_QUEUE)
                    .build()));
      default:
        throw new IllegalArgumentException("unknown system " + system + "; expected skein or otel");
    }
  }

  private Outcome measureSkein() throws Exception {
    CountingSkeinExporter exporter = new CountingSkeinExporter();
    BatchSpanProcessor processor = BatchSpanProcessor.builder(exporter).build();
    SkeinSdk sdk = Tracers.skein(true, processor);
    long start = System.nanoTime();
    long produced = produce(sdk.getTracer(Tracers.SCOPE));
    long nanos = System.nanoTime() - start;
    sdk.shutdown().get(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    return new Outcome(produced, exporter.exported(), nanos, processor.droppedSpans());
  }

  private Outcome measureOtel(CountingOtelExporter exporter, SdkTracerProvider provider) {
    long start = System.nanoTime();
    long produced = produce(provider.get(Tracers.SCOPE));
    long nanos = System.nanoTime() - start;
    CompletableResultCode shutdown =
        provider.shutdown().join(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (!shutdown.isSuccess()) {
      throw new IllegalStateException("OpenTelemetry SDK did not shut down in time");
    }
    // The OpenTelemetry SDK reports drops only through metrics, so it keeps no count here.
    return new Outcome(produced, exporter.exported(), nanos, -1);
  }

  /** The tight loop: ends spans until the target count or the time limit, whichever first. */
  private long produce(Tracer tracer) {
    long deadline = System.nanoTime() + maxDuration.toNanos();
    long produced = 0;
    while (produced < spans) {
      Workload.root(tracer);
      produced++;
      // Reading the clock every span would slow the producer; every 1024 is close enough.
      if ((produced & 1023) == 0 && System.nanoTime() > deadline) {
        break;
      }
    }
    return produced;
  }

  /**
   * With {@code <system> <spans> <maxMillis>}: measures one system here and prints a {@code RESULT}
   * line for the parent JVM. With no arguments: three rounds of 5 million spans or 10 s.
   */
  public static void main(String[] args) throws Exception {
    if (args.length == 3) {
      QuietLogs.apply();
      BatchDropMeasurement measurement =
          new BatchDropMeasurement(
              Long.parseLong(args[1]), Duration.ofMillis(Long.parseLong(args[2])));
      Outcome o = measurement.measure(args[0]);
      System.out.println(
          RESULT_PREFIX
              + o.produced()
              + " "
              + o.exported()
              + " "
              + o.nanos()
              + " "
              + o.selfReportedDrops());
      // The SDKs' worker threads are stopped, but don't wait on anything left behind.
      System.exit(0);
    }
    new BatchDropMeasurement(5_000_000, Duration.ofSeconds(10)).run(3);
  }
}
