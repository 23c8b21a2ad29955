package dev.skein.exporter.otlp;

import dev.skein.exporter.Delivery;
import dev.skein.exporter.ExportStats;
import dev.skein.exporter.HttpTransport;
import dev.skein.exporter.PartialSuccess;
import dev.skein.exporter.RetryPolicy;
import dev.skein.exporter.SpanEncoder;
import dev.skein.exporter.Transport;
import dev.skein.sdk.SpanData;
import dev.skein.sdk.SpanExporter;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;

/**
 * Sends spans to any OTLP backend (Skein's server, an OpenTelemetry Collector, Jaeger, Tempo) over
 * HTTP with protobuf or JSON, or over gRPC.
 *
 * <pre>{@code
 * OtlpSpanExporter exporter =
 *     OtlpSpanExporter.builder()
 *         .setEndpoint("https://collector.example:4318/v1/traces")
 *         .addHeader("authorization", "Bearer " + token)
 *         .setCompression("gzip")
 *         .build();
 * SkeinSdk sdk = SkeinSdk.builder().addSpanExporter(exporter).build();
 * }</pre>
 *
 * <p>Each batch is encoded on the calling (export) thread into a reused buffer, then sent
 * asynchronously; failures are retried as OTLP prescribes and counted in {@link #stats()}.
 */
public final class OtlpSpanExporter implements SpanExporter {

  private final OtlpProtocol protocol;
  private final URI endpoint;
  private final SpanEncoder encoder;
  private final Delivery delivery;

  private OtlpSpanExporter(Builder builder) {
    this.protocol = builder.protocol;
    this.endpoint = builder.endpoint != null ? builder.endpoint : defaultEndpoint(protocol);
    Transport transport;
    PartialSuccess.Reader reader;
    if (protocol == OtlpProtocol.HTTP_JSON) {
      encoder = new OtlpJsonEncoder();
      transport = httpTransport(builder, "application/json", OtlpResponses::errorMessageFromJson);
      reader = OtlpResponses::partialSuccessFromJson;
    } else {
      encoder = new OtlpProtoEncoder();
      reader = OtlpResponses::partialSuccessFromProtobuf;
      transport =
          protocol == OtlpProtocol.GRPC
              ? grpcTransport(builder)
              : httpTransport(
                  builder, "application/x-protobuf", OtlpResponses::errorMessageFromProtobuf);
    }
    this.delivery =
        Delivery.builder("OTLP " + protocol.configName() + " " + endpoint, transport)
            .retryPolicy(builder.retryPolicy)
            .responseReader(reader)
            .build();
  }

  public static Builder builder() {
    return new Builder();
  }

  static URI defaultEndpoint(OtlpProtocol protocol) {
    String base = "http://localhost:" + protocol.defaultPort();
    return URI.create(protocol == OtlpProtocol.GRPC ? base : base + "/v1/traces");
  }

  private Transport httpTransport(
      Builder builder,
      String contentType,
      java.util.function.Function<byte[], String> errorMessages) {
    return HttpTransport.builder(endpoint)
        .contentType(contentType)
        .headers(builder.headers)
        .compression(builder.compression)
        .timeout(builder.timeout)
        .sslContext(builder.sslContext)
        .errorMessageReader(errorMessages)
        .build();
  }

  private Transport grpcTransport(Builder builder) {
    for (GrpcTransportFactory factory : ServiceLoader.load(GrpcTransportFactory.class)) {
      return factory.create(
          endpoint, builder.headers, builder.compression, builder.timeout, builder.sslContext);
    }
    throw new IllegalStateException(
        "OTLP over gRPC needs the skein-exporter-otlp-grpc module on the classpath;"
            + " add it, or use the http/protobuf protocol");
  }

  @Override
  public CompletableFuture<Void> export(Collection<SpanData> spans) {
    return delivery.deliver(spans, encoder);
  }

  /** Counters of exported, rejected, failed and retried spans. */
  public ExportStats stats() {
    return delivery.stats();
  }

  @Override
  public CompletableFuture<Void> shutdown() {
    return delivery.shutdown();
  }

  @Override
  public String toString() {
    return "OtlpSpanExporter{" + protocol.configName() + " " + endpoint + '}';
  }

  /** Configures an {@link OtlpSpanExporter}. */
  public static final class Builder {
    private OtlpProtocol protocol = OtlpProtocol.HTTP_PROTOBUF;
    private URI endpoint;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String compression = "none";
    private Duration timeout = Duration.ofSeconds(10);
    private SSLContext sslContext;
    private RetryPolicy retryPolicy = RetryPolicy.defaults();

    private Builder() {}

    /** Default {@link OtlpProtocol#HTTP_PROTOBUF}. */
    public Builder setProtocol(OtlpProtocol protocol) {
      this.protocol = Objects.requireNonNull(protocol, "protocol");
      return this;
    }

    /**
     * Where to send: for HTTP the full URL ({@code http://localhost:4318/v1/traces} by default),
     * for gRPC the server's {@code http://host:port} or {@code https://host:port} ({@code
     * http://localhost:4317} by default).
     */
    public Builder setEndpoint(String endpoint) {
      return setEndpoint(URI.create(endpoint));
    }

    public Builder setEndpoint(URI endpoint) {
      String scheme = endpoint.getScheme();
      if (!"http".equals(scheme) && !"https".equals(scheme) || endpoint.getHost() == null) {
        throw new IllegalArgumentException(
            "endpoint must be an http:// or https:// URL with a host, was " + endpoint);
      }
      this.endpoint = endpoint;
      return this;
    }

    /** A header (gRPC metadata) sent with every request, such as an authorization token. */
    public Builder addHeader(String name, String value) {
      headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** {@code gzip} or {@code none} (the default). */
    public Builder setCompression(String compression) {
      String c = compression.strip().toLowerCase(java.util.Locale.ROOT);
      if (!c.equals("gzip") && !c.equals("none")) {
        throw new IllegalArgumentException(
            "compression must be gzip or none, was '" + compression + "'");
      }
      this.compression = c;
      return this;
    }

    /** How long one request may take (default 10 s); retries get their own. */
    public Builder setTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /** TLS for {@code https} endpoints; the JDK's default trust when not set. */
    public Builder setSslContext(SSLContext sslContext) {
      this.sslContext = sslContext;
      return this;
    }

    /** Default {@link RetryPolicy#defaults()}; {@link RetryPolicy#none()} turns retries off. */
    public Builder setRetryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
      return this;
    }

    /**
     * @throws IllegalStateException for gRPC without the gRPC module on the classpath
     */
    public OtlpSpanExporter build() {
      return new OtlpSpanExporter(this);
    }
  }
}
