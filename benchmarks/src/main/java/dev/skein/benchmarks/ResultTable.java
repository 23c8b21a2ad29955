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

  /** Span scenarios in display order, keyed by the method name after the system prefix. */
  static final Map<String, String> SPAN_SCENARIOS = new LinkedHashMap<>();

  /** Propagation scenarios, each compared with the one peer that speaks the format. */
  static final Map<String, String> PROPAGATION_SCENARIOS = new LinkedHashMap<>();

  static {
    SPAN_SCENARIOS.put("sampled", "sampled root span, batch processor");
    SPAN_SCENARIOS.put("sampled_stringKeys", "sampled root span, string attribute keys");
    SPAN_SCENARIOS.put("sampled_2threads", "sampled root span, 2 threads (ns per thread)");
    SPAN_SCENARIOS.put("unsampled", "unsampled root span");
    SPAN_SCENARIOS.put("child", "sampled child of current span");

    PROPAGATION_SCENARIOS.put("traceparent", "W3C traceparent");
    PROPAGATION_SCENARIOS.put("tracestate", "W3C traceparent + 2-member tracestate");
    PROPAGATION_SCENARIOS.put("b3single", "B3 single header");
    PROPAGATION_SCENARIOS.put("b3multi", "B3 multiple headers");
  }

  private static final String[] SYSTEMS = {"skein", "otel", "brave"};
  private static final Map<String, String> SYSTEM_NAMES =
      Map.of("skein", "Skein", "otel", "OTel", "brave", "Brave");
  private static final String ALLOCATION = "gc.alloc.rate.norm";

  /** One benchmark's figures; {@code bytes} is NaN when the GC profiler did not report. */
  record Cell(double nanos, double error, double bytes) {}

  private final Map<String, String> scenarios;
  private final Map<String, Map<String, Cell>> cells = new LinkedHashMap<>();

  ResultTable(Collection<RunResult> results) {
    this(results, SPAN_SCENARIOS);
  }

  /** Rows follow {@code scenarios}: method name after the system prefix to its label. */
  ResultTable(Collection<RunResult> results, Map<String, String> scenarios) {
    this.scenarios = scenarios;
    scenarios.keySet().forEach(s -> cells.put(s, new LinkedHashMap<>()));
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
      row.add(scenarios.getOrDefault(e.getKey(), e.getKey()));
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

  /**
   * One row per scenario: Skein beside the peer that ran it (the first of OpenTelemetry and Brave
   * with a result), and Skein's cost as a fraction of the peer's.
   */
  String versusPeer() {
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          "scenario",
          "Skein ns/op",
          "Skein B/op",
          "peer",
          "peer ns/op",
          "peer B/op",
          "Skein/peer ns",
          "Skein/peer B"
        });
    for (Map.Entry<String, Map<String, Cell>> e : cells.entrySet()) {
      Map<String, Cell> bySystem = e.getValue();
      Cell skein = bySystem.get("skein");
      String peer = null;
      for (String system : SYSTEMS) {
        if (!system.equals("skein") && bySystem.containsKey(system)) {
          peer = system;
          break;
        }
      }
      if (skein == null && peer == null) {
        continue;
      }
      Cell other = peer == null ? null : bySystem.get(peer);
      rows.add(
          new String[] {
            scenarios.getOrDefault(e.getKey(), e.getKey()),
            skein == null ? "n/a" : nanos(skein),
            skein == null ? "n/a" : number(skein.bytes()),
            peer == null ? "n/a" : SYSTEM_NAMES.get(peer),
            other == null ? "n/a" : nanos(other),
            other == null ? "n/a" : number(other.bytes()),
            skein == null || other == null ? "n/a" : ratio(skein.nanos(), other.nanos()),
            skein == null || other == null ? "n/a" : ratio(skein.bytes(), other.bytes())
          });
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

  private static String ratio(double skein, double peer) {
    if (Double.isNaN(skein) || Double.isNaN(peer) || peer < 0.5) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "%.2f", skein / peer);
  }

  /** The first row is the header. */
  private static String markdown(List<String[]> rows) {
    MarkdownTable table = new MarkdownTable(rows.get(0));
    for (String[] row : rows.subList(1, rows.size())) {
      table.row(row);
    }
    return table.toString();
  }
}
