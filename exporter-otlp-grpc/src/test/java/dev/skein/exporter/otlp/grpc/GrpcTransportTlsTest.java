package dev.skein.exporter.otlp.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skein.exporter.Attempt;
import io.grpc.TlsServerCredentials;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An https endpoint: a collector with a self-signed certificate made by the JDK's keytool. */
class GrpcTransportTlsTest {

  private static final char[] PASSWORD = "changeit".toCharArray();

  @TempDir static Path directory;
  private static KeyStore keyStore;
  private static TestCollector collector;

  @BeforeAll
  static void startTlsCollector() throws Exception {
    Path file = directory.resolve("collector.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "collector",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=collector",
                "-ext",
                "san=ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                file.toString(),
                "-storepass",
                new String(PASSWORD))
            .redirectErrorStream(true)
            .start();
    String output = new String(keytool.getInputStream().readAllBytes());
    assertThat(keytool.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as(output).isZero();

    keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      keyStore.load(in, PASSWORD);
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(keyStore, PASSWORD);
    collector =
        TestCollector.start(
            TlsServerCredentials.newBuilder().keyManager(keys.getKeyManagers()).build());
  }

  @AfterAll
  static void stopCollector() throws Exception {
    collector.close();
  }

  private static URI httpsEndpoint() {
    return URI.create("https://127.0.0.1:" + collector.port());
  }

  @Test
  void trustedCertificateConnects() throws Exception {
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(keyStore);
    SSLContext sslContext = SSLContext.getInstance("TLS");
    sslContext.init(null, trust.getTrustManagers(), null);
    ExportTraceServiceRequest request = GrpcTransportTest.sampleRequest();

    try (GrpcTransport transport =
        GrpcTransport.builder(httpsEndpoint()).sslContext(sslContext).build()) {
      Attempt attempt = transport.send(request.toByteArray()).get(60, TimeUnit.SECONDS);

      assertThat(attempt).isInstanceOf(Attempt.Accepted.class);
      assertThat(collector.nextRequest()).isEqualTo(request);
    }
  }

  @Test
  void untrustedCertificateIsNotAccepted() throws Exception {
    // The JVM's default trust store does not know the self-signed certificate.
    try (GrpcTransport transport = GrpcTransport.builder(httpsEndpoint()).build()) {
      Attempt attempt = transport.send(new byte[0]).get(60, TimeUnit.SECONDS);

      assertThat(attempt).isInstanceOf(Attempt.Retryable.class);
      assertThat(((Attempt.Retryable) attempt).reason()).startsWith("gRPC UNAVAILABLE");
      assertThat(collector.requests).isEmpty();
    }
  }

  @Test
  void plaintextClientCannotTalkToATlsCollector() throws Exception {
    try (GrpcTransport transport =
        GrpcTransport.builder(URI.create("http://127.0.0.1:" + collector.port()))
            .timeout(java.time.Duration.ofSeconds(5))
            .build()) {
      Attempt attempt = transport.send(new byte[0]).get(60, TimeUnit.SECONDS);

      assertThat(attempt).isNotInstanceOf(Attempt.Accepted.class);
      assertThat(collector.requests).isEmpty();
    }
  }
}
