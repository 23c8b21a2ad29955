package dev.skein.storage.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skein.storage.Span;
import dev.skein.storage.SpanStore;
import dev.skein.storage.TraceQuery;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDB;

/**
 * Kills a writing JVM with SIGKILL and checks that what it synced is all there, and that every
 * write is there whole or not at all.
 */
class CrashRecoveryTest {
  @TempDir Path dir;

  @Test
  void everySyncedWriteSurvivesAKill() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath =
        String.join(
            File.pathSeparator,
            codeLocation(CrashSpanWriter.class),
            codeLocation(RocksSpanStore.class),
            codeLocation(Span.class),
            codeLocation(RocksDB.class));
    Process child =
        new ProcessBuilder(
                java, "-Xmx256m", "-cp", classpath, CrashSpanWriter.class.getName(), dir.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    int synced = -1;
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
      String line;
      while (synced < 150 && (line = out.readLine()) != null) {
        synced = Integer.parseInt(line.substring("synced ".length()));
      }
      // Killed while it keeps writing: likely between a write and its sync.
      child.destroyForcibly();
      child.waitFor();
    }
    assertThat(synced).isGreaterThanOrEqualTo(150);

    try (SpanStore store = RocksSpanStore.open(dir, RocksSpanStore.Options.defaults())) {
      int present = 0;
      for (int batch = 0; ; batch++) {
        List<Span> expected = CrashSpanWriter.batch(batch);
        int traces = 0;
        for (int t = 0; t < CrashSpanWriter.TRACES_PER_BATCH; t++) {
          List<Span> trace = store.trace(CrashSpanWriter.traceId(batch, t));
          if (!trace.isEmpty()) {
            traces++;
            assertThat(new HashSet<>(trace))
                .isEqualTo(
                    new HashSet<>(
                        expected.subList(
                            t * CrashSpanWriter.SPANS_PER_TRACE,
                            (t + 1) * CrashSpanWriter.SPANS_PER_TRACE)));
          }
        }
        if (batch <= synced) {
          assertThat(traces).as("traces of synced batch %d", batch).isEqualTo(20);
        } else {
          assertThat(traces).as("traces of batch %d, a write in one piece", batch).isIn(0, 20);
        }
        if (traces == 0) {
          break;
        }
        present = batch + 1;
        if (batch % 10 == 0) {
          TraceQuery byBatch =
              new TraceQuery(
                  "svc1",
                  null,
                  Map.of("batch", Integer.toString(batch)),
                  0,
                  Long.MAX_VALUE,
                  0,
                  Long.MAX_VALUE,
                  100);
          assertThat(store.findTraceIds(byBatch)).hasSize(CrashSpanWriter.TRACES_PER_BATCH);
        }
      }
      assertThat(present).isGreaterThan(synced);
      long metricCount =
          store.metrics("svc1", 0, Long.MAX_VALUE).stream().mapToLong(m -> m.count()).sum();
      assertThat(metricCount).isGreaterThan(synced);

      // And it takes writes again.
      store.write(CrashSpanWriter.batch(present));
      assertThat(store.trace(CrashSpanWriter.traceId(present, 0)))
          .hasSize(CrashSpanWriter.SPANS_PER_TRACE);
    }
  }

  private static String codeLocation(Class<?> type) throws Exception {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }
}
