package dev.skein.exporter.otlp;

import java.util.Locale;

/** How OTLP travels: the values of {@code OTEL_EXPORTER_OTLP_PROTOCOL}. */
public enum OtlpProtocol {
  /** Protobuf over HTTP, {@code POST /v1/traces}: the specification's default. */
  HTTP_PROTOBUF("http/protobuf", 4318),
  /** JSON over HTTP, with the OTLP JSON rules (hex ids, integer enums). */
  HTTP_JSON("http/json", 4318),
  /** gRPC; needs the {@code skein-exporter-otlp-grpc} module on the classpath. */
  GRPC("grpc", 4317);

  private final String configName;
  private final int defaultPort;

  OtlpProtocol(String configName, int defaultPort) {
    this.configName = configName;
    this.defaultPort = defaultPort;
  }

  /** The name used in configuration, such as {@code http/protobuf}. */
  public String configName() {
    return configName;
  }

  int defaultPort() {
    return defaultPort;
  }

  /**
   * @throws IllegalArgumentException naming the known protocols when {@code name} is none of them
   */
  public static OtlpProtocol fromConfigName(String name) {
    String wanted = name.strip().toLowerCase(Locale.ROOT);
    for (OtlpProtocol protocol : values()) {
      if (protocol.configName.equals(wanted)) {
        return protocol;
      }
    }
    throw new IllegalArgumentException(
        "unknown OTLP protocol '" + name + "' (known: grpc, http/protobuf, http/json)");
  }
}
