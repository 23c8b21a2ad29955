package dev.skein.server.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kills a writing JVM with SIGKILL and checks that nothing it was told is durable went missing. */
class CrashRecoveryTest {
  @TempDir Path dir;

  @Test
  void everyAcknowledgedRecordSurvivesAKill() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath =
        codeLocation(CrashWriter.class) + File.pathSeparator + codeLocation(FileIngestLog.class);
    Process child =
        new ProcessBuilder(java, "-cp", classpath, CrashWriter.class.getName(), dir.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    Map<Long, Long> acknowledged = new HashMap<>();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
      String line;
      while (acknowledged.size() < 2000 && (line = out.readLine()) != null) {
        String[] parts = line.split(" ");
        acknowledged.put(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
      }
      // Killed while it keeps appending: likely in the middle of a write.
      child.destroyForcibly();
      child.waitFor();
    }
    assertThat(acknowledged).hasSize(2000);

    try (FileIngestLog log = FileIngestLog.open(dir, FileIngestLog.Options.defaults())) {
      long end = log.endOffset();
      assertThat(end).isGreaterThanOrEqualTo(2000);
      Map<Long, Long> found = new HashMap<>();
      long next = 0;
      while (next < end) {
        next =
            log.read(
                next,
                500,
                record -> found.put(record.offset(), CrashWriter.checksum(record.payload())));
      }
      assertThat(found).hasSize((int) end);
      assertThat(found).containsAllEntriesOf(acknowledged);
      // And the log takes appends again, right after what survived.
      assertThat(log.append(new byte[] {1, 2, 3}).join()).isEqualTo(end);
    }
  }

  private static String codeLocation(Class<?> type) throws Exception {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }
}
