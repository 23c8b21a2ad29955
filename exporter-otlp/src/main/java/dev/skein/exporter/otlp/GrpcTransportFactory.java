package dev.skein.exporter.otlp;

import dev.skein.exporter.Transport;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * Makes the gRPC transport. The {@code skein-exporter-otlp-grpc} module provides it through {@link
 * java.util.ServiceLoader}, so the HTTP exporters do not carry gRPC's dependencies.
 */
public interface GrpcTransportFactory {

  /**
   * @param endpoint {@code http://host:port} for plain text, {@code https://host:port} for TLS
   * @param compression {@code gzip} or {@code none}
   * @param sslContext the TLS setup, or null for the JDK's default trust
   */
  Transport create(
      URI endpoint,
      Map<String, String> headers,
      String compression,
      Duration timeout,
      SSLContext sslContext);
}
