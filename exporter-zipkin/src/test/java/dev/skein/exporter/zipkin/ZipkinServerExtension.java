package dev.skein.exporter.zipkin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs the real Zipkin server (the exec jar Maven copies to {@code target/zipkin-server.jar}) once
 * per test class: in-memory storage, listening on 127.0.0.1 only, on a port the system picks.
 *
 * <p>The server is asked for port 0 and tells which port it got in its "Serving HTTP at" log line,
 * so no other process can take the port between choosing and binding it. Startup waits for that
 * line and then for {@code GET /health} to say UP, both bounded; a server that does not come up
 * fails the class with everything it printed.
 */
final class ZipkinServerExtension implements BeforeAllCallback, AfterAllCallback {

  static final String JAR_PROPERTY = "zipkin.server.jar";

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final Pattern SERVING = Pattern.compile("Serving HTTP at /127\\.0\\.0\\.1:(\\d+)");

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final List<String> output = new ArrayList<>(); // guarded by itself
  private final CompletableFuture<Integer> port = new CompletableFuture<>();
  private Process process;
  private Thread orphanGuard;
  private URI baseUri;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Path jar = serverJar();
    List<String> command =
        List.of(
            javaCommand(),
            // A short-lived test server: quick JIT and a small heap start fastest.
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Xmx256m",
            "-jar",
            jar.toString(),
            "--armeria.ports[0].ip=127.0.0.1");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("STORAGE_TYPE", "mem");
    builder.environment().put("QUERY_PORT", "0");
    builder.environment().put("SELF_TRACING_ENABLED", "false");
    long started = System.nanoTime();
    process = builder.start();
    // Should the test JVM be killed, the server must not outlive it.
    orphanGuard = new Thread(process::destroyForcibly, "zipkin-server-stop");
    Runtime.getRuntime().addShutdownHook(orphanGuard);
    Thread pump = new Thread(this::pumpOutput, "zipkin-server-output");
    pump.setDaemon(true);
    pump.start();

    long deadline = started + STARTUP_TIMEOUT.toNanos();
    int boundPort;
    try {
      boundPort = port.get(remainingNanos(deadline), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      stop();
      throw new IllegalStateException(
          "Zipkin server did not report its port within " + STARTUP_TIMEOUT + describe(), e);
    }
    baseUri = URI.create("http://127.0.0.1:" + boundPort);
    awaitHealthy(deadline);
  }

  private void awaitHealthy(long deadline) throws InterruptedException {
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Zipkin server exited early" + describe());
      }
      try {
        HttpResponse<String> health = get("/health");
        if (health.statusCode() == 200 && health.body().contains("\"UP\"")) {
          return;
        }
        last = "HTTP " + health.statusCode() + ": " + health.body();
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(100); // polling another process: there is nothing to wait on
    }
    stop();
    throw new IllegalStateException(
        "Zipkin server not healthy within " + STARTUP_TIMEOUT + " (" + last + ")" + describe());
  }

  @Override
  public void afterAll(ExtensionContext context) throws InterruptedException {
    stop();
  }

  private void stop() throws InterruptedException {
    if (process == null) {
      return;
    }
    process.destroy();
    if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
    try {
      Runtime.getRuntime().removeShutdownHook(orphanGuard);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down
    }
  }

  private void pumpOutput() {
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        synchronized (output) {
          output.add(line);
        }
        Matcher serving = SERVING.matcher(line);
        if (serving.find()) {
          port.complete(Integer.parseInt(serving.group(1)));
        }
      }
    } catch (IOException e) {
      // the process is gone; what it printed so far is kept
    }
    port.completeExceptionally(new IllegalStateException("Zipkin server output ended"));
  }

  private static Path serverJar() {
    String property = System.getProperty(JAR_PROPERTY);
    if (property == null) {
      throw new IllegalStateException(
          "System property "
              + JAR_PROPERTY
              + " is not set: run these tests through Maven (mvn verify -pl exporter-zipkin),"
              + " which copies the Zipkin server jar and sets it");
    }
    Path jar = Path.of(property);
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("Zipkin server jar not found at " + jar);
    }
    return jar;
  }

  /** The java that runs these tests, so the server needs no other installation. */
  private static String javaCommand() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  private static long remainingNanos(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }

  private String describe() {
    synchronized (output) {
      return "; its output:\n" + String.join("\n", output);
    }
  }

  URI baseUri() {
    return baseUri;
  }

  /** Where spans are posted. */
  URI spansEndpoint() {
    return baseUri.resolve("/api/v2/spans");
  }

  HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(baseUri.resolve(pathAndQuery))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** Zipkin's API, for assertions: the response body of a GET that must succeed. */
  String getOk(String pathAndQuery) {
    try {
      HttpResponse<String> response = get(pathAndQuery);
      if (response.statusCode() != 200) {
        throw new AssertionError(
            "GET " + pathAndQuery + ": HTTP " + response.statusCode() + " " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
