package dev.skein.server.ingest;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import dev.skein.server.log.FileIngestLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Spans per second through OTLP/HTTP end to end: Armeria clients post {@link DecodeThroughput}'s
 * 500-span protobuf request, with a number of requests in flight, to a real server whose sink
 * either completes at once ({@code none}) or appends one record per request to a real {@link
 * FileIngestLog} with fsync ({@code log}). Client and server share the machine, so this understates
 * what the server alone takes.
 *
 * <pre>
 * java -cp ... dev.skein.server.ingest.ReceiverThroughput [none|log] [in flight, 32] [seconds, 10]
 * </pre>
 */
public final class ReceiverThroughput {
  private ReceiverThroughput() {}

  public static void main(String[] args) throws Exception {
    String sinkKind = args.length > 0 ? args[0] : "none";
    int inFlight = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 10;
    byte[] body = DecodeThroughput.realisticRequest(new Random(42)).toByteArray();

    Path dir = Files.createTempDirectory("skein-receiver-throughput");
    try (LogSink logSink = new LogSink(dir, FileIngestLog.Options.defaults())) {
      SpanSink sink =
          sinkKind.equals("log") ? logSink : spans -> CompletableFuture.completedFuture(null);
      // Stands in for the pipeline: commits what was written, so the log never fills up.
      Thread committer =
          new Thread(
              () -> {
                while (!Thread.currentThread().isInterrupted()) {
                  try {
                    Thread.sleep(100);
                    long end = logSink.log().endOffset();
                    if (end > 0) {
                      logSink.log().commit(end - 1);
                    }
                  } catch (InterruptedException e) {
                    return;
                  } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                }
              },
              "committer");
      committer.setDaemon(true);
      committer.start();
      try (TestServer server = new TestServer(sink, ReceiverSettings.defaults())) {
        WebClient client = WebClient.of(server.uri());
        RequestHeaders headers =
            RequestHeaders.builder(HttpMethod.POST, Receivers.OTLP_HTTP_PATH)
                .contentType(MediaType.X_PROTOBUF)
                .build();
        run(client, headers, body, inFlight, seconds / 2); // warm-up
        long before = server.receivers.otlpHttpMetrics().spansAccepted();
        long start = System.nanoTime();
        long failures = run(client, headers, body, inFlight, seconds);
        double elapsed = (System.nanoTime() - start) / 1e9;
        long spans = server.receivers.otlpHttpMetrics().spansAccepted() - before;
        System.out.printf(
            "sink %s, %d requests in flight: %,.0f spans/s accepted (%d failed requests)%n",
            sinkKind, inFlight, spans / elapsed, failures);
      } finally {
        committer.interrupt();
      }
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static long run(
      WebClient client, RequestHeaders headers, byte[] body, int inFlight, double seconds)
      throws InterruptedException {
    Semaphore slots = new Semaphore(inFlight);
    AtomicLong failures = new AtomicLong();
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    while (System.nanoTime() < deadline) {
      slots.acquire();
      CompletableFuture<AggregatedHttpResponse> response =
          client.execute(headers, HttpData.wrap(body)).aggregate();
      response.whenComplete(
          (answer, error) -> {
            if (error != null || answer.status() != HttpStatus.OK) {
              failures.incrementAndGet();
            }
            slots.release();
          });
    }
    slots.acquire(inFlight);
    return failures.get();
  }
}
