package dev.skein.exporter.otlp;

import dev.skein.exporter.ExporterSettings;
import dev.skein.sdk.SpanExporter;
import dev.skein.sdk.SpanExporterProvider;
import java.net.URI;
import java.time.Duration;
import java.util.function.Function;

/**
 * Makes the exporter for {@code OTEL_TRACES_EXPORTER=otlp} from the standard variables. Each {@code
 * OTEL_EXPORTER_OTLP_TRACES_*} variable wins over its {@code OTEL_EXPORTER_OTLP_*} twin: {@code
 * PROTOCOL} ({@code http/protobuf} by default, {@code http/json}, {@code grpc}), {@code ENDPOINT},
 * {@code HEADERS}, {@code COMPRESSION}, {@code TIMEOUT} (ms) and {@code CERTIFICATE} (a PEM file to
 * trust).
 *
 * <p>As the specification says, the signal-specific endpoint is used as given, while the general
 * one is a base URL to which HTTP appends {@code /v1/traces}.
 */
public final class OtlpExporterProvider implements SpanExporterProvider {

  private static final String PREFIX = "OTEL_EXPORTER_OTLP_";
  private static final String TRACES = "OTEL_EXPORTER_OTLP_TRACES_";

  /** For {@link java.util.ServiceLoader}. */
  public OtlpExporterProvider() {}

  @Override
  public String name() {
    return "otlp";
  }

  @Override
  public SpanExporter create(Function<String, String> config) {
    ExporterSettings settings = new ExporterSettings(config);
    OtlpProtocol protocol = protocol(settings);
    OtlpSpanExporter.Builder builder =
        OtlpSpanExporter.builder()
            .setProtocol(protocol)
            .setEndpoint(endpoint(settings, protocol))
            .setCompression(
                settings.compression("none", TRACES + "COMPRESSION", PREFIX + "COMPRESSION"))
            .setTimeout(
                settings.millis(Duration.ofSeconds(10), TRACES + "TIMEOUT", PREFIX + "TIMEOUT"))
            .setSslContext(
                settings.trustedCertificates(TRACES + "CERTIFICATE", PREFIX + "CERTIFICATE"));
    // General headers first, so a signal-specific header of the same name replaces them.
    settings.headers(PREFIX + "HEADERS").forEach(builder::addHeader);
    settings.headers(TRACES + "HEADERS").forEach(builder::addHeader);
    return builder.build();
  }

  private static OtlpProtocol protocol(ExporterSettings settings) {
    String name = settings.get(TRACES + "PROTOCOL", PREFIX + "PROTOCOL");
    if (name == null) {
      return OtlpProtocol.HTTP_PROTOBUF;
    }
    try {
      return OtlpProtocol.fromConfigName(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(PREFIX + "PROTOCOL: " + e.getMessage(), e);
    }
  }

  static URI endpoint(ExporterSettings settings, OtlpProtocol protocol) {
    URI exact = settings.uri(null, TRACES + "ENDPOINT");
    if (exact != null) {
      return exact;
    }
    URI base = settings.uri(null, PREFIX + "ENDPOINT");
    if (base == null) {
      return OtlpSpanExporter.defaultEndpoint(protocol);
    }
    if (protocol == OtlpProtocol.GRPC) {
      return base;
    }
    String text = base.toString();
    return URI.create((text.endsWith("/") ? text : text + "/") + "v1/traces");
  }
}
