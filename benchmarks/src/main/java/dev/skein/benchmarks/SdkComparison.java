package dev.skein.benchmarks;

import dev.skein.benchmarks.BatchDropMeasurement.Round;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;

/**
 * Runs every comparison in one go: the JMH {@link SpanBenchmark} with the GC profiler, then the
 * {@link BatchDropMeasurement}, and prints both as Markdown tables. See the module's README.
 */
public final class SdkComparison {

  private SdkComparison() {}

  public static void main(String[] args) throws Exception {
    Settings settings;
    try {
      settings = Settings.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    if (settings.help) {
      System.out.println(Settings.USAGE);
      return;
    }
    System.out.println(
        "Skein SDK comparison: JMH "
            + settings.jmhSummary()
            + "; drops: "
            + settings.dropSummary());

    Collection<RunResult> results = new Runner(settings.jmhOptions(SpanBenchmark.class)).run();
    List<Round> rounds =
        settings.dropRounds == 0
            ? List.of()
            : new BatchDropMeasurement(settings.dropSpans, Duration.ofSeconds(settings.dropSeconds))
                .run(settings.dropRounds);

    String report = report(settings, new ResultTable(results), rounds);
    System.out.println();
    System.out.println(report);
    if (settings.out != null) {
      Files.writeString(settings.out, report, StandardCharsets.UTF_8);
      System.out.println("written to " + settings.out.toAbsolutePath());
    }
  }

  static String report(Settings settings, ResultTable table, List<Round> rounds) {
    StringBuilder out = new StringBuilder();
    out.append("### Cost per span (JMH average time, ")
        .append(settings.jmhSummary())
        .append(", ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" CPUs)\n\n")
        .append("Root spans with 4 string attributes set after start. ")
        .append("B/op counts every thread, the batch worker included. ")
        .append("Ratios below 1 mean Skein is cheaper.\n\n")
        .append(table.spans());
    if (!rounds.isEmpty()) {
      out.append("\n### Spans dropped by the batch processor, default settings (")
          .append(settings.dropSummary())
          .append(")\n\n")
          .append("One tight-loop producer, a no-op exporter; dropped = produced - exported ")
          .append("after shutdown.\n\n")
          .append(ResultTable.drops(rounds));
    }
    return out.toString();
  }
}
