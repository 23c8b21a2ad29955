package dev.skein.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spans acknowledged over OTLP survive {@code kill -9} of the server: a child JVM runs the server
 * on RocksDB, this test sends batches until some are acknowledged, kills the child with SIGKILL
 * while requests are still in flight, starts it again on the same data directory and finds every
 * acknowledged span through the query API.
 */
class CrashRestartTest {
  private static final Pattern PORTS = Pattern.compile("otlp-http (\\d+).*ui (\\d+)");

  @TempDir Path dir;
  final HttpClient http = HttpClient.newHttpClient();

  record Running(Process process, int otlpHttpPort, int uiPort) {}

  Running startServer() throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                SkeinServer.class.getName(),
                "--data-dir",
                dir.toString(),
                "--storage",
                "rocksdb",
                "--bind",
                "127.0.0.1",
                "--otlp-grpc-port",
                "0",
                "--otlp-http-port",
                "0",
                "--zipkin-port",
                "0",
                "--ui-port",
                "0")
            .redirectErrorStream(true);
    Process process = builder.start();
    BufferedReader output =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String line;
    while ((line = output.readLine()) != null && System.nanoTime() < deadline) {
      Matcher ports = PORTS.matcher(line);
      if (line.startsWith("skein-server ready") && ports.find()) {
        // Keep draining the child's output so it never blocks on a full pipe.
        Thread drain = new Thread(() -> output.lines().forEach(l -> {}));
        drain.setDaemon(true);
        drain.start();
        return new Running(
            process, Integer.parseInt(ports.group(1)), Integer.parseInt(ports.group(2)));
      }
    }
    process.destroyForcibly();
    throw new AssertionError("the server did not start; last output: " + line);
  }

  static byte[] request(byte[] traceId, int spans) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    long now = System.currentTimeMillis() * 1_000_000L;
    for (int i = 1; i <= spans; i++) {
      scope.addSpans(
          Span.newBuilder()
              .setTraceId(ByteString.copyFrom(traceId))
              .setSpanId(ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 1, (byte) i}))
              .setName("op-" + i)
              .setKind(Span.SpanKind.SPAN_KIND_SERVER)
              .setStartTimeUnixNano(now)
              .setEndTimeUnixNano(now + 1_000_000));
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(
                    Resource.newBuilder()
                        .addAttributes(
                            KeyValue.newBuilder()
                                .setKey("service.name")
                                .setValue(AnyValue.newBuilder().setStringValue("crash-test"))))
                .addScopeSpans(scope))
        .build()
        .toByteArray();
  }

  @Test
  void everyAcknowledgedSpanIsThereAfterKill9AndRestart() throws Exception {
    Running first = startServer();
    ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
    List<CompletableFuture<?>> inFlight = new ArrayList<>();
    URI endpoint = URI.create("http://127.0.0.1:" + first.otlpHttpPort() + "/v1/traces");
    // Keep sending until enough were acknowledged, then kill with requests still under way.
    for (int i = 0; acknowledged.size() < 300 && i < 100_000; i++) {
      byte[] traceId = new byte[16];
      ThreadLocalRandom.current().nextBytes(traceId);
      String hex = HexFormat.of().formatHex(traceId);
      HttpRequest post =
          HttpRequest.newBuilder(endpoint)
              .header("Content-Type", "application/x-protobuf")
              .POST(HttpRequest.BodyPublishers.ofByteArray(request(traceId, 5)))
              .build();
      inFlight.add(
          http.sendAsync(post, HttpResponse.BodyHandlers.discarding())
              .thenAccept(
                  response -> {
                    if (response.statusCode() == 200) {
                      acknowledged.add(hex);
                    }
                  }));
      if (inFlight.size() >= 16) {
        inFlight.remove(0).exceptionally(e -> null).join();
      }
    }
    first.process().destroyForcibly(); // SIGKILL
    first.process().waitFor(30, TimeUnit.SECONDS);
    inFlight.forEach(f -> f.exceptionally(e -> null).join());
    List<String> acked = List.copyOf(acknowledged);
    assertThat(acked).hasSizeGreaterThanOrEqualTo(300);

    Running second = startServer();
    try {
      List<String> missing = new ArrayList<>();
      for (String traceId : acked) {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:" + second.uiPort() + "/api/traces/" + traceId))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 || countSpans(response.body()) != 5) {
          missing.add(traceId + " " + response.statusCode());
        }
      }
      assertThat(missing).as("acknowledged traces missing after kill -9 and restart").isEmpty();
    } finally {
      second.process().destroy();
      second.process().waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** Waits for the replayed log to be stored: counts "spanID" keys in the Jaeger trace. */
  private int countSpans(String body) {
    Matcher matcher = Pattern.compile("\"spanID\"").matcher(body);
    int count = 0;
    while (matcher.find()) {
      count++;
    }
    return count;
  }
}
