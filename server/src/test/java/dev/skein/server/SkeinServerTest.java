package dev.skein.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SkeinServerTest {
  @TempDir Path dir;
  final HttpClient http = HttpClient.newHttpClient();

  static ServerConfig config(Path dir, ServerConfig.Storage storage) {
    return new ServerConfig(dir, storage, "127.0.0.1", 0, 0, 0, 0, Duration.ofHours(72));
  }

  String get(SkeinServer server, String path) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.uiPort() + path))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    return response.body();
  }

  @Test
  void healthAnswersOnceReadyAndMetricsArePrometheusText() throws Exception {
    try (SkeinServer server = SkeinServer.start(config(dir, ServerConfig.Storage.MEMORY))) {
      assertThat(server.isReady()).isTrue();
      assertThat(get(server, "/health")).isEqualTo("ok\n");
      String metrics = get(server, "/metrics");
      assertThat(metrics)
          .contains("# TYPE skein_ingest_log_appends_total counter")
          .contains("skein_ingest_log_backlog_bytes 0")
          .contains("skein_pipeline_spans_dropped_total{reason=\"trace_span_limit\"} 0");
    }
  }
}
