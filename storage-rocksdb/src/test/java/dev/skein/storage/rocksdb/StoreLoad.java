package dev.skein.storage.rocksdb;

import dev.skein.storage.Attribute;
import dev.skein.storage.Span;
import dev.skein.storage.SpanEvent;
import dev.skein.storage.TraceId;
import dev.skein.storage.TraceQuery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Load test of the RocksDB store: writes synthetic spans the way the pipeline does (batches of
 * about 500, whole traces of 10 spans), then reports write rate, bytes per span on disk after a
 * flush and full compaction, and trace-by-id and search latencies.
 *
 * <p>Usage: {@code StoreLoad <spans> <dir>} (the directory must be empty or absent). System
 * properties: {@code queries} (per kind, default 1000), {@code rate} (simulated spans per second of
 * traffic, default 5000, which sets how densely spans fill time), and {@code blockBytes}, {@code
 * zstdLevel}, {@code zstdDictionaryBytes} to try other {@link RocksSpanStore.Options}.
 */
public final class StoreLoad {
  static final int SERVICES = 20;
  static final int OPERATIONS_PER_SERVICE = 10;
  static final int SPANS_PER_TRACE = 10;
  static final int BATCH_SPANS = 500;
  static final long START_NANOS = 1_772_366_400_000_000_000L;

  private static final String[] SERVICE_NAMES = {
    "frontend", "checkout", "cart", "catalog", "payment", "shipping", "currency", "email",
    "recommendation", "ad", "auth", "user", "inventory", "pricing", "search", "review",
    "notification", "fraud", "gateway", "quote"
  };
  private static final String[] METHODS = {
    "GET", "GET", "GET", "GET", "GET", "POST", "POST", "PUT", "DELETE"
  };
  private static final String[] AGENTS = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "okhttp/4.12.0",
    "Go-http-client/1.1",
    "python-requests/2.31.0"
  };
  private static final String[] DB_SYSTEMS = {"postgresql", "redis", "mongodb"};

  private final SplittableRandom random = new SplittableRandom(42);
  private final Operation[][] operations = new Operation[SERVICES][OPERATIONS_PER_SERVICE];
  private final List<List<Attribute>> resources = new ArrayList<>();
  private final long nanosPerTrace;
  private long clock = START_NANOS;

  record Operation(String service, int serviceIndex, String name, String type, String detail) {}

  StoreLoad(long spansPerSecond) {
    nanosPerTrace = 1_000_000_000L * SPANS_PER_TRACE / spansPerSecond;
    String[] types = {
      "http", "http", "http", "http", "db", "db", "db", "rpc", "messaging", "internal"
    };
    for (int s = 0; s < SERVICES; s++) {
      for (int o = 0; o < OPERATIONS_PER_SERVICE; o++) {
        String type = types[o];
        String resource = new String[] {"orders", "items", "users", "carts", "prices"}[o % 5];
        String name =
            switch (type) {
              case "http" -> METHODS[o % METHODS.length] + " /api/" + resource + "/{id}";
              case "db" -> "SELECT " + SERVICE_NAMES[s] + "." + resource;
              case "rpc" -> "oteldemo." + cap(SERVICE_NAMES[s]) + "Service/Get" + cap(resource);
              case "messaging" -> SERVICE_NAMES[s] + "-events publish";
              default -> "compute" + cap(resource);
            };
        String detail =
            switch (type) {
              case "db" ->
                  "SELECT id, name, price, updated_at FROM "
                      + resource
                      + " WHERE id = ? AND tenant_id = ?";
              case "http" -> "/api/" + resource + "/{id}";
              default -> resource;
            };
        operations[s][o] = new Operation(SERVICE_NAMES[s], s, name, type, detail);
      }
      for (int h = 0; h < 3; h++) {
        resources.add(
            List.of(
                Attribute.of("host.name", SERVICE_NAMES[s] + "-" + (7 + h) + "f9c4d-x" + h),
                Attribute.of("service.version", "1." + (s % 4) + "." + (s * 7 % 10)),
                Attribute.of("deployment.environment", "production")));
      }
    }
  }

  private static String cap(String text) {
    return Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }

  /** One trace of ten spans: a server span at the root, calls fanning out under it. */
  List<Span> trace() {
    TraceId traceId = new TraceId(random.nextLong(), random.nextLong() | 1);
    clock += nanosPerTrace / 2 + random.nextLong(nanosPerTrace);
    long traceStart = clock;
    long traceDuration = logNormalMillis(40) * 1_000_000L + random.nextInt(1_000_000);
    List<Span> spans = new ArrayList<>(SPANS_PER_TRACE);
    long[] ids = new long[SPANS_PER_TRACE];
    int[] serviceOf = new int[SPANS_PER_TRACE];
    long userId = (long) (Math.pow(random.nextDouble(), 2) * 100_000);
    for (int i = 0; i < SPANS_PER_TRACE; i++) {
      ids[i] = random.nextLong() | 1;
      int parent = i == 0 ? -1 : random.nextInt(Math.min(i, 4));
      int service = i == 0 ? 0 : (i < 4 ? 1 + random.nextInt(SERVICES - 1) : serviceOf[parent]);
      if (i >= 4 && random.nextInt(3) == 0) {
        service = random.nextInt(SERVICES);
      }
      serviceOf[i] = service;
      Operation op = operations[service][operationIndex(i)];
      long offset = i == 0 ? 0 : (long) (random.nextDouble() * traceDuration * 0.7);
      long duration =
          i == 0
              ? traceDuration
              : Math.max(50_000, (long) (random.nextDouble() * (traceDuration - offset) * 0.9));
      boolean error = random.nextInt(100) == 0;
      Span.Builder span =
          Span.builder()
              .traceId(traceId)
              .spanId(ids[i])
              .parentSpanId(parent < 0 ? 0 : ids[parent])
              .service(fresh(op.service()))
              .name(fresh(op.name()))
              .kind(kindOf(op, i))
              .startEpochNanos(traceStart + offset)
              .durationNanos(duration)
              .scope(fresh(scopeOf(op)), fresh("2.10.0"))
              .flags(i == 0 || serviceOf[parent] != service ? 0x301 : 0x101);
      for (Attribute attribute : resources.get(service * 3 + random.nextInt(3))) {
        span.addResourceAttribute(
            new Attribute(fresh(attribute.key()), fresh((String) attribute.value())));
      }
      addAttributes(span, op, userId, error);
      if (error) {
        span.status(Span.Status.ERROR, "upstream request failed");
        span.addEvent(
            new SpanEvent(
                traceStart + offset + duration / 2,
                "exception",
                List.of(
                    Attribute.of("exception.type", "java.net.SocketTimeoutException"),
                    Attribute.of("exception.message", "Read timed out"))));
      }
      spans.add(span.build());
    }
    return spans;
  }

  private int operationIndex(int spanIndex) {
    if (spanIndex == 0) {
      return random.nextInt(4);
    }
    return random.nextInt(OPERATIONS_PER_SERVICE);
  }

  private static Span.Kind kindOf(Operation op, int index) {
    return switch (op.type()) {
      case "http", "rpc" -> index == 0 || index % 2 == 1 ? Span.Kind.SERVER : Span.Kind.CLIENT;
      case "db" -> Span.Kind.CLIENT;
      case "messaging" -> Span.Kind.PRODUCER;
      default -> Span.Kind.INTERNAL;
    };
  }

  private static String scopeOf(Operation op) {
    return switch (op.type()) {
      case "http" -> "io.opentelemetry.tomcat-10.0";
      case "db" -> "io.opentelemetry.jdbc";
      case "rpc" -> "io.opentelemetry.grpc-1.6";
      case "messaging" -> "io.opentelemetry.kafka-clients-2.6";
      default -> "dev.skein.demo";
    };
  }

  /**
   * A copy of the text, as a receiver decoding a request makes: its hash code is not cached yet,
   * and it is not the instance the store saw last time.
   */
  static String fresh(String text) {
    return new String(text.toCharArray());
  }

  /** Adds an attribute the way a decoded span carries it: fresh strings. */
  private static void put(Span.Builder span, String key, Object value) {
    span.addAttribute(fresh(key), value instanceof String text ? fresh(text) : value);
  }

  /** Five to eleven attributes with the keys and value spreads real instrumentation produces. */
  private void addAttributes(Span.Builder span, Operation op, long userId, boolean error) {
    put(span, "thread.name", "http-nio-8080-exec-" + (1 + random.nextInt(200)));
    switch (op.type()) {
      case "http" -> {
        put(span, "http.method", op.name().substring(0, op.name().indexOf(' ')));
        put(span, "http.route", op.detail());
        put(span, "http.status_code", error ? 500L : random.nextInt(50) == 0 ? 404L : 200L);
        put(span, "user.id", "u" + userId);
        put(span, "net.peer.port", 30_000L + random.nextInt(30_000));
        if (random.nextBoolean()) {
          put(span, "http.user_agent", AGENTS[random.nextInt(AGENTS.length)]);
          put(span, "http.request_content_length", (long) random.nextInt(4096));
        }
      }
      case "db" -> {
        String system = DB_SYSTEMS[op.serviceIndex() % DB_SYSTEMS.length];
        put(span, "db.system", system);
        put(span, "db.name", op.service() + "_db");
        put(span, "db.statement", op.detail());
        put(span, "db.operation", "SELECT");
        put(span, Span.PEER_SERVICE, system);
        if (random.nextInt(4) == 0) {
          put(span, "db.rows_affected", (long) random.nextInt(100));
        }
      }
      case "rpc" -> {
        put(span, "rpc.system", "grpc");
        put(span, "rpc.service", op.name().substring(0, op.name().indexOf('/')));
        put(span, "rpc.method", op.name().substring(op.name().indexOf('/') + 1));
        put(span, "rpc.grpc.status_code", error ? 14L : 0L);
        put(span, "user.id", "u" + userId);
        put(span, Span.PEER_SERVICE, SERVICE_NAMES[(op.serviceIndex() + 1) % SERVICES]);
      }
      case "messaging" -> {
        put(span, "messaging.system", "kafka");
        put(span, "messaging.destination.name", op.detail() + "-events");
        put(span, "messaging.kafka.partition", (long) random.nextInt(12));
        put(span, "messaging.message.id", Long.toHexString(random.nextLong()));
      }
      default -> {
        put(span, "code.function", op.name());
        put(span, "code.namespace", "dev.skein.demo." + op.service());
        put(span, "items", (long) random.nextInt(50));
        put(span, "cache.hit", random.nextInt(3) > 0);
      }
    }
  }

  private long logNormalMillis(double medianMillis) {
    double gaussian = 0;
    for (int i = 0; i < 6; i++) {
      gaussian += random.nextDouble();
    }
    gaussian = (gaussian - 3) * Math.sqrt(2);
    return Math.max(1, Math.round(medianMillis * Math.exp(gaussian)));
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: StoreLoad <spans> <dir>");
      System.exit(2);
    }
    long total = Long.parseLong(args[0]);
    Path dir = Path.of(args[1]);
    if (Files.exists(dir)) {
      try (Stream<Path> entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          System.err.println(dir + " is not empty");
          System.exit(2);
        }
      }
    }
    int queries = Integer.getInteger("queries", 1000);
    StoreLoad load = new StoreLoad(Long.getLong("rate", 5000));

    List<TraceId> sample = new ArrayList<>();
    long written = 0;
    long writeNanos = 0;
    long writeCpuNanos = 0;
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    com.sun.management.OperatingSystemMXBean system =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long processCpuBefore = system.getProcessCpuTime();
    long mainCpuBefore = threads.getCurrentThreadCpuTime();
    long began = System.nanoTime();
    RocksSpanStore.Options options = RocksSpanStore.Options.defaults();
    if (Long.getLong("blockBytes") != null) {
      options = options.blockBytes(Long.getLong("blockBytes"));
    }
    if (Integer.getInteger("zstdLevel") != null) {
      options = options.zstdLevel(Integer.getInteger("zstdLevel"));
    }
    if (Integer.getInteger("zstdDictionaryBytes") != null) {
      options = options.zstdDictionaryBytes(Integer.getInteger("zstdDictionaryBytes"));
    }
    try (RocksSpanStore store = RocksSpanStore.open(dir, options)) {
      long traces = 0;
      long lastReport = began;
      while (written < total) {
        List<Span> batch = new ArrayList<>(BATCH_SPANS);
        while (batch.size() < BATCH_SPANS && written + batch.size() < total) {
          List<Span> trace = load.trace();
          batch.addAll(trace);
          if (traces++ % Math.max(1, total / SPANS_PER_TRACE / queries) == 0) {
            sample.add(trace.get(0).traceId());
          }
        }
        long t0 = System.nanoTime();
        long cpu0 = threads.getCurrentThreadCpuTime();
        store.write(batch);
        writeCpuNanos += threads.getCurrentThreadCpuTime() - cpu0;
        writeNanos += System.nanoTime() - t0;
        written += batch.size();
        if (System.nanoTime() - lastReport > 10_000_000_000L) {
          lastReport = System.nanoTime();
          System.out.printf(
              "  %,d spans, %,.0f spans/s in write()%n", written, written / (writeNanos / 1e9));
        }
      }
      long t0 = System.nanoTime();
      store.sync();
      long syncNanos = System.nanoTime() - t0;
      long wall = System.nanoTime() - began;
      System.out.printf("spans written          %,d (%,d traces)%n", written, traces);
      System.out.printf(
          "write rate             %,.0f spans/s in write() (%,.0f spans/s with generation)%n",
          written / (writeNanos / 1e9), written / (wall / 1e9));
      long otherCpu =
          system.getProcessCpuTime()
              - processCpuBefore
              - (threads.getCurrentThreadCpuTime() - mainCpuBefore);
      System.out.printf(
          "writer CPU             %.2f us/span in write(): %,.0f spans/s per core%n",
          writeCpuNanos / 1e3 / written, written / (writeCpuNanos / 1e9));
      System.out.printf(
          "other threads' CPU     %.2f us/span (RocksDB flushes and compactions, GC, JIT)%n",
          otherCpu / 1e3 / written);
      System.out.printf("final sync             %.1f ms%n", syncNanos / 1e6);

      t0 = System.nanoTime();
      store.compact();
      System.out.printf("flush + compaction     %.1f s%n", (System.nanoTime() - t0) / 1e9);
      long sst = store.longProperty("rocksdb.total-sst-files-size");
      long onDisk = directorySize(dir);
      System.out.printf(
          "on disk                %,d bytes in SST files: %.1f bytes/span; directory %,d bytes:"
              + " %.1f bytes/span%n",
          sst, (double) sst / written, onDisk, (double) onDisk / written);

      long[] kinds = store.fileBytesByKind();
      System.out.printf(
          "  of which               spans %.1f, index %.1f, metadata %.1f bytes/span%n",
          (double) kinds[0] / written, (double) kinds[1] / written, (double) kinds[2] / written);

      long end = load.clock;
      measureQueries(store, load, sample, end, queries);
    }
  }

  private static void measureQueries(
      RocksSpanStore store, StoreLoad load, List<TraceId> sample, long end, int queries) {
    SplittableRandom random = new SplittableRandom(7);
    long[] times = new long[queries];
    long spans = 0;
    for (int i = 0; i < queries; i++) {
      TraceId id = sample.get(random.nextInt(sample.size()));
      long t0 = System.nanoTime();
      spans += store.trace(id).size();
      times[i] = System.nanoTime() - t0;
    }
    report("trace by id", times, spans / (double) queries, "spans");

    long from = START_NANOS;
    String[] kinds = {"service", "service+operation", "service+tag", "service+minDuration"};
    for (String kind : kinds) {
      long found = 0;
      for (int i = 0; i < queries; i++) {
        int s = random.nextInt(SERVICES);
        Operation op = load.operations[s][random.nextInt(OPERATIONS_PER_SERVICE)];
        TraceQuery query =
            switch (kind) {
              case "service" ->
                  new TraceQuery(op.service(), null, Map.of(), from, end, 0, Long.MAX_VALUE, 20);
              case "service+operation" ->
                  new TraceQuery(
                      op.service(), op.name(), Map.of(), from, end, 0, Long.MAX_VALUE, 20);
              case "service+tag" ->
                  new TraceQuery(
                      op.service(), null, tagFor(random, i, s), from, end, 0, Long.MAX_VALUE, 20);
              default ->
                  new TraceQuery(
                      op.service(), null, Map.of(), from, end, 500_000_000L, Long.MAX_VALUE, 20);
            };
        long t0 = System.nanoTime();
        found += store.findTraceIds(query).size();
        times[i] = System.nanoTime() - t0;
      }
      report("search " + kind, times, found / (double) queries, "traces");
    }
  }

  /** Tags as users search them: a common value, an error code, a user id. */
  private static Map<String, String> tagFor(SplittableRandom random, int i, int service) {
    return switch (i % 4) {
      case 0 -> Map.of("http.method", "POST");
      case 1 -> Map.of("http.status_code", "500");
      case 2 -> Map.of("user.id", "u" + random.nextInt(2000));
      default -> Map.of("host.name", SERVICE_NAMES[service] + "-8f9c4d-x1");
    };
  }

  private static void report(String what, long[] nanos, double average, String unit) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    System.out.printf(
        "%-32s p50 %7.3f ms  p99 %7.3f ms  max %7.3f ms  (%.1f %s each)%n",
        what,
        sorted[sorted.length / 2] / 1e6,
        sorted[(int) (sorted.length * 0.99)] / 1e6,
        sorted[sorted.length - 1] / 1e6,
        average,
        unit);
  }

  private static long directorySize(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(StoreLoad::size).sum();
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }
}
