package dev.skein.exporter.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.skein.exporter.RetryPolicy;
import dev.skein.sdk.SkeinSdk;
import dev.skein.sdk.export.BatchSpanProcessor;
import io.opentelemetry.api.trace.Tracer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole path, application to backend, while the backend hangs on every request: the
 * application's threads go on, the queue stays within its bound, and every span is accounted for.
 */
class BackendOutageTest {

  private static final int SPANS = 100_000;
  private static final int QUEUE = 2048;

  @Test
  @Timeout(120) // ending a span must never wait for the backend: a hang here fails the test
  void hangingBackendCostsDroppedSpansNotApplicationThreadsOrMemory() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext(
        "/",
        exchange -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.close();
        });
    server.start();
    try {
      OtlpSpanExporter exporter =
          OtlpSpanExporter.builder()
              .setEndpoint("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces")
              .setTimeout(Duration.ofMillis(100))
              .setRetryPolicy(RetryPolicy.none())
              .build();
      BatchSpanProcessor processor =
          BatchSpanProcessor.builder(exporter)
              .setMaxQueueSize(QUEUE)
              .setScheduleDelay(Duration.ofMillis(5))
              .setExporterTimeout(Duration.ofMillis(300))
              .build();
      SkeinSdk sdk = SkeinSdk.builder().setServiceName("app").addSpanProcessor(processor).build();
      Tracer tracer = sdk.getTracer("outage");

      int highestQueue = 0;
      for (int i = 0; i < SPANS; i++) {
        tracer.spanBuilder("work").startSpan().end();
        if ((i & 1023) == 0) {
          highestQueue = Math.max(highestQueue, processor.queuedSpans());
        }
      }

      assertThat(highestQueue).isLessThanOrEqualTo(QUEUE);
      assertThat(processor.droppedSpans()).isPositive();
      sdk.shutdown().get(60, TimeUnit.SECONDS);
      // Every span is exactly one of: dropped at the queue, exported, or failed.
      assertThat(processor.droppedSpans() + processor.exportedSpans() + processor.failedSpans())
          .isEqualTo(SPANS);
      assertThat(exporter.stats().exportedSpans()).isZero();
      assertThat(exporter.stats().failedSpans()).isPositive();
    } finally {
      release.countDown();
      server.stop(0);
    }
  }
}
