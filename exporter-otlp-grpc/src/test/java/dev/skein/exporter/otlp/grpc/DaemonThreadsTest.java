package dev.skein.exporter.otlp.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonThreadsTest {

  @Test
  void applicationExitsWithoutClosingTheTransport(@TempDir Path directory) throws Exception {
    Path log = directory.resolve("child.log");
    try (TestCollector collector = TestCollector.start()) {
      Process child =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  ExitWithoutClose.class.getName(),
                  collector.endpoint().toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();

      // Generous: the bound only turns a JVM held alive by a non-daemon thread into a failure.
      boolean exited = child.waitFor(120, TimeUnit.SECONDS);
      if (!exited) {
        child.destroyForcibly();
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);

      assertThat(exited).as("the JVM exited; output: %s", output).isTrue();
      assertThat(child.exitValue()).as(output).isZero();
      assertThat(output.strip()).isEqualTo("Accepted");
      assertThat(collector.requests).hasSize(1);
    }
  }
}
