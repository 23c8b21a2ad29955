package dev.skein.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skein.benchmarks.load.TemplatePool.Encoding;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Zipkin JSON path against the real Zipkin server (the exec jar Maven copies to {@code
 * target/zipkin-server.jar}), started the way {@link ServerLoad} starts it: it takes every request,
 * and each sampled trace comes back from its API whole, under its fresh id.
 */
class ZipkinServerTest {

  @TempDir Path logs;

  @Test
  void theZipkinServerTakesTheWorkloadAndReturnsItsTraces() throws Exception {
    Path jar = Path.of(System.getProperty("zipkin.server.jar", "target/zipkin-server.jar"));
    assertThat(jar).as("copied by mvn process-test-resources").isRegularFile();
    int port = ServerProcess.freePort();
    URI base = URI.create("http://127.0.0.1:" + port);
    TemplatePool pool =
        new TemplatePool(3, 4, 10, TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis()));
    try (ServerProcess zipkin =
            ServerProcess.start(
                "zipkin-server",
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1",
                    "-Xmx256m",
                    "-jar",
                    jar.toAbsolutePath().toString(),
                    "--armeria.ports[0].ip=127.0.0.1",
                    "--armeria.ports[0].port=" + port),
                Map.of("STORAGE_TYPE", "mem", "SELF_TRACING_ENABLED", "false"),
                logs.resolve("zipkin.log"),
                base.resolve("/health"),
                Duration.ofSeconds(90));
        Transport transport = HttpTransport.zipkin(base)) {
      TraceIdSample sample = new TraceIdSample(50);
      LoadDriver.Result result =
          new LoadDriver(transport, pool.templates(Encoding.ZIPKIN_JSON), 4, 9, sample)
              .fill(3_000, Duration.ofMinutes(1));
      assertThat(result.refused() + result.failed()).isZero();
      assertThat(result.acceptedSpans()).isGreaterThanOrEqualTo(3_000);
      assertThat(zipkin.peakRssBytes()).isPositive();

      List<String> ids = sample.ids();
      QueryBench.Outcome byId =
          new QueryBench(base)
              .run("trace by id", 0, ids.size(), i -> "/api/v2/trace/" + ids.get(i));
      assertThat(byId.firstProblem()).isNull();
      assertThat(byId.answered()).isEqualTo(ids.size());
      assertThat(byId.meanSpans()).isEqualTo(TraceGenerator.SPANS_PER_TRACE);

      assertThat(zipkin.stop(Duration.ofSeconds(30))).isTrue();
    }
    assertThat(Files.readString(logs.resolve("zipkin.log"))).contains("Serving HTTP");
  }
}
