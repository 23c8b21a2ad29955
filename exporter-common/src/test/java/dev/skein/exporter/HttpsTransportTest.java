package dev.skein.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An https backend with a self-signed certificate made by the JDK's keytool, trusted the way a user
 * configures it: a PEM file named by {@code OTEL_EXPORTER_OTLP_CERTIFICATE}.
 */
class HttpsTransportTest {

  private static final String PASSWORD = "changeit";

  @TempDir static Path directory;
  private static Path certificatePem;
  private static HttpsServer server;
  private static final List<byte[]> received = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startHttpsServer() throws Exception {
    Path keyStoreFile = directory.resolve("backend.p12");
    certificatePem = directory.resolve("backend.pem");
    keytool(
        "-genkeypair",
        "-alias",
        "backend",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=backend",
        "-ext",
        "san=ip:127.0.0.1",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        keyStoreFile.toString(),
        "-storepass",
        PASSWORD);
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "backend",
        "-keystore",
        keyStoreFile.toString(),
        "-storepass",
        PASSWORD,
        "-file",
        certificatePem.toString());

    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStoreFile)) {
      keyStore.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(keyStore, PASSWORD.toCharArray());
    SSLContext serverTls = SSLContext.getInstance("TLS");
    serverTls.init(keys.getKeyManagers(), null, null);

    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
    server.createContext(
        "/",
        exchange -> {
          received.add(exchange.getRequestBody().readAllBytes());
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
  }

  private static void keytool(String... arguments) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(arguments));
    Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(keytool.getInputStream().readAllBytes());
    assertThat(keytool.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as(output).isZero();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  private static URI endpoint() {
    return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces");
  }

  @Test
  void certificateFromTheSettingIsTrusted() throws Exception {
    SSLContext trust =
        new ExporterSettings(Map.of("CERT", certificatePem.toString())::get)
            .trustedCertificates("CERT");
    Transport transport = HttpTransport.builder(endpoint()).sslContext(trust).build();

    Attempt attempt = transport.send(new byte[] {1, 2, 3}).get(30, TimeUnit.SECONDS);

    assertThat(attempt).isInstanceOf(Attempt.Accepted.class);
    assertThat(received).anySatisfy(body -> assertThat(body).containsExactly(1, 2, 3));
  }

  @Test
  void unknownCertificateIsNotTrusted() throws Exception {
    int before = received.size();
    Transport transport = HttpTransport.builder(endpoint()).build(); // the JDK's default trust

    Attempt attempt = transport.send(new byte[] {9}).get(30, TimeUnit.SECONDS);

    assertThat(attempt).isInstanceOf(Attempt.Retryable.class);
    assertThat(((Attempt.Retryable) attempt).reason()).startsWith("cannot reach");
    assertThat(received).hasSize(before);
  }
}
