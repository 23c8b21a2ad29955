package dev.skein.benchmarks.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server under test in its own JVM: started with a command line, its output going to a log file,
 * ready once a health URL answers 200, measured through {@code /proc}, and stopped with SIGTERM so
 * it can shut down as an operator's stop would.
 */
final class ServerProcess implements AutoCloseable {

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private final String name;
  private final Process process;
  private final Path logFile;
  private final Thread orphanGuard;
  private long peakRssBytes;

  private ServerProcess(String name, Process process, Path logFile) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
    // Should the generator be stopped, the server must not outlive it.
    this.orphanGuard = new Thread(process::destroyForcibly, name + "-stop");
    Runtime.getRuntime().addShutdownHook(orphanGuard);
  }

  /**
   * Starts {@code command} and waits until {@code health} answers 200.
   *
   * @throws IllegalStateException with the end of the server's log if it exits or is not ready
   *     within {@code timeout}
   */
  static ServerProcess start(
      String name,
      List<String> command,
      Map<String, String> environment,
      Path logFile,
      URI health,
      Duration timeout)
      throws IOException, InterruptedException {
    Files.createDirectories(logFile.getParent());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(logFile.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    builder.environment().putAll(environment);
    ServerProcess server = new ServerProcess(name, builder.start(), logFile);
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (!server.process.isAlive()) {
        throw new IllegalStateException(
            name + " exited with " + server.process.exitValue() + server.logTail());
      }
      try {
        HttpResponse<String> response =
            HTTP.send(
                HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return server;
        }
        last = "HTTP " + response.statusCode();
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(200); // polling another process: there is nothing to wait on
    }
    server.close();
    throw new IllegalStateException(
        name + " not ready within " + timeout + " (" + last + ")" + server.logTail());
  }

  /** A port that was free a moment ago on 127.0.0.1, for a child that needs it on its command. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** CPU time the process has used so far, user and system. */
  Duration cpu() {
    return process.info().totalCpuDuration().orElse(Duration.ZERO);
  }

  /**
   * The most memory the process has had resident since it started (VmHWM), in bytes; RocksDB's and
   * Netty's native memory included, which a heap size does not show. Kept after the process exits.
   */
  long peakRssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
        if (line.startsWith("VmHWM:")) {
          String kilobytes = line.substring(6).trim().split("\\s+")[0];
          peakRssBytes = Math.max(peakRssBytes, Long.parseLong(kilobytes) * 1024);
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone or not Linux: keep what was read last
    }
    return peakRssBytes;
  }

  /**
   * SIGTERM, then waits for a graceful exit ({@code timeout}), then kills.
   *
   * @return whether it exited on its own
   */
  boolean stop(Duration timeout) throws InterruptedException {
    peakRssBytes();
    process.destroy();
    boolean graceful = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (!graceful) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    try {
      Runtime.getRuntime().removeShutdownHook(orphanGuard);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down
    }
    return graceful;
  }

  /** The last lines the server printed, for an error message. */
  String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return "; last lines of "
          + logFile
          + ":\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException | RuntimeException e) {
      return "; no log at " + logFile;
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      stop(Duration.ofSeconds(30));
    }
  }
}
