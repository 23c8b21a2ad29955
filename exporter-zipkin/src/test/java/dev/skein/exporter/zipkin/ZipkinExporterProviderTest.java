package dev.skein.exporter.zipkin;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skein.sdk.SpanExporter;
import dev.skein.sdk.SpanExporterProvider;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ZipkinExporterProviderTest {

  @Test
  void isFoundByNameThroughServiceLoader() {
    assertThat(ServiceLoader.load(SpanExporterProvider.class))
        .filteredOn(provider -> provider.name().equals("zipkin"))
        .singleElement()
        .isInstanceOf(ZipkinExporterProvider.class);
  }

  @Test
  void defaultsToTheLocalZipkin() {
    SpanExporter exporter = new ZipkinExporterProvider().create(name -> null);

    assertThat(exporter.toString()).contains("http://localhost:9411/api/v2/spans");
  }

  @Test
  void sendsToTheConfiguredEndpoint() throws Exception {
    try (RecordingServer server = new RecordingServer()) {
      Map<String, String> config =
          Map.of(
              "OTEL_EXPORTER_ZIPKIN_ENDPOINT",
              server.uri("/custom/spans").toString(),
              "OTEL_EXPORTER_ZIPKIN_TIMEOUT",
              "2500");
      SpanExporter exporter = new ZipkinExporterProvider().create(config::get);

      exporter.export(List.of(new TestSpan())).get(10, SECONDS);

      assertThat(server.requests())
          .singleElement()
          .extracting(RecordingServer.Request::path)
          .isEqualTo("/custom/spans");
    }
  }

  @Test
  void environmentChoosesZipkin() throws Exception {
    try (RecordingServer server = new RecordingServer()) {
      System.setProperty("otel.traces.exporter", "zipkin");
      System.setProperty("otel.exporter.zipkin.endpoint", server.uri("/api/v2/spans").toString());
      System.setProperty("otel.service.name", "env-service");
      try (dev.skein.sdk.SkeinSdk sdk = dev.skein.sdk.SkeinSdk.fromEnvironment()) {
        sdk.getTracer("env").spanBuilder("from-env").startSpan().end();
        sdk.forceFlush().get(10, SECONDS);
      } finally {
        System.clearProperty("otel.traces.exporter");
        System.clearProperty("otel.exporter.zipkin.endpoint");
        System.clearProperty("otel.service.name");
      }

      assertThat(server.requests()).hasSize(1);
      String body =
          new String(server.requests().get(0).body(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(body)
          .contains("\"name\":\"from-env\"")
          .contains("\"serviceName\":\"env-service\"");
    }
  }

  @Test
  void badValuesNameTheirVariable() {
    ZipkinExporterProvider provider = new ZipkinExporterProvider();

    assertThatThrownBy(() -> provider.create(Map.of("OTEL_EXPORTER_ZIPKIN_TIMEOUT", "10s")::get))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("OTEL_EXPORTER_ZIPKIN_TIMEOUT");
    assertThatThrownBy(
            () -> provider.create(Map.of("OTEL_EXPORTER_ZIPKIN_ENDPOINT", "zipkin:9411")::get))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("OTEL_EXPORTER_ZIPKIN_ENDPOINT");
  }
}
