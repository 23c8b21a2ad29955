package dev.skein.benchmarks.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** What {@link ServerLoad} runs, from its command line. */
record Settings(
    Path serverHome,
    Path zipkinJar,
    Path workDir,
    String heap,
    String zipkinHeap,
    String skeinStorage,
    int inFlight,
    Duration warmup,
    Duration measure,
    Set<Protocol> protocols,
    boolean zipkin,
    int zipkinMaxSpans,
    long fillSpans,
    int queries,
    int templates,
    int tracesPerTemplate,
    boolean keepData,
    boolean quick,
    Path out) {

  /** A way of sending spans to skein-server. */
  enum Protocol {
    OTLP_GRPC("otlp-grpc", "OTLP gRPC"),
    OTLP_HTTP("otlp-http", "OTLP HTTP protobuf"),
    ZIPKIN("zipkin", "Zipkin JSON");

    final String flag;
    final String label;

    Protocol(String flag, String label) {
      this.flag = flag;
      this.label = label;
    }

    static Protocol of(String flag) {
      for (Protocol p : values()) {
        if (p.flag.equals(flag)) {
          return p;
        }
      }
      throw new IllegalArgumentException(
          "--protocols: unknown protocol " + flag + " (known: otlp-grpc, otlp-http, zipkin)");
    }
  }

  static final String USAGE =
      """
      usage: ServerLoad [options]

        --server-home DIR      repository root holding server/target (default: .)
        --zipkin-jar FILE      Zipkin server exec jar (default: benchmarks/target/zipkin-server.jar)
        --work-dir DIR         data directories and server logs (default: benchmarks/target/server-load)
        --heap SIZE            -Xmx of skein-server (default: 1g)
        --zipkin-heap SIZE     -Xmx of the Zipkin server, which keeps every span on its heap
                               (default: 6g, enough for a full phase without evicting)
        --storage KIND         skein-server's --storage (default: rocksdb)
        --in-flight N          requests in flight per sender (default: 8)
        --warmup SECONDS       load before measuring, per phase (default: 15)
        --measure SECONDS      measured load, per phase (default: 45)
        --protocols LIST       skein phases, comma-separated: otlp-grpc,otlp-http,zipkin (default: all)
        --no-zipkin            skip the Zipkin server phase
        --zipkin-max-spans N   the Zipkin server's MEM_MAX_SPANS (default: 10000000)
        --fill-spans N         spans stored before the query phase; 0 skips it (default: 10000000)
        --queries N            measured queries of each kind (default: 500)
        --templates N          distinct request bodies (default: 16)
        --traces-per-request N 10-span traces per request (default: 50)
        --keep-data            keep the data directories after the run
        --quick                a smoke run: 5 s warm-up, 10 s measured, 1M spans filled, 200 queries
        --out FILE             also write the tables to FILE (Markdown)
      """;

  static Settings parse(String[] args) {
    boolean quick = List.of(args).contains("--quick");
    Path serverHome = Path.of(".");
    Path zipkinJar = null;
    Path workDir = null;
    String heap = "1g";
    String zipkinHeap = "6g";
    String storage = "rocksdb";
    int inFlight = 8;
    Duration warmup = Duration.ofSeconds(quick ? 5 : 15);
    Duration measure = Duration.ofSeconds(quick ? 10 : 45);
    Set<Protocol> protocols = new LinkedHashSet<>(List.of(Protocol.values()));
    boolean zipkin = true;
    int zipkinMaxSpans = 10_000_000;
    long fillSpans = quick ? 1_000_000 : 10_000_000;
    int queries = quick ? 200 : 500;
    int templates = 16;
    int tracesPerTemplate = 50;
    boolean keepData = false;
    Path out = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--quick" -> {}
        case "--no-zipkin" -> zipkin = false;
        case "--keep-data" -> keepData = true;
        case "--server-home" -> serverHome = Path.of(value(args, ++i, arg));
        case "--zipkin-jar" -> zipkinJar = Path.of(value(args, ++i, arg));
        case "--work-dir" -> workDir = Path.of(value(args, ++i, arg));
        case "--heap" -> heap = heap(value(args, ++i, arg), arg);
        case "--zipkin-heap" -> zipkinHeap = heap(value(args, ++i, arg), arg);
        case "--storage" -> storage = value(args, ++i, arg);
        case "--in-flight" -> inFlight = (int) number(args, ++i, arg, 1, 1024);
        case "--warmup" -> warmup = Duration.ofSeconds(number(args, ++i, arg, 0, 3600));
        case "--measure" -> measure = Duration.ofSeconds(number(args, ++i, arg, 1, 3600));
        case "--protocols" -> {
          protocols = new LinkedHashSet<>();
          for (String p : value(args, ++i, arg).split(",")) {
            if (!p.isBlank()) {
              protocols.add(Protocol.of(p.trim().toLowerCase(Locale.ROOT)));
            }
          }
        }
        case "--zipkin-max-spans" ->
            zipkinMaxSpans = (int) number(args, ++i, arg, 1000, Integer.MAX_VALUE);
        case "--fill-spans" -> fillSpans = number(args, ++i, arg, 0, 1_000_000_000L);
        case "--queries" -> queries = (int) number(args, ++i, arg, 1, 100_000);
        case "--templates" -> templates = (int) number(args, ++i, arg, 1, 1024);
        case "--traces-per-request" -> tracesPerTemplate = (int) number(args, ++i, arg, 1, 10_000);
        case "--out" -> out = Path.of(value(args, ++i, arg));
        default -> throw new IllegalArgumentException("unknown option " + arg);
      }
    }
    return new Settings(
        serverHome,
        zipkinJar != null ? zipkinJar : Path.of("benchmarks", "target", "zipkin-server.jar"),
        workDir != null ? workDir : Path.of("benchmarks", "target", "server-load"),
        heap,
        zipkinHeap,
        storage,
        inFlight,
        warmup,
        measure,
        protocols,
        zipkin,
        zipkinMaxSpans,
        fillSpans,
        queries,
        templates,
        tracesPerTemplate,
        keepData,
        quick,
        out);
  }

  /** The options as given to the run, for the report. */
  List<String> describe() {
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT,
            "servers: skein-server -Xmx%s -XX:+UseParallelGC --storage %s (as ./skein runs it);"
                + " Zipkin server -Xmx%s -XX:+UseG1GC STORAGE_TYPE=mem MEM_MAX_SPANS=%,d",
            heap,
            skeinStorage,
            zipkinHeap,
            zipkinMaxSpans));
    lines.add(
        String.format(
            Locale.ROOT,
            "load: %d requests in flight per sender, %d spans per request, %d s warm-up + %d s"
                + " measured per phase",
            inFlight,
            tracesPerTemplate * TraceGenerator.SPANS_PER_TRACE,
            warmup.toSeconds(),
            measure.toSeconds()));
    return lines;
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args[i];
  }

  private static long number(String[] args, int i, String flag, long min, long max) {
    String text = value(args, i, flag).replace("_", "");
    long multiplier = 1;
    if (text.endsWith("M") || text.endsWith("m")) {
      multiplier = 1_000_000;
      text = text.substring(0, text.length() - 1);
    } else if (text.endsWith("k") || text.endsWith("K")) {
      multiplier = 1_000;
      text = text.substring(0, text.length() - 1);
    }
    long n;
    try {
      n = Math.multiplyExact(Long.parseLong(text), multiplier);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(flag + " " + args[i] + ": expected a whole number");
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(
          flag + " " + args[i] + ": must be between " + min + " and " + max);
    }
    return n;
  }

  private static String heap(String value, String flag) {
    if (!value.matches("[0-9]+[kKmMgG]?")) {
      throw new IllegalArgumentException(
          flag + " " + value + ": expected a size such as 1g or 512m");
    }
    return value;
  }
}
