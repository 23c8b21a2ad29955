package dev.skein.benchmarks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;

/**
 * Runs {@link PropagationBenchmark} with the GC profiler and prints one Markdown row per scenario:
 * Skein beside OpenTelemetry (W3C) or Brave (B3). See the module's README.
 */
public final class PropagationComparison {

  static final String USAGE =
      String.join(
          "\n",
          "usage: java -cp benchmarks.jar dev.skein.benchmarks.PropagationComparison [options]",
          Settings.JMH_OPTIONS);

  private PropagationComparison() {}

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
      System.out.println(USAGE);
      return;
    }
    System.out.println("Skein propagation comparison: JMH " + settings.jmhSummary());

    Collection<RunResult> results =
        new Runner(settings.jmhOptions(PropagationBenchmark.class)).run();
    ResultTable table = new ResultTable(results, ResultTable.PROPAGATION_SCENARIOS);

    String report =
        "### Extract + inject, one hop (JMH average time, "
            + settings.jmhSummary()
            + ", "
            + Runtime.getRuntime().availableProcessors()
            + " CPUs)\n\n"
            + "Headers read from a prepared HashMap and written into a cleared, reused one. "
            + "Peers: the OpenTelemetry API's W3C propagator, Brave's B3. "
            + "Ratios below 1 mean Skein is cheaper.\n\n"
            + table.versusPeer();
    System.out.println();
    System.out.println(report);
    if (settings.out != null) {
      Files.writeString(settings.out, report, StandardCharsets.UTF_8);
      System.out.println("written to " + settings.out.toAbsolutePath());
    }
  }
}
