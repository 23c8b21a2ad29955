package dev.skein.benchmarks.load;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * POSTs bodies with the JDK's HTTP/1.1 client: OTLP protobuf to {@code /v1/traces} or Zipkin JSON
 * to {@code /api/v2/spans}. For OTLP a 200 may carry a partial success, whose rejected spans are
 * not counted as accepted.
 */
final class HttpTransport implements Transport {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final URI uri;
  private final String contentType;
  private final boolean otlp;
  private final ExecutorService executor;
  private final HttpClient client;

  private HttpTransport(URI uri, String contentType, boolean otlp) {
    this.uri = uri;
    this.contentType = contentType;
    this.otlp = otlp;
    // Two threads finish requests: enough for a few hundred answers a second, and the
    // generator stays light beside the server it measures.
    this.executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread thread = new Thread(r, "load-http");
              thread.setDaemon(true);
              return thread;
            });
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(executor)
            .build();
  }

  /** OTLP/HTTP protobuf to {@code baseUri}/v1/traces. */
  static HttpTransport otlp(URI baseUri) {
    return new HttpTransport(baseUri.resolve("/v1/traces"), "application/x-protobuf", true);
  }

  /** Zipkin v2 JSON to {@code baseUri}/api/v2/spans. */
  static HttpTransport zipkin(URI baseUri) {
    return new HttpTransport(baseUri.resolve("/api/v2/spans"), "application/json", false);
  }

  @Override
  public CompletableFuture<Ack> send(byte[] body, int spans) {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(TIMEOUT)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    return client
        .sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .handle(
            (response, error) -> {
              if (error != null) {
                return Ack.failed(error.toString());
              }
              return answer(response, spans);
            });
  }

  private Ack answer(HttpResponse<byte[]> response, int spans) {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      boolean protobuf =
          response.headers().firstValue("Content-Type").orElse("").contains("protobuf");
      return Ack.accepted(spans - (protobuf ? rejectedSpans(response.body()) : 0));
    }
    if (status == 429 || status == 503) {
      return Ack.refused(
          RetryAfter.parseNanos(response.headers().firstValue("Retry-After").orElse(null)),
          "HTTP " + status);
    }
    String text = new String(response.body(), StandardCharsets.UTF_8);
    return Ack.failed("HTTP " + status + " " + text.substring(0, Math.min(200, text.length())));
  }

  private int rejectedSpans(byte[] body) {
    if (!otlp || body.length == 0) {
      return 0;
    }
    try {
      return (int)
          ExportTraceServiceResponse.parseFrom(body).getPartialSuccess().getRejectedSpans();
    } catch (InvalidProtocolBufferException e) {
      return 0; // a 200 that is not a response message still took the spans
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
