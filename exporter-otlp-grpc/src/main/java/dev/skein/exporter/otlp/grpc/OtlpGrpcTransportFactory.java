package dev.skein.exporter.otlp.grpc;

import dev.skein.exporter.Transport;
import dev.skein.exporter.otlp.GrpcTransportFactory;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * Gives the OTLP exporter its gRPC transport, found through {@link java.util.ServiceLoader} when
 * this module is on the classpath: {@code OtlpSpanExporter.builder().setProtocol(GRPC)} and {@code
 * OTEL_EXPORTER_OTLP_PROTOCOL=grpc} then work.
 */
public final class OtlpGrpcTransportFactory implements GrpcTransportFactory {

  /** For {@link java.util.ServiceLoader}. */
  public OtlpGrpcTransportFactory() {}

  @Override
  public Transport create(
      URI endpoint,
      Map<String, String> headers,
      String compression,
      Duration timeout,
      SSLContext sslContext) {
    GrpcTransport.Builder builder =
        GrpcTransport.builder(endpoint).headers(headers).compression(compression).timeout(timeout);
    // A certificate configured for every exporter means nothing to a plain-text endpoint.
    if (sslContext != null && "https".equals(endpoint.getScheme())) {
      builder.sslContext(sslContext);
    }
    return builder.build();
  }
}
