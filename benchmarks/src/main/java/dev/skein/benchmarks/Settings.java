package dev.skein.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * What {@link SdkComparison} runs. Defaults, then {@code -Dskein.bench.*} system properties, then
 * arguments in order, so {@code --quick -f 2} means quick but with two forks.
 */
final class Settings {

  /** The options every comparison takes. */
  static final String JMH_OPTIONS =
      String.join(
          "\n",
          "  --quick            -f 1 -wi 2 -i 3: indicative figures in a few minutes",
          "  -f N               JMH forks per benchmark (default 2; -Dskein.bench.forks)",
          "  -wi N              warmup iterations (default 5; -Dskein.bench.warmupIterations)",
          "  -i N               measurement iterations (default 5; -Dskein.bench.iterations)",
          "  -r SECONDS         length of every iteration (default 1; -Dskein.bench.iterationSeconds)",
          "  --out FILE         also write the tables as Markdown to FILE",
          "  --help             this text");

  static final String USAGE =
      String.join(
          "\n",
          "usage: java -jar benchmarks.jar [options]",
          JMH_OPTIONS,
          "  --drop-spans N     spans per drop measurement (default 5000000; -Dskein.bench.dropSpans)",
          "  --drop-seconds N   time limit per drop measurement (default 10)",
          "  --drop-rounds N    drop measurement rounds, 0 to skip (default 3)");

  int forks = Integer.getInteger("skein.bench.forks", 2);
  int warmupIterations = Integer.getInteger("skein.bench.warmupIterations", 5);
  int iterations = Integer.getInteger("skein.bench.iterations", 5);
  int iterationSeconds = Integer.getInteger("skein.bench.iterationSeconds", 1);
  long dropSpans = Long.getLong("skein.bench.dropSpans", 5_000_000);
  int dropSeconds = Integer.getInteger("skein.bench.dropSeconds", 10);
  int dropRounds = Integer.getInteger("skein.bench.dropRounds", 3);
  Path out;
  boolean help;

  static Settings parse(String... args) {
    Settings s = new Settings();
    for (Iterator<String> it = List.of(args).iterator(); it.hasNext(); ) {
      String arg = it.next();
      switch (arg) {
        case "--quick":
          s.forks = 1;
          s.warmupIterations = 2;
          s.iterations = 3;
          break;
        case "-f":
          s.forks = positive(arg, it);
          break;
        case "-wi":
          s.warmupIterations = nonNegative(arg, it);
          break;
        case "-i":
          s.iterations = positive(arg, it);
          break;
        case "-r":
          s.iterationSeconds = positive(arg, it);
          break;
        case "--drop-spans":
          s.dropSpans = positive(arg, it);
          break;
        case "--drop-seconds":
          s.dropSeconds = positive(arg, it);
          break;
        case "--drop-rounds":
          s.dropRounds = nonNegative(arg, it);
          break;
        case "--out":
          s.out = Path.of(value(arg, it));
          break;
        case "-h":
        case "--help":
          s.help = true;
          break;
        default:
          throw new IllegalArgumentException("unknown option " + arg + " (--help lists them)");
      }
    }
    return s;
  }

  /** JMH options for every benchmark in {@code benchmark}, average time, with the GC profiler. */
  Options jmhOptions(Class<?> benchmark) {
    TimeValue iteration = TimeValue.milliseconds(iterationTime().toMillis());
    return new OptionsBuilder()
        .include("^" + Pattern.quote(benchmark.getName()) + "\\.")
        .addProfiler(GCProfiler.class)
        .mode(Mode.AverageTime)
        .timeUnit(TimeUnit.NANOSECONDS)
        .forks(forks)
        .warmupIterations(warmupIterations)
        .warmupTime(iteration)
        .measurementIterations(iterations)
        .measurementTime(iteration)
        .build();
  }

  Duration iterationTime() {
    return Duration.ofSeconds(iterationSeconds);
  }

  String jmhSummary() {
    return String.format(
        "-f %d -wi %d -i %d, %d s iterations",
        forks, warmupIterations, iterations, iterationSeconds);
  }

  String dropSummary() {
    return String.format("%,d spans or %d s, %d rounds", dropSpans, dropSeconds, dropRounds);
  }

  private static String value(String option, Iterator<String> it) {
    if (!it.hasNext()) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return it.next();
  }

  private static int positive(String option, Iterator<String> it) {
    int n = nonNegative(option, it);
    if (n == 0) {
      throw new IllegalArgumentException(option + " must be at least 1");
    }
    return n;
  }

  private static int nonNegative(String option, Iterator<String> it) {
    String v = value(option, it);
    try {
      int n = Integer.parseInt(v);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(option + " expects a whole number, got " + v);
  }
}
