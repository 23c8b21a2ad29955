package dev.skein.exporter.zipkin;

import dev.skein.exporter.ExporterSettings;
import dev.skein.sdk.SpanExporter;
import dev.skein.sdk.SpanExporterProvider;
import java.net.URI;
import java.time.Duration;
import java.util.function.Function;

/**
 * Lets {@code OTEL_TRACES_EXPORTER=zipkin} choose {@link ZipkinSpanExporter}, configured by the
 * variables the OpenTelemetry specification defines for it:
 *
 * <ul>
 *   <li>{@code OTEL_EXPORTER_ZIPKIN_ENDPOINT}: default {@value ZipkinSpanExporter#DEFAULT_ENDPOINT}
 *   <li>{@code OTEL_EXPORTER_ZIPKIN_TIMEOUT}: milliseconds, default 10000
 * </ul>
 *
 * Each may also be given as the matching system property ({@code otel.exporter.zipkin.endpoint}).
 */
public final class ZipkinExporterProvider implements SpanExporterProvider {

  static final String ENDPOINT = "OTEL_EXPORTER_ZIPKIN_ENDPOINT";
  static final String TIMEOUT = "OTEL_EXPORTER_ZIPKIN_TIMEOUT";

  /** Called by {@link java.util.ServiceLoader}. */
  public ZipkinExporterProvider() {}

  @Override
  public String name() {
    return "zipkin";
  }

  @Override
  public SpanExporter create(Function<String, String> config) {
    ExporterSettings settings = new ExporterSettings(config);
    return ZipkinSpanExporter.builder()
        .setEndpoint(settings.uri(URI.create(ZipkinSpanExporter.DEFAULT_ENDPOINT), ENDPOINT))
        .setTimeout(settings.millis(Duration.ofSeconds(10), TIMEOUT))
        .build();
  }
}
