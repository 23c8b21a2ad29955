package dev.skein.benchmarks.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * Query latency, one query at a time with no load running: the time from sending a GET to having
 * read the whole answer. Every answer is then parsed, outside the timing, to count what it held, so
 * that a fast empty or failing answer cannot pass for a fast query.
 */
final class QueryBench {

  /**
   * One kind of query.
   *
   * @param answered queries that got a 200 with at least one trace
   * @param meanTraces traces per 200 answer
   * @param meanSpans spans per 200 answer
   */
  record Outcome(
      String name,
      String example,
      long[] latencies,
      int answered,
      int total,
      double meanTraces,
      double meanSpans,
      String firstProblem) {
    double latencyMillis(double q) {
      return Quantiles.millis(latencies, q);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  QueryBench(URI base) {
    this.base = base;
  }

  /**
   * Runs {@code warmup} unmeasured then {@code count} measured queries, the i-th being {@code
   * pathAndQuery.apply(i)}.
   */
  Outcome run(String name, int warmup, int count, IntFunction<String> pathAndQuery)
      throws InterruptedException {
    for (int i = 0; i < warmup; i++) {
      get(pathAndQuery.apply(count + i));
    }
    long[] latencies = new long[count];
    int answered = 0;
    long traces = 0;
    long spans = 0;
    int ok = 0;
    String firstProblem = null;
    for (int i = 0; i < count; i++) {
      String query = pathAndQuery.apply(i);
      long start = System.nanoTime();
      HttpResponse<byte[]> response = get(query);
      latencies[i] = System.nanoTime() - start;
      String problem;
      if (response == null) {
        problem = "no answer to " + query;
      } else if (response.statusCode() != 200) {
        problem = "HTTP " + response.statusCode() + " for " + query + ": " + text(response.body());
      } else {
        ok++;
        int[] counted = count(response.body());
        traces += counted[0];
        spans += counted[1];
        problem = counted[0] > 0 ? null : "no trace in the answer to " + query;
        if (problem == null) {
          answered++;
        }
      }
      if (problem != null && firstProblem == null) {
        firstProblem = problem;
      }
    }
    Arrays.sort(latencies);
    return new Outcome(
        name,
        pathAndQuery.apply(0),
        latencies,
        answered,
        count,
        ok == 0 ? 0 : (double) traces / ok,
        ok == 0 ? 0 : (double) spans / ok,
        firstProblem);
  }

  private HttpResponse<byte[]> get(String pathAndQuery) throws InterruptedException {
    try {
      return client.send(
          HttpRequest.newBuilder(base.resolve(pathAndQuery))
              .timeout(Duration.ofSeconds(30))
              .build(),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Traces and spans in an answer: Jaeger's {@code {"data":[{"spans":[...]}]}} or Zipkin's {@code
   * [[span, ...], ...]} (a list of traces) or {@code [span, ...]} (one trace).
   */
  static int[] count(byte[] body) {
    try {
      JsonNode root = JSON.readTree(body);
      JsonNode traces = root.isObject() ? root.path("data") : root;
      if (!traces.isArray()) {
        return new int[] {0, 0};
      }
      if (traces.size() > 0 && traces.get(0).isObject() && !traces.get(0).has("spans")) {
        return new int[] {1, traces.size()}; // Zipkin: one trace, a list of spans
      }
      int spans = 0;
      for (JsonNode trace : traces) {
        spans += trace.isArray() ? trace.size() : trace.path("spans").size();
      }
      return new int[] {traces.size(), spans};
    } catch (IOException e) {
      return new int[] {0, 0};
    }
  }

  private static String text(byte[] body) {
    String s = new String(body, java.nio.charset.StandardCharsets.UTF_8);
    return s.substring(0, Math.min(200, s.length()));
  }
}
