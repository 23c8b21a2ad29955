package dev.skein.server.query;

import dev.skein.storage.Span;
import dev.skein.storage.TraceId;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Fetches one large trace over HTTP again and again and prints the time per fetch and the bytes per
 * second, for Jaeger's and Zipkin's JSON. Not a test: a figure for one machine.
 *
 * <pre>
 * java -cp server/target/classes:server/target/test-classes:$(cat cp.txt) \
 *     dev.skein.server.query.TraceFetchThroughput [spans] [fetches]
 * </pre>
 */
public final class TraceFetchThroughput {
  private TraceFetchThroughput() {}

  public static void main(String[] args) throws Exception {
    int spans = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int fetches = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    TraceId traceId = new TraceId(0x1234L, 0x5678L);
    try (QueryServer server = new QueryServer()) {
      List<Span> batch = new ArrayList<>();
      for (int i = 1; i <= spans; i++) {
        batch.add(
            TestSpans.span(traceId, i, "svc-" + (i % 5), "op-" + (i % 50))
                .parentSpanId(i == 1 ? 0 : i / 2)
                .addAttribute("index", (long) i)
                .addAttribute("http.url", "https://shop.example/items/" + i)
                .build());
      }
      server.store.write(batch);
      for (String path :
          List.of("/api/traces/" + traceId.toHex(), "/api/v2/trace/" + traceId.toHex())) {
        fetch(server, path, 2); // warm up
        long bytes = 0;
        long start = System.nanoTime();
        for (int i = 0; i < fetches; i++) {
          bytes += fetch(server, path, 1);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
            "%-20s %,d spans: %.1f ms per fetch, %.1f MB per trace, %.0f MB/s%n",
            path.startsWith("/api/v2") ? "zipkin trace" : "jaeger trace",
            spans,
            seconds * 1000 / fetches,
            bytes / 1e6 / fetches,
            bytes / 1e6 / seconds);
      }
      QueryStats.CallStats reads = server.api.stats().get(QueryStats.Call.READ_TRACE);
      System.out.printf(
          "store read_trace (less client waits): mean %.1f ms over %d reads%n",
          reads.totalNanos() / 1e6 / reads.count(), reads.count());
    }
  }

  private static long fetch(QueryServer server, String path, int times) throws Exception {
    long bytes = 0;
    for (int i = 0; i < times; i++) {
      HttpResponse<InputStream> response =
          server
              .client()
              .send(
                  HttpRequest.newBuilder(server.uri(path)).build(),
                  HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = body.read(buffer)) > 0) {
          bytes += n;
        }
      }
      if (response.statusCode() != 200) {
        throw new IllegalStateException(path + " answered " + response.statusCode());
      }
    }
    return bytes;
  }
}
