package dev.skein.benchmarks;

import com.sun.net.httpserver.HttpServer;
import dev.skein.exporter.otlp.OtlpProtocol;
import dev.skein.exporter.otlp.OtlpSpanExporter;
import dev.skein.sdk.SkeinSdk;
import dev.skein.sdk.export.InMemorySpanExporter;
import dev.skein.sdk.export.SimpleSpanProcessor;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * End-to-end export throughput: batches of 512 realistic spans (the {@link OtlpMarshalBenchmark}
 * workload) exported one after another, as a batch span processor does, over HTTP to a local sink
 * that reads each request and answers 200. Skein's OTLP exporter (protobuf and JSON) and the
 * OpenTelemetry SDK's {@code OtlpHttpSpanExporter} take turns, round after round, in one JVM, so
 * machine noise hits both alike.
 *
 * <p>Reported per exporter: spans per second (median of the rounds), the whole process's CPU time
 * per span (exporter, HTTP client and sink together), and request bytes per span.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.skein.benchmarks.ExportThroughput [--seconds N] [--rounds N] [--out FILE]
 * </pre>
 */
public final class ExportThroughput {

  private ExportThroughput() {}

  /** One exporter under test: exports one batch and waits for the answer. */
  private interface Contender {
    void exportOneBatch() throws Exception;
  }

  private record Result(String name, double spansPerSecond, double cpuNanosPerSpan) {}

  public static void main(String[] args) throws Exception {
    int seconds = 5;
    int rounds = 3;
    Path out = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    QuietLogs.apply();

    AtomicLong bytesReceived = new AtomicLong();
    AtomicLong requests = new AtomicLong();
    HttpServer sink =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    sink.setExecutor(Executors.newFixedThreadPool(2));
    sink.createContext(
        "/",
        exchange -> {
          try (InputStream in = exchange.getRequestBody()) {
            bytesReceived.addAndGet(in.transferTo(java.io.OutputStream.nullOutputStream()));
          }
          requests.incrementAndGet();
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    sink.start();
    String endpoint = "http://127.0.0.1:" + sink.getAddress().getPort() + "/v1/traces";

    List<dev.skein.sdk.SpanData> skeinSpans = skeinBatch();
    List<SpanData> otelSpans = otelBatch();
    OtlpSpanExporter skeinProto = OtlpSpanExporter.builder().setEndpoint(endpoint).build();
    OtlpSpanExporter skeinJson =
        OtlpSpanExporter.builder()
            .setProtocol(OtlpProtocol.HTTP_JSON)
            .setEndpoint(endpoint)
            .build();
    OtlpHttpSpanExporter otel = OtlpHttpSpanExporter.builder().setEndpoint(endpoint).build();

    String[] names = {"skein http/protobuf", "otel http/protobuf", "skein http/json"};
    Contender[] contenders = {
      () -> skeinProto.export(skeinSpans).get(10, TimeUnit.SECONDS),
      () -> {
        if (!otel.export(otelSpans).join(10, TimeUnit.SECONDS).isSuccess()) {
          throw new IllegalStateException("the OpenTelemetry exporter failed");
        }
      },
      () -> skeinJson.export(skeinSpans).get(10, TimeUnit.SECONDS),
    };
    long[] bytesPerSpan = new long[names.length];
    for (int c = 0; c < contenders.length; c++) {
      long before = bytesReceived.get();
      contenders[c].exportOneBatch();
      bytesPerSpan[c] = (bytesReceived.get() - before) / OtlpMarshalBenchmark.BATCH;
      run(contenders[c], Math.max(1, seconds / 2)); // warm-up
    }

    List<List<Result>> perContender = new ArrayList<>();
    for (int c = 0; c < contenders.length; c++) {
      perContender.add(new ArrayList<>());
    }
    for (int round = 1; round <= rounds; round++) {
      for (int c = 0; c < contenders.length; c++) {
        Result result = run(contenders[c], seconds);
        perContender
            .get(c)
            .add(new Result(names[c], result.spansPerSecond, result.cpuNanosPerSpan));
        System.out.printf(
            Locale.ROOT,
            "round %d  %-20s %,12.0f spans/s  %,8.0f ns CPU/span%n",
            round,
            names[c],
            result.spansPerSecond,
            result.cpuNanosPerSpan);
      }
    }
    sink.stop(0);
    skeinProto.shutdown();
    skeinJson.shutdown();
    otel.shutdown();

    StringBuilder table = new StringBuilder();
    table.append(
        "| exporter | spans/s (median of "
            + rounds
            + ") | process CPU per span | request bytes per span | spans/s vs otel |\n");
    table.append("|---|---|---|---|---|\n");
    double otelRate = median(perContender.get(1), true);
    for (int c = 0; c < contenders.length; c++) {
      double rate = median(perContender.get(c), true);
      double cpu = median(perContender.get(c), false);
      table.append(
          String.format(
              Locale.ROOT,
              "| %s | %,.0f | %,.0f ns | %d B | %.2f× |%n",
              names[c],
              rate,
              cpu,
              bytesPerSpan[c],
              rate / otelRate));
    }
    System.out.println();
    System.out.print(table);
    if (out != null) {
      Files.writeString(out, table.toString());
    }
  }

  private static Result run(Contender contender, int seconds) throws Exception {
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpuStart = os.getProcessCpuTime();
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
    long batches = 0;
    long now;
    do {
      contender.exportOneBatch();
      batches++;
      now = System.nanoTime();
    } while (now < deadline);
    long spans = batches * OtlpMarshalBenchmark.BATCH;
    double rate = spans / ((now - start) / 1e9);
    double cpuPerSpan = (os.getProcessCpuTime() - cpuStart) / (double) spans;
    return new Result("", rate, cpuPerSpan);
  }

  private static double median(List<Result> results, boolean rate) {
    double[] values =
        results.stream().mapToDouble(r -> rate ? r.spansPerSecond : r.cpuNanosPerSpan).toArray();
    Arrays.sort(values);
    return values[values.length / 2];
  }

  private static List<dev.skein.sdk.SpanData> skeinBatch() {
    InMemorySpanExporter memory = InMemorySpanExporter.create();
    try (SkeinSdk sdk =
        SkeinSdk.builder()
            .setServiceName("checkout")
            .addSpanProcessor(SimpleSpanProcessor.create(memory))
            .build()) {
      OtlpMarshalBenchmark.record(sdk.getTracerProvider().get(Tracers.SCOPE, "1.0.0"));
    }
    return memory.finishedSpans();
  }

  private static List<SpanData> otelBatch() {
    io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter memory =
        io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter.create();
    try (SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault()
                    .merge(
                        Resource.create(
                            Attributes.of(AttributeKey.stringKey("service.name"), "checkout"))))
            .addSpanProcessor(io.opentelemetry.sdk.trace.export.SimpleSpanProcessor.create(memory))
            .build()) {
      OtlpMarshalBenchmark.record(provider.get(Tracers.SCOPE, "1.0.0"));
      return memory.getFinishedSpanItems();
    }
  }
}
