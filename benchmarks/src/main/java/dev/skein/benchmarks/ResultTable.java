package dev.skein.benchmarks;

import dev.skein.benchmarks.BatchDropMeasurement.Outcome;
import dev.skein.benchmarks.BatchDropMeasurement.Round;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/** Turns JMH results and drop rounds into Markdown tables, one row per scenario. */
final class ResultTable {

  /** Scenarios in display order, keyed by the method name after the system prefix. */
  private static final Map<String, String> SCENARIOS = new LinkedHashMap<>();

  static {
    SCENARIOS.put("sampled", "sampled root span, batch processor");
    SCENARIOS.put("sampled_stringKeys", "sampled root span, string attribute keys");
    SCENARIOS.put("sampled_2threads", "sampled root span, 2 threads (ns per thread)");
    SCENARIOS.put("unsampled", "unsampled root span");
    SCENARIOS.put("child", "sampled child of current span");
  }

  private static final String[] SYSTEMS = {"skein", "otel", "brave"};
  private static final String ALLOCATION = "gc.alloc.rate.norm";

  /** One benchmark's figures; {@code bytes} is NaN when the GC profiler did not report. */
  record Cell(double nanos, double error, double bytes) {}

  private final Map<String, Map<String, Cell>> cells = new LinkedHashMap<>();

  ResultTable(Collection<RunResult> results) {
    SCENARIOS.keySet().forEach(s -> cells.put(s, new LinkedHashMap<>()));
    for (RunResult result : results) {
      String method = result.getParams().getBenchmark();
      method = method.substring(method.lastIndexOf('.') + 1);
      int underscore = method.indexOf('_');
      String system = method.substring(0, underscore);
      String scenario = method.substring(underscore + 1);
      Result<?> primary = result.getPrimaryResult();
      cells
          .computeIfAbsent(scenario, s -> new LinkedHashMap<>())
          .put(system, new Cell(primary.getScore(), primary.getScoreError(), bytes(result)));
    }
  }

  private static double bytes(RunResult result) {
    // Older JMH versions prefix the name with "·"; match on the end.
    var secondary = result.getSecondaryResults();
    for (String name : secondary.keySet()) {
      if (name.endsWith(ALLOCATION)) {
        return secondary.get(name).getScore();
      }
    }
    return Double.NaN;
  }

  String spans() {
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          "scenario",
          "Skein ns/op",
          "Skein B/op",
          "OTel ns/op",
          "OTel B/op",
          "Brave ns/op",
          "Brave B/op",
          "Skein/OTel ns",
          "Skein/OTel B"
        });
    for (Map.Entry<String, Map<String, Cell>> e : cells.entrySet()) {
      Map<String, Cell> bySystem = e.getValue();
      if (bySystem.isEmpty()) {
        continue;
      }
      List<String> row = new ArrayList<>();
      row.add(SCENARIOS.getOrDefault(e.getKey(), e.getKey()));
      for (String system : SYSTEMS) {
        Cell c = bySystem.get(system);
        row.add(c == null ? "n/a" : nanos(c));
        row.add(c == null ? "n/a" : number(c.bytes()));
      }
      Cell skein = bySystem.get("skein");
      Cell otel = bySystem.get("otel");
      row.add(skein == null || otel == null ? "n/a" : ratio(skein.nanos(), otel.nanos()));
      row.add(skein == null || otel == null ? "n/a" : ratio(skein.bytes(), otel.bytes()));
      rows.add(row.toArray(String[]::new));
    }
    return markdown(rows);
  }

  static String drops(List<Round> rounds) {
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          "round",
          "Skein dropped",
          "OTel dropped",
          "OTel dropped, queue " + BatchDropMeasurement.SKEIN_DEFAULT_QUEUE,
          "Skein produced",
          "OTel produced",
          "Skein droppedSpans()"
        });
    for (Round r : rounds) {
      rows.add(
          new String[] {
            Integer.toString(r.number()),
            percent(r.skein()),
            percent(r.otel()),
            percent(r.otelSameQueue()),
            produced(r.skein()),
            produced(r.otel()),
            selfReported(r.skein())
          });
    }
    return markdown(rows);
  }

  private static String percent(Outcome o) {
    return String.format(Locale.ROOT, "%.2f %%", o.droppedPercent());
  }

  /** The processor's own count, checked against what the exporter never saw. */
  private static String selfReported(Outcome o) {
    long counted = o.selfReportedDrops();
    return String.format(
        Locale.ROOT, "%,d %s", counted, counted == o.dropped() ? "(agrees)" : "(differs!)");
  }

  private static String produced(Outcome o) {
    return String.format(Locale.ROOT, "%,d in %.1f s", o.produced(), o.nanos() / 1e9);
  }

  private static String nanos(Cell c) {
    String score = number(c.nanos());
    return Double.isNaN(c.error()) ? score : score + " ± " + number(c.error());
  }

  private static String number(double value) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    // Allocation noise shows up as fractions of a byte; nanoseconds below 10 need a decimal.
    return value < 10 && value > 0.05
        ? String.format(Locale.ROOT, "%.1f", value)
        : String.format(Locale.ROOT, "%.0f", value);
  }

  private static String ratio(double skein, double otel) {
    if (Double.isNaN(skein) || Double.isNaN(otel) || otel < 0.5) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "%.2f", skein / otel);
  }

  /** A Markdown table whose columns are padded, so it reads well on a terminal too. */
  private static String markdown(List<String[]> rows) {
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (int r = 0; r < rows.size(); r++) {
      line(out, rows.get(r), widths);
      if (r == 0) {
        String[] rule = new String[widths.length];
        for (int i = 0; i < widths.length; i++) {
          rule[i] = "-".repeat(widths[i]);
        }
        line(out, rule, widths);
      }
    }
    return out.toString();
  }

  private static void line(StringBuilder out, String[] cells, int[] widths) {
    out.append('|');
    for (int i = 0; i < cells.length; i++) {
      out.append(' ').append(cells[i]).append(" ".repeat(widths[i] - cells[i].length()));
      out.append(" |");
    }
    out.append('\n');
  }
}
