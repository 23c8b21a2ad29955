package dev.skein.exporter.zipkin;

import dev.skein.exporter.Delivery;
import dev.skein.exporter.ExportStats;
import dev.skein.exporter.HttpTransport;
import dev.skein.exporter.RetryPolicy;
import dev.skein.sdk.SpanData;
import dev.skein.sdk.SpanExporter;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;

/**
 * Sends spans to a Zipkin server (or anything that speaks its v2 API) with {@code POST
 * /api/v2/spans}, as JSON or proto3.
 *
 * <pre>{@code
 * SkeinSdk sdk = SkeinSdk.builder()
 *     .setServiceName("checkout")
 *     .addSpanExporter(ZipkinSpanExporter.builder()
 *         .setEndpoint("http://zipkin:9411/api/v2/spans")
 *         .build())
 *     .build();
 * }</pre>
 *
 * A batch is encoded before {@link #export} returns, so the caller may reuse its collection at
 * once; sending, retries (on 429, 502, 503, 504 and connection failures, with backoff) and their
 * accounting in {@link #stats()} happen in the background. A batch the server refuses (such as a
 * 400 for a span it cannot read) fails the returned future with the server's message.
 */
public final class ZipkinSpanExporter implements SpanExporter {

  /** Where a Zipkin server on this machine takes spans. */
  public static final String DEFAULT_ENDPOINT = "http://localhost:9411/api/v2/spans";

  /** The body formats Zipkin's v2 API accepts. */
  public enum Encoding {
    /** {@code application/json}: a JSON list of v2 spans, readable in logs and proxies. */
    JSON(new ZipkinJsonEncoder()),
    /** {@code application/x-protobuf}: zipkin.proto's {@code ListOfSpans}, about half the size. */
    PROTO3(new ZipkinProtoEncoder());

    private final ZipkinEncoder encoder;

    Encoding(ZipkinEncoder encoder) {
      this.encoder = encoder;
    }
  }

  private final URI endpoint;
  private final ZipkinEncoder encoder;
  private final Delivery delivery;

  private ZipkinSpanExporter(Builder builder) {
    this.endpoint = builder.endpoint;
    this.encoder = builder.encoding.encoder;
    HttpTransport.Builder transport =
        HttpTransport.builder(endpoint)
            .contentType(encoder.contentType())
            .headers(builder.headers)
            .compression(builder.compression)
            .timeout(builder.timeout);
    if (builder.sslContext != null) {
      transport.sslContext(builder.sslContext);
    }
    this.delivery =
        Delivery.builder("Zipkin " + endpoint, transport.build())
            .retryPolicy(builder.retryPolicy)
            .build();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public CompletableFuture<Void> export(Collection<SpanData> spans) {
    return delivery.deliver(spans, encoder);
  }

  /** What this exporter sent, had refused, and retried so far. */
  public ExportStats stats() {
    return delivery.stats();
  }

  /** Fails later exports at once and stops retrying; batches already sent are not waited for. */
  @Override
  public CompletableFuture<Void> shutdown() {
    return delivery.shutdown();
  }

  @Override
  public String toString() {
    return "ZipkinSpanExporter{" + endpoint + ", " + encoder.contentType() + '}';
  }

  /** Configures a {@link ZipkinSpanExporter}. */
  public static final class Builder {
    private URI endpoint = URI.create(DEFAULT_ENDPOINT);
    private Encoding encoding = Encoding.JSON;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String compression = "none";
    private Duration timeout = Duration.ofSeconds(10);
    private SSLContext sslContext;
    private RetryPolicy retryPolicy = RetryPolicy.defaults();

    private Builder() {}

    /**
     * The full URL spans are posted to, path included; default {@value
     * ZipkinSpanExporter#DEFAULT_ENDPOINT}.
     *
     * @throws IllegalArgumentException unless an {@code http} or {@code https} URL with a host
     */
    public Builder setEndpoint(String endpoint) {
      Objects.requireNonNull(endpoint, "endpoint");
      try {
        return setEndpoint(new URI(endpoint.strip()));
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("not a usable URL: '" + endpoint + "'", e);
      }
    }

    /** See {@link #setEndpoint(String)}. */
    public Builder setEndpoint(URI endpoint) {
      Objects.requireNonNull(endpoint, "endpoint");
      String scheme = endpoint.getScheme();
      if (!"http".equals(scheme) && !"https".equals(scheme) || endpoint.getHost() == null) {
        throw new IllegalArgumentException(
            "endpoint must be an http:// or https:// URL with a host, was " + endpoint);
      }
      this.endpoint = endpoint;
      return this;
    }

    /** JSON (the default) or PROTO3. */
    public Builder setEncoding(Encoding encoding) {
      this.encoding = Objects.requireNonNull(encoding, "encoding");
      return this;
    }

    /** A header sent with every request, such as an authorization token for a proxy. */
    public Builder addHeader(String name, String value) {
      headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    public Builder addHeaders(Map<String, String> headers) {
      headers.forEach(this::addHeader);
      return this;
    }

    /** {@code gzip} or {@code none} (the default); Zipkin reads gzip bodies. */
    public Builder setCompression(String compression) {
      String value = Objects.requireNonNull(compression, "compression").strip();
      if (!value.equalsIgnoreCase("gzip") && !value.equalsIgnoreCase("none")) {
        throw new IllegalArgumentException(
            "compression must be gzip or none, was '" + compression + "'");
      }
      this.compression = value;
      return this;
    }

    /** How long one request may take, connecting included; default 10 s. */
    public Builder setTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /** The TLS setup for an {@code https} endpoint; the JDK's default trust when not set. */
    public Builder setSslContext(SSLContext sslContext) {
      this.sslContext = sslContext;
      return this;
    }

    /** When to retry a batch; default {@link RetryPolicy#defaults()}. */
    public Builder setRetryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
      return this;
    }

    public ZipkinSpanExporter build() {
      return new ZipkinSpanExporter(this);
    }
  }
}
