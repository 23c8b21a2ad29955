package dev.skein.server.log;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;

/**
 * Indicative figures for the README, not a benchmark suite: appends per second and records per
 * fsync for a few writer counts, each keeping up to {@code inFlight} appends outstanding.
 *
 * <p>{@code java -cp server/target/classes:server/target/test-classes
 * dev.skein.server.log.AppendThroughput [recordBytes] [seconds]}
 */
public final class AppendThroughput {
  private AppendThroughput() {}

  public static void main(String[] args) throws Exception {
    int recordBytes = args.length > 0 ? Integer.parseInt(args[0]) : 256;
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 3;
    System.out.printf("record %d bytes, %.0f s per row%n", recordBytes, seconds);
    System.out.printf(
        "%8s %9s %14s %16s %10s%n", "threads", "in flight", "appends/s", "records/fsync", "MB/s");
    int[][] rows = {{1, 1}, {1, 64}, {8, 1}, {8, 64}, {64, 1}};
    for (int[] row : rows) {
      run(row[0], row[1], recordBytes, seconds);
    }
  }

  private static void run(int threads, int inFlight, int recordBytes, double seconds)
      throws Exception {
    Path dir = Files.createTempDirectory("skein-log-throughput");
    try (FileIngestLog log = FileIngestLog.open(dir, FileIngestLog.Options.defaults())) {
      long deadline = System.nanoTime() + (long) (seconds * 1e9);
      byte[] payload = new byte[recordBytes];
      List<Thread> writers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Thread writer =
            new Thread(
                () -> {
                  Semaphore window = new Semaphore(inFlight);
                  while (System.nanoTime() < deadline) {
                    window.acquireUninterruptibly();
                    log.append(payload).whenComplete((offset, error) -> window.release());
                  }
                  window.acquireUninterruptibly(inFlight);
                });
        writer.start();
        writers.add(writer);
      }
      long start = System.nanoTime();
      for (Thread writer : writers) {
        writer.join();
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      FileIngestLog.Stats stats = log.stats();
      System.out.printf(
          "%8d %9d %14.0f %16.1f %10.1f%n",
          threads,
          inFlight,
          stats.appends() / elapsed,
          (double) stats.appends() / stats.fsyncs(),
          stats.bytes() / elapsed / 1e6);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
  }
}
