package dev.skein.benchmarks.load;

import dev.skein.benchmarks.MarkdownTable;
import dev.skein.benchmarks.load.Settings.Protocol;
import dev.skein.benchmarks.load.TemplatePool.Encoding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * skein-server under load beside the Zipkin server, in one run: ingest rate and acknowledgement
 * latency per protocol, peak memory, bytes per span on disk, and query latency once the store holds
 * millions of spans.
 *
 * <p>Both servers run as child JVMs with the same heap limit on 127.0.0.1. Each ingest phase starts
 * a fresh server, sends for a warm-up and a measured window with a fixed number of requests in
 * flight, then stops the server with SIGTERM. The request bodies are made once, before any phase:
 * copies of them with fresh trace ids are what is sent, so the generator costs little CPU and every
 * span is new to the server.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.skein.benchmarks.load.ServerLoad [--quick] [options]
 * </pre>
 *
 * Run it from the repository root after building the server ({@code server/target}) and this
 * module; {@code --help} lists the options.
 */
public final class ServerLoad {

  private static final String SKEIN_MAIN = "dev.skein.server.SkeinServer";
  private static final String STORED = "skein_pipeline_spans_stored_total";
  private static final Duration STARTUP = Duration.ofSeconds(120);
  private static final Duration GRACEFUL_STOP = Duration.ofSeconds(180);

  /** One ingest phase's figures; disk sizes are -1 where they do not apply. */
  record IngestRow(
      String target,
      Protocol protocol,
      LoadDriver.Result load,
      double serverCpuNanosPerSpan,
      double generatorCpuShare,
      double storedPerSecond,
      long peakRssBytes,
      long dataDirBytes,
      long storeBytes,
      double stopSeconds) {}

  private final Settings settings;
  private final TemplatePool pool;
  private final List<String> notes = new ArrayList<>();

  private ServerLoad(Settings settings, TemplatePool pool) {
    this.settings = settings;
    this.pool = pool;
  }

  public static void main(String[] args) throws Exception {
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.print(Settings.USAGE);
      return;
    }
    Settings settings;
    try {
      settings = Settings.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("ServerLoad: " + e.getMessage());
      System.err.print(Settings.USAGE);
      System.exit(2);
      return;
    }
    String report;
    try {
      report = run(settings, String.join(" ", args));
    } catch (IllegalStateException e) {
      // A server that did not start or took nothing: its own words say why, no stack needed.
      System.err.println("ServerLoad: " + e.getMessage());
      System.exit(1);
      return;
    }
    System.out.println();
    System.out.print(report);
    if (settings.out() != null) {
      Files.writeString(settings.out(), report);
      System.out.println("written to " + settings.out());
    }
  }

  private static String run(Settings settings, String arguments) throws Exception {
    checkInstallation(settings);
    Files.createDirectories(settings.workDir());
    long made = System.nanoTime();
    TemplatePool pool =
        new TemplatePool(
            42,
            settings.templates(),
            settings.tracesPerTemplate(),
            TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis()));
    progress(
        String.format(
            Locale.ROOT,
            "%d request bodies made in %.1f s: %.0f B/span as OTLP protobuf, %.0f B/span as Zipkin"
                + " JSON",
            settings.templates() * 2,
            (System.nanoTime() - made) / 1e9,
            pool.bytesPerSpan(Encoding.OTLP_PROTO),
            pool.bytesPerSpan(Encoding.ZIPKIN_JSON)));
    ServerLoad load = new ServerLoad(settings, pool);

    List<IngestRow> rows = new ArrayList<>();
    for (Protocol protocol : settings.protocols()) {
      rows.add(load.skeinIngest(protocol));
    }
    if (settings.zipkin()) {
      rows.add(load.zipkinIngest());
    }
    FillResult fill = settings.fillSpans() > 0 ? load.fillAndQuery() : null;

    StringBuilder report = new StringBuilder();
    report
        .append("Command: `java -cp benchmarks/target/benchmarks.jar ")
        .append(ServerLoad.class.getName())
        .append(arguments.isEmpty() ? "" : " " + arguments)
        .append("`\n");
    report
        .append(
            String.format(
                Locale.ROOT,
                "Machine: %d CPUs, Java %s, %s",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                LocalDate.now()))
        .append('\n');
    for (String line : settings.describe()) {
      report.append(line).append('\n');
    }
    report.append('\n').append(ingestTable(rows));
    String ratios = ratioTable(rows);
    if (!ratios.isEmpty()) {
      report.append('\n').append(ratios);
    }
    if (fill != null) {
      report.append('\n').append(fill.table());
    }
    for (String note : load.notes) {
      report.append("\n- ").append(note);
    }
    report.append('\n');
    return report.toString();
  }

  private static void checkInstallation(Settings settings) {
    Path target = settings.serverHome().resolve("server").resolve("target");
    boolean needsSkein = !settings.protocols().isEmpty() || settings.fillSpans() > 0;
    if (needsSkein && (serverJar(settings) == null || !Files.isDirectory(target.resolve("lib")))) {
      throw new IllegalStateException(
          "no built skein-server under "
              + target.toAbsolutePath()
              + ": build it (mvn -DskipTests package -pl server -am) or point --server-home at"
              + " the repository that has it");
    }
    if (settings.zipkin() && !Files.isRegularFile(settings.zipkinJar())) {
      throw new IllegalStateException(
          "no Zipkin server jar at "
              + settings.zipkinJar().toAbsolutePath()
              + ": `mvn package -pl benchmarks` copies it there, or pass --zipkin-jar or"
              + " --no-zipkin");
    }
  }

  private static Path serverJar(Settings settings) {
    Path target = settings.serverHome().resolve("server").resolve("target");
    try (Stream<Path> files = Files.list(target)) {
      return files
          .filter(
              p -> {
                String name = p.getFileName().toString();
                return name.startsWith("skein-server-")
                    && name.endsWith(".jar")
                    && !name.endsWith("-sources.jar")
                    && !name.endsWith("-tests.jar");
              })
          .findFirst()
          .orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Ingest

  private IngestRow skeinIngest(Protocol protocol) throws Exception {
    Path dataDir = freshDir("skein-" + protocol.flag);
    SkeinPorts ports = SkeinPorts.pick();
    progress("skein-server, " + protocol.label + ": starting");
    ServerProcess server = startSkein(dataDir, ports, protocol.flag);
    LoadDriver.Result result;
    Window window;
    try (Transport transport = skeinTransport(protocol, ports)) {
      window = new Window(server, new PrometheusScrape(ports.ui("/metrics")));
      result = measure(transport, pool.templates(encodingOf(protocol)), window, protocol.label);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    long rss = server.peakRssBytes();
    long stopStart = System.nanoTime();
    progress("stopping skein-server (SIGTERM), which stores what its log holds");
    if (!server.stop(GRACEFUL_STOP)) {
      notes.add("skein-server (" + protocol.label + ") did not stop within " + GRACEFUL_STOP);
    }
    double stopSeconds = (System.nanoTime() - stopStart) / 1e9;
    long dataBytes = sizeOf(dataDir);
    long storeBytes = sizeOf(dataDir.resolve("store"));
    cleanUp(dataDir);
    return new IngestRow(
        "skein-server",
        protocol,
        result,
        window.cpuNanosPerSpan(result),
        window.generatorShare(),
        window.storedPerSecond(),
        rss,
        dataBytes,
        storeBytes,
        stopSeconds);
  }

  private IngestRow zipkinIngest() throws Exception {
    int port = ServerProcess.freePort();
    progress("Zipkin server, Zipkin JSON: starting");
    ServerProcess server =
        ServerProcess.start(
            "zipkin-server",
            List.of(
                javaCommand(),
                "-Xmx" + settings.zipkinHeap(),
                // The JVM's own default here, as Zipkin's image runs it: Zipkin's in-memory
                // store was measured 3x slower under ParallelGC.
                "-XX:+UseG1GC",
                "-jar",
                settings.zipkinJar().toAbsolutePath().toString(),
                "--armeria.ports[0].ip=127.0.0.1",
                "--armeria.ports[0].port=" + port),
            Map.of(
                "STORAGE_TYPE", "mem",
                "MEM_MAX_SPANS", Integer.toString(settings.zipkinMaxSpans()),
                "SELF_TRACING_ENABLED", "false"),
            settings.workDir().resolve("zipkin-server.log"),
            URI.create("http://127.0.0.1:" + port + "/health"),
            STARTUP);
    LoadDriver.Result result;
    Window window;
    try (Transport transport = HttpTransport.zipkin(URI.create("http://127.0.0.1:" + port))) {
      window = new Window(server, null);
      result =
          measure(transport, pool.templates(Encoding.ZIPKIN_JSON), window, "Zipkin server JSON");
    } finally {
      server.peakRssBytes();
      server.stop(Duration.ofSeconds(30));
    }
    return new IngestRow(
        "Zipkin server",
        Protocol.ZIPKIN,
        result,
        window.cpuNanosPerSpan(result),
        window.generatorShare(),
        Double.NaN,
        server.peakRssBytes(),
        -1,
        -1,
        Double.NaN);
  }

  private LoadDriver.Result measure(
      Transport transport, List<RequestTemplate> templates, Window window, String label)
      throws InterruptedException {
    progress(
        String.format(
            Locale.ROOT,
            "%s: %d s warm-up, %d s measured",
            label,
            settings.warmup().toSeconds(),
            settings.measure().toSeconds()));
    LoadDriver.Result result =
        new LoadDriver(transport, templates, settings.inFlight(), System.nanoTime(), null)
            .onWindow(window)
            .timed(settings.warmup(), settings.measure());
    progress(
        String.format(
            Locale.ROOT,
            "%s: %,.0f spans/s accepted, p99 %.1f ms, %d refused, %d failed%s",
            label,
            result.spansPerSecond(),
            result.latencyMillis(0.99),
            result.refused(),
            result.failed(),
            result.firstProblem() == null ? "" : " (first: " + result.firstProblem() + ")"));
    return result;
  }

  // ---------------------------------------------------------------------------------------------
  // Fill, then queries

  private record FillResult(
      long spans,
      double seconds,
      double catchUpSeconds,
      long dataDirBytes,
      long storeBytes,
      List<QueryBench.Outcome> queries) {

    String table() {
      StringBuilder out = new StringBuilder();
      out.append(
          String.format(
              Locale.ROOT, "#### skein-server at %,d spans: disk and query latency\n\n", spans));
      out.append(
          String.format(
              Locale.ROOT,
              "Filled over OTLP gRPC in %.0f s (%,.0f spans/s); the store had every span %.1f s"
                  + " after the last acknowledgement. Queries one at a time, no load.\n\n",
              seconds,
              spans / seconds,
              catchUpSeconds));
      MarkdownTable disk = new MarkdownTable("on disk after SIGTERM", "bytes", "bytes/span");
      disk.row("data directory", mebibytes(dataDirBytes), perSpan(dataDirBytes, spans));
      disk.row("store alone (`store/`)", mebibytes(storeBytes), perSpan(storeBytes, spans));
      out.append(disk).append('\n');
      MarkdownTable table =
          new MarkdownTable("query", "p50 ms", "p99 ms", "answered", "traces/answer", "example");
      for (QueryBench.Outcome q : queries) {
        table.row(
            q.name(),
            millis(q.latencyMillis(0.5)),
            millis(q.latencyMillis(0.99)),
            q.answered() + "/" + q.total(),
            String.format(Locale.ROOT, "%.1f", q.meanTraces()),
            "`" + q.example() + "`");
      }
      out.append(table);
      for (QueryBench.Outcome q : queries) {
        if (q.firstProblem() != null) {
          out.append("\n- ").append(q.name()).append(": ").append(q.firstProblem());
        }
      }
      return out.toString();
    }
  }

  private FillResult fillAndQuery() throws Exception {
    Path dataDir = freshDir("skein-fill");
    SkeinPorts ports = SkeinPorts.pick();
    progress(String.format(Locale.ROOT, "fill: skein-server to %,d spans", settings.fillSpans()));
    ServerProcess server = startSkein(dataDir, ports, "fill");
    try {
      TraceIdSample sample = new TraceIdSample(20_000);
      PrometheusScrape metrics = new PrometheusScrape(ports.ui("/metrics"));
      LoadDriver.Result fill;
      long started = System.nanoTime();
      try (Transport transport = new GrpcTransport("127.0.0.1", ports.otlpGrpc())) {
        fill =
            new LoadDriver(
                    transport,
                    pool.templates(Encoding.OTLP_PROTO),
                    settings.inFlight(),
                    System.nanoTime(),
                    sample)
                .fill(settings.fillSpans(), Duration.ofMinutes(20));
      }
      double fillSeconds = (System.nanoTime() - started) / 1e9;
      progress(
          String.format(
              Locale.ROOT,
              "fill: %,d spans accepted in %.0f s (%d refused, %d failed)",
              fill.acceptedSpans(),
              fillSeconds,
              fill.refused(),
              fill.failed()));
      double catchUp = awaitStored(metrics, fill.acceptedSpans());

      QueryBench bench = new QueryBench(ports.ui(""));
      List<QueryBench.Outcome> outcomes = runQueries(bench, sample.ids());
      server.peakRssBytes();
      progress("stopping skein-server (SIGTERM)");
      if (!server.stop(GRACEFUL_STOP)) {
        notes.add("skein-server (fill) did not stop within " + GRACEFUL_STOP);
      }
      long dataBytes = sizeOf(dataDir);
      long storeBytes = sizeOf(dataDir.resolve("store"));
      notes.add(
          String.format(
              Locale.ROOT,
              "fill phase: skein-server peak RSS %s",
              mebibytes(server.peakRssBytes())));
      cleanUp(dataDir);
      return new FillResult(
          fill.acceptedSpans(), fillSeconds, catchUp, dataBytes, storeBytes, outcomes);
    } finally {
      server.close();
    }
  }

  /** Waits until the store holds what was acknowledged; the seconds it took, NaN if unknown. */
  private double awaitStored(PrometheusScrape metrics, long accepted) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + TimeUnit.MINUTES.toNanos(10);
    double stored = metrics.value(STORED);
    if (Double.isNaN(stored)) {
      notes.add(
          "skein-server does not report "
              + STORED
              + ": queries may have run while the"
              + " store was still catching up");
      return Double.NaN;
    }
    while (stored < accepted && System.nanoTime() < deadline) {
      Thread.sleep(200);
      stored = metrics.value(STORED);
    }
    if (stored < accepted) {
      notes.add(
          String.format(
              Locale.ROOT, "the store held %,.0f of %,d spans after 10 minutes", stored, accepted));
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private List<QueryBench.Outcome> runQueries(QueryBench bench, List<String> sampledIds)
      throws InterruptedException {
    int n = settings.queries();
    int warmup = Math.max(20, n / 10);
    List<String> ids = new ArrayList<>(sampledIds);
    Collections.shuffle(ids, new Random(3));
    if (ids.isEmpty()) {
      throw new IllegalStateException("no trace id was sampled during the fill");
    }
    long endMicros = TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis()) + 60_000_000L;
    long startMicros = endMicros - TimeUnit.HOURS.toMicros(1);
    String window = "&start=" + startMicros + "&end=" + endMicros;
    List<String> services = TraceGenerator.SERVICES;
    List<QueryBench.Outcome> outcomes = new ArrayList<>();
    progress("queries: trace by id");
    outcomes.add(
        bench.run("trace by id", warmup, n, i -> "/api/traces/" + ids.get(i % ids.size())));
    progress("queries: search by service");
    outcomes.add(
        bench.run(
            "search: service",
            warmup,
            n,
            i ->
                "/api/traces?service=" + services.get(i % services.size()) + "&limit=20" + window));
    progress("queries: search by service and operation");
    outcomes.add(
        bench.run(
            "search: service + operation",
            warmup,
            n,
            i -> {
              String service = services.get(i % services.size());
              List<String> routes = TraceGenerator.routes(service);
              return "/api/traces?service="
                  + service
                  + "&operation="
                  + encode(routes.get((i / services.size()) % routes.size()))
                  + "&limit=20"
                  + window;
            }));
    progress("queries: search by service and tag");
    outcomes.add(
        bench.run(
            "search: service + tag",
            warmup,
            n,
            i ->
                "/api/traces?service="
                    + services.get(i % services.size())
                    + "&tags="
                    + encode("{\"http.request.method\":\"DELETE\"}")
                    + "&limit=20"
                    + window));
    progress("queries: search by service and minimum duration");
    outcomes.add(
        bench.run(
            "search: service + minDuration",
            warmup,
            n,
            i ->
                "/api/traces?service="
                    + services.get(i % services.size())
                    + "&minDuration=100ms&limit=20"
                    + window));
    for (QueryBench.Outcome q : outcomes) {
      progress(
          String.format(
              Locale.ROOT,
              "%s: p50 %.2f ms, p99 %.2f ms, %d/%d answered",
              q.name(),
              q.latencyMillis(0.5),
              q.latencyMillis(0.99),
              q.answered(),
              q.total()));
    }
    return outcomes;
  }

  // ---------------------------------------------------------------------------------------------
  // Servers

  private record SkeinPorts(int otlpGrpc, int otlpHttp, int zipkin, int ui) {
    static SkeinPorts pick() throws IOException {
      return new SkeinPorts(
          ServerProcess.freePort(),
          ServerProcess.freePort(),
          ServerProcess.freePort(),
          ServerProcess.freePort());
    }

    URI ui(String path) {
      return URI.create("http://127.0.0.1:" + ui + path);
    }
  }

  private ServerProcess startSkein(Path dataDir, SkeinPorts ports, String logName)
      throws IOException, InterruptedException {
    Path target = settings.serverHome().resolve("server").resolve("target").toAbsolutePath();
    String classpath =
        serverJar(settings).toAbsolutePath()
            + java.io.File.pathSeparator
            + target.resolve("lib")
            + java.io.File.separator
            + "*";
    return ServerProcess.start(
        "skein-server",
        List.of(
            javaCommand(),
            "-Xmx" + settings.heap(),
            "-XX:+UseParallelGC",
            "-cp",
            classpath,
            SKEIN_MAIN,
            "--data-dir",
            dataDir.toAbsolutePath().toString(),
            "--storage",
            settings.skeinStorage(),
            "--bind",
            "127.0.0.1",
            "--otlp-grpc-port",
            Integer.toString(ports.otlpGrpc()),
            "--otlp-http-port",
            Integer.toString(ports.otlpHttp()),
            "--zipkin-port",
            Integer.toString(ports.zipkin()),
            "--ui-port",
            Integer.toString(ports.ui())),
        Map.of(),
        settings.workDir().resolve("skein-" + logName + ".log"),
        ports.ui("/health"),
        STARTUP);
  }

  private static Transport skeinTransport(Protocol protocol, SkeinPorts ports) {
    return switch (protocol) {
      case OTLP_GRPC -> new GrpcTransport("127.0.0.1", ports.otlpGrpc());
      case OTLP_HTTP -> HttpTransport.otlp(URI.create("http://127.0.0.1:" + ports.otlpHttp()));
      case ZIPKIN -> HttpTransport.zipkin(URI.create("http://127.0.0.1:" + ports.zipkin()));
    };
  }

  private static Encoding encodingOf(Protocol protocol) {
    return protocol == Protocol.ZIPKIN ? Encoding.ZIPKIN_JSON : Encoding.OTLP_PROTO;
  }

  /**
   * Samples the server's CPU, the generator's CPU and the store's progress at the window's ends.
   */
  private static final class Window implements LoadDriver.WindowListener {
    private final ServerProcess server;
    private final PrometheusScrape metrics;
    private final com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long openedAt;
    private long closedAt;
    private Duration cpuAtOpen = Duration.ZERO;
    private Duration cpuAtClose = Duration.ZERO;
    private long ownCpuAtOpen;
    private long ownCpuAtClose;
    private double storedAtOpen = Double.NaN;
    private double storedAtClose = Double.NaN;

    Window(ServerProcess server, PrometheusScrape metrics) {
      this.server = server;
      this.metrics = metrics;
    }

    @Override
    public void opened() {
      openedAt = System.nanoTime();
      cpuAtOpen = server.cpu();
      ownCpuAtOpen = os.getProcessCpuTime();
      storedAtOpen = metrics == null ? Double.NaN : metrics.value(STORED);
    }

    @Override
    public void closed() {
      closedAt = System.nanoTime();
      cpuAtClose = server.cpu();
      ownCpuAtClose = os.getProcessCpuTime();
      storedAtClose = metrics == null ? Double.NaN : metrics.value(STORED);
    }

    double cpuNanosPerSpan(LoadDriver.Result result) {
      return result.measuredSpans() == 0
          ? Double.NaN
          : (double) cpuAtClose.minus(cpuAtOpen).toNanos() / result.measuredSpans();
    }

    /** The generator's CPU use during the window, in cores. */
    double generatorShare() {
      return closedAt > openedAt
          ? (double) (ownCpuAtClose - ownCpuAtOpen) / (closedAt - openedAt)
          : Double.NaN;
    }

    double storedPerSecond() {
      return closedAt > openedAt
          ? (storedAtClose - storedAtOpen) / ((closedAt - openedAt) / 1e9)
          : Double.NaN;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Report

  private static String ingestTable(List<IngestRow> rows) {
    MarkdownTable table =
        new MarkdownTable(
            "server",
            "protocol",
            "accepted spans/s",
            "stored spans/s",
            "ack p50 ms",
            "ack p99 ms",
            "refused",
            "failed",
            "server CPU µs/span",
            "peak RSS",
            "disk B/span",
            "store B/span");
    for (IngestRow r : rows) {
      LoadDriver.Result load = r.load();
      long accepted = load.acceptedSpans();
      table.row(
          r.target(),
          r.protocol().label,
          String.format(Locale.ROOT, "%,.0f", load.spansPerSecond()),
          Double.isNaN(r.storedPerSecond())
              ? "n/a"
              : String.format(Locale.ROOT, "%,.0f", r.storedPerSecond()),
          millis(load.latencyMillis(0.5)),
          millis(load.latencyMillis(0.99)),
          Long.toString(load.refused()),
          Long.toString(load.failed()),
          Double.isNaN(r.serverCpuNanosPerSpan())
              ? "n/a"
              : String.format(Locale.ROOT, "%.1f", r.serverCpuNanosPerSpan() / 1000),
          mebibytes(r.peakRssBytes()),
          r.dataDirBytes() < 0 ? "n/a" : perSpan(r.dataDirBytes(), accepted),
          r.storeBytes() < 0 ? "n/a" : perSpan(r.storeBytes(), accepted));
    }
    StringBuilder out = new StringBuilder("#### Ingest, one phase per row (fresh server each)\n\n");
    out.append(table);
    out.append(
        "\nDisk figures are the data directory after a graceful stop divided by every span"
            + " accepted in the phase (warm-up included).\n");
    for (IngestRow r : rows) {
      out.append(
          String.format(
              Locale.ROOT,
              "- %s, %s: %,d spans accepted in all, generator CPU %.2f cores while measuring%s%s\n",
              r.target(),
              r.protocol().label,
              r.load().acceptedSpans(),
              r.generatorCpuShare(),
              Double.isNaN(r.stopSeconds())
                  ? ""
                  : String.format(Locale.ROOT, ", stop took %.1f s", r.stopSeconds()),
              r.load().firstProblem() == null
                  ? ""
                  : ", first problem: " + r.load().firstProblem()));
    }
    return out.toString();
  }

  private static String ratioTable(List<IngestRow> rows) {
    IngestRow skein = null;
    IngestRow zipkin = null;
    for (IngestRow r : rows) {
      if (r.protocol() == Protocol.ZIPKIN) {
        if (r.target().equals("skein-server")) {
          skein = r;
        } else {
          zipkin = r;
        }
      }
    }
    if (skein == null || zipkin == null) {
      return "";
    }
    MarkdownTable table =
        new MarkdownTable(
            "Zipkin JSON, same workload", "skein-server", "Zipkin server", "skein/zipkin");
    double sRate = skein.load().spansPerSecond();
    double zRate = zipkin.load().spansPerSecond();
    table.row(
        "accepted spans/s",
        String.format(Locale.ROOT, "%,.0f", sRate),
        String.format(Locale.ROOT, "%,.0f", zRate),
        ratio(sRate, zRate));
    table.row(
        "ack p99 ms",
        millis(skein.load().latencyMillis(0.99)),
        millis(zipkin.load().latencyMillis(0.99)),
        ratio(skein.load().latencyMillis(0.99), zipkin.load().latencyMillis(0.99)));
    table.row(
        "server CPU µs/span",
        String.format(Locale.ROOT, "%.1f", skein.serverCpuNanosPerSpan() / 1000),
        String.format(Locale.ROOT, "%.1f", zipkin.serverCpuNanosPerSpan() / 1000),
        ratio(skein.serverCpuNanosPerSpan(), zipkin.serverCpuNanosPerSpan()));
    table.row(
        "peak RSS (-Xmx differs, see above)",
        mebibytes(skein.peakRssBytes()),
        mebibytes(zipkin.peakRssBytes()),
        ratio(skein.peakRssBytes(), zipkin.peakRssBytes()));
    table.row("keeps spans", "on disk, fsync'd before the answer", "in memory only", "");
    return "#### skein-server against the Zipkin server, Zipkin JSON\n\n" + table;
  }

  private static String ratio(double a, double b) {
    return Double.isNaN(a) || Double.isNaN(b) || b == 0
        ? "n/a"
        : String.format(Locale.ROOT, "%.2f×", a / b);
  }

  private static String millis(double ms) {
    if (Double.isNaN(ms)) {
      return "n/a";
    }
    return ms < 10
        ? String.format(Locale.ROOT, "%.2f", ms)
        : String.format(Locale.ROOT, "%.0f", ms);
  }

  private static String mebibytes(long bytes) {
    return bytes <= 0 ? "n/a" : String.format(Locale.ROOT, "%,.0f MiB", bytes / 1048576.0);
  }

  private static String perSpan(long bytes, long spans) {
    return spans <= 0 || bytes < 0
        ? "n/a"
        : String.format(Locale.ROOT, "%.1f", (double) bytes / spans);
  }

  // ---------------------------------------------------------------------------------------------
  // Files and processes

  private Path freshDir(String name) throws IOException {
    Path dir = settings.workDir().resolve(name);
    deleteTree(dir);
    Files.createDirectories(dir);
    return dir;
  }

  private void cleanUp(Path dir) throws IOException {
    if (!settings.keepData()) {
      deleteTree(dir);
    }
  }

  /** Bytes in regular files under {@code dir}, as {@code du --apparent-size} counts. */
  static long sizeOf(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              })
          .sum();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** The java that runs the generator, so the servers need no other installation. */
  private static String javaCommand() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static void progress(String message) {
    System.err.printf(Locale.ROOT, "[%tT] %s%n", System.currentTimeMillis(), message);
  }
}
