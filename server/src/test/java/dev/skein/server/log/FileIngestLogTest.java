package dev.skein.server.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileIngestLogTest {
  @TempDir Path dir;

  private static byte[] payload(long i) {
    // Lengths vary (0..99 bytes of padding) so frames do not line up with segment sizes.
    return ("record-" + i + "-" + "x".repeat((int) (i * 7 % 100))).getBytes(StandardCharsets.UTF_8);
  }

  private static List<IngestLog.Record> readAll(IngestLog log, long from) throws IOException {
    List<IngestLog.Record> records = new ArrayList<>();
    long next = from;
    while (true) {
      long after = log.read(next, 1000, records::add);
      if (after == next) {
        return records;
      }
      next = after;
    }
  }

  private static List<Path> segmentFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".log")).sorted().toList();
    }
  }

  private static void appendAll(IngestLog log, int from, int count) {
    List<CompletableFuture<Long>> futures = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      futures.add(log.append(payload(i)));
    }
    for (int i = 0; i < count; i++) {
      assertThat(futures.get(i).join()).isEqualTo(from + i);
    }
  }

  @Test
  void readsBackWhatWasAppendedWithDenseOffsetsAcrossSegments() throws IOException {
    FileIngestLog.Options options = FileIngestLog.Options.defaults().withSegmentBytes(4096);
    try (FileIngestLog log = FileIngestLog.open(dir, options)) {
      appendAll(log, 0, 1000);
      assertThat(log.segmentCount()).isGreaterThan(10);
      assertThat(log.endOffset()).isEqualTo(1000);

      List<IngestLog.Record> records = readAll(log, 0);
      assertThat(records).hasSize(1000);
      for (int i = 0; i < 1000; i++) {
        assertThat(records.get(i).offset()).isEqualTo(i);
        assertThat(records.get(i).payload()).isEqualTo(payload(i));
      }
      // Starting in the middle of a segment, and stopping at maxRecords.
      List<IngestLog.Record> some = new ArrayList<>();
      assertThat(log.read(517, 3, some::add)).isEqualTo(520);
      assertThat(some).extracting(IngestLog.Record::offset).containsExactly(517L, 518L, 519L);
      assertThat(log.read(1000, 10, some::add)).isEqualTo(1000);
      assertThat(log.stats().appends()).isEqualTo(1000);
    }
    for (Path file : segmentFiles(dir)) {
      assertThat(Files.size(file)).isLessThanOrEqualTo(4096);
    }
    // Reopened, everything is still there and appends go on from 1000.
    try (FileIngestLog log = FileIngestLog.open(dir, options)) {
      assertThat(log.endOffset()).isEqualTo(1000);
      assertThat(log.append(payload(1000)).join()).isEqualTo(1000);
      List<IngestLog.Record> records = readAll(log, 990);
      assertThat(records).extracting(IngestLog.Record::offset).startsWith(990L).endsWith(1000L);
      assertThat(records.get(10).payload()).isEqualTo(payload(1000));
    }
  }

  @Test
  void commitDeletesWholeSegmentsBeforeItAndIsRemembered() throws IOException {
    FileIngestLog.Options options = FileIngestLog.Options.defaults().withSegmentBytes(4096);
    try (FileIngestLog log = FileIngestLog.open(dir, options)) {
      appendAll(log, 0, 1000);
      int before = segmentFiles(dir).size();
      long backlogBefore = log.backlogBytes();
      log.commit(600);
      assertThat(log.committedOffset()).isEqualTo(600);
      assertThat(segmentFiles(dir).size()).isLessThan(before).isEqualTo(log.segmentCount());
      // The segment holding 601 stays, and nothing later is gone.
      assertThat(log.firstOffset()).isLessThanOrEqualTo(601).isGreaterThan(500);
      assertThat(readAll(log, 601)).hasSize(399);
      assertThat(log.backlogBytes()).isLessThan(backlogBefore).isPositive();
      assertThatThrownBy(() -> log.read(0, 10, r -> {}))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> log.commit(1000)).isInstanceOf(IllegalArgumentException.class);
      log.commit(10); // behind the commit point: nothing happens
      assertThat(log.committedOffset()).isEqualTo(600);
    }
    try (FileIngestLog log = FileIngestLog.open(dir, options)) {
      assertThat(log.committedOffset()).isEqualTo(600);
      assertThat(readAll(log, log.committedOffset() + 1).get(0).payload()).isEqualTo(payload(601));
      log.commit(999);
      assertThat(log.backlogBytes()).isZero();
      assertThat(log.segmentCount()).isEqualTo(1);
    }
  }

  @Test
  void manyAppendsShareOneFsync() throws Exception {
    int threads = 8;
    int perThread = 2500;
    try (FileIngestLog log = FileIngestLog.open(dir, FileIngestLog.Options.defaults())) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<List<CompletableFuture<Long>>>> work = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        work.add(
            pool.submit(
                () -> {
                  List<CompletableFuture<Long>> futures = new ArrayList<>();
                  for (int i = 0; i < perThread; i++) {
                    futures.add(log.append(payload(thread * perThread + i)));
                  }
                  return futures;
                }));
      }
      List<Long> offsets = new ArrayList<>();
      for (Future<List<CompletableFuture<Long>>> w : work) {
        for (CompletableFuture<Long> f : w.get()) {
          offsets.add(f.join());
        }
      }
      pool.shutdown();
      int total = threads * perThread;
      assertThat(offsets).doesNotHaveDuplicates().hasSize(total);
      assertThat(offsets).allMatch(o -> o >= 0 && o < total);
      FileIngestLog.Stats stats = log.stats();
      assertThat(stats.appends()).isEqualTo(total);
      assertThat(stats.fsyncs()).isPositive().isLessThan(total / 4);
      assertThat(readAll(log, 0)).hasSize(total);
    }
  }

  @Test
  void refusesAppendsWhenTheBacklogIsFullUntilCommit() throws IOException {
    FileIngestLog.Options options = FileIngestLog.Options.defaults().withMaxBacklogBytes(1000);
    try (FileIngestLog log = FileIngestLog.open(dir, options)) {
      byte[] record = new byte[92]; // 100 bytes with its header
      for (int i = 0; i < 10; i++) {
        assertThat(log.append(record).join()).isEqualTo(i);
      }
      assertThat(log.backlogBytes()).isEqualTo(1000);
      CompletableFuture<Long> refused = log.append(record);
      assertThat(refused).isCompletedExceptionally();
      assertThatThrownBy(refused::join)
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(LogFullException.class);
      assertThat(log.stats().rejected()).isEqualTo(1);

      log.commit(4);
      assertThat(log.backlogBytes()).isEqualTo(500);
      assertThat(log.append(record).join()).isEqualTo(10);
    }
  }

  @Test
  void refusesRecordsLargerThanASegment() throws IOException {
    FileIngestLog.Options options = FileIngestLog.Options.defaults().withSegmentBytes(100);
    try (FileIngestLog log = FileIngestLog.open(dir, options)) {
      assertThatThrownBy(() -> log.append(new byte[93]))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(log.append(new byte[92]).join()).isZero();
      assertThat(log.append(new byte[0]).join()).isEqualTo(1);
      assertThat(readAll(log, 0)).extracting(r -> r.payload().length).containsExactly(92, 0);
    }
  }

  @Test
  void appendsAfterCloseFail() throws IOException {
    FileIngestLog log = FileIngestLog.open(dir, FileIngestLog.Options.defaults());
    CompletableFuture<Long> beforeClose = log.append(payload(0));
    log.close();
    assertThat(beforeClose.join()).isZero();
    assertThatThrownBy(() -> log.append(payload(1)).join()).hasCauseInstanceOf(IOException.class);
    log.close();
  }

  @Test
  void recoversEveryWholeRecordBeforeATornTail() throws IOException {
    try (FileIngestLog log = FileIngestLog.open(dir, FileIngestLog.Options.defaults())) {
      appendAll(log, 0, 50);
    }
    Path segment = segmentFiles(dir).get(0);
    long whole = Files.size(segment);
    int lastFrame = Frames.HEADER_BYTES + payload(49).length;
    try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      channel.truncate(whole - lastFrame / 2); // a crash in the middle of the last write
    }
    try (FileIngestLog log = FileIngestLog.open(dir, FileIngestLog.Options.defaults())) {
      assertThat(log.endOffset()).isEqualTo(49);
      assertThat(Files.size(segment)).isEqualTo(whole - lastFrame);
      assertThat(log.append(payload(4900)).join()).isEqualTo(49);
      List<IngestLog.Record> records = readAll(log, 0);
      assertThat(records).hasSize(50);
      assertThat(records.get(48).payload()).isEqualTo(payload(48));
      assertThat(records.get(49).payload()).isEqualTo(payload(4900));
    }
  }

  @Test
  void recoversFromGarbageAndZerosAfterTheLastRecord() throws IOException {
    try (FileIngestLog log = FileIngestLog.open(dir, FileIngestLog.Options.defaults())) {
      appendAll(log, 0, 20);
    }
    Path segment = segmentFiles(dir).get(0);
    long whole = Files.size(segment);
    Files.write(segment, new byte[4096], StandardOpenOption.APPEND); // zero-filled blocks
    try (FileIngestLog log = FileIngestLog.open(dir, FileIngestLog.Options.defaults())) {
      assertThat(log.endOffset()).isEqualTo(20);
      assertThat(Files.size(segment)).isEqualTo(whole);
    }
    byte[] garbage = new byte[300];
    new java.util.Random(42).nextBytes(garbage);
    Files.write(segment, garbage, StandardOpenOption.APPEND);
    try (FileIngestLog log = FileIngestLog.open(dir, FileIngestLog.Options.defaults())) {
      assertThat(log.endOffset()).isEqualTo(20);
      assertThat(log.append(payload(20)).join()).isEqualTo(20);
      assertThat(readAll(log, 0))
          .extracting(r -> new String(r.payload(), StandardCharsets.UTF_8))
          .endsWith(new String(payload(19), StandardCharsets.UTF_8), "record-20-" + "x".repeat(40));
    }
  }

  @Test
  void corruptionInsideASealedSegmentStopsReadingThereAndNamesTheSpot() throws IOException {
    FileIngestLog.Options options = FileIngestLog.Options.defaults().withSegmentBytes(4096);
    try (FileIngestLog log = FileIngestLog.open(dir, options)) {
      appendAll(log, 0, 300);
    }
    Path first = segmentFiles(dir).get(0);
    long badAt;
    try (FileChannel channel =
        FileChannel.open(first, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      // Flip one payload byte of the fourth record.
      long position = 0;
      for (int i = 0; i < 3; i++) {
        position += Frames.HEADER_BYTES + payload(i).length;
      }
      badAt = position;
      ByteBuffer one = ByteBuffer.allocate(1);
      channel.read(one, position + Frames.HEADER_BYTES + 2);
      one.flip();
      byte flipped = (byte) (one.get(0) ^ 0x40);
      channel.write(ByteBuffer.wrap(new byte[] {flipped}), position + Frames.HEADER_BYTES + 2);
    }
    try (FileIngestLog log = FileIngestLog.open(dir, options)) {
      assertThat(log.endOffset()).isEqualTo(300); // the sealed segment is not cut
      List<IngestLog.Record> given = new ArrayList<>();
      assertThatThrownBy(() -> log.read(0, 100, given::add))
          .isInstanceOfSatisfying(
              CorruptLogException.class,
              e -> {
                assertThat(e.file()).isEqualTo(first);
                assertThat(e.position()).isEqualTo(badAt);
                assertThat(e)
                    .hasMessageContaining(first.toString())
                    .hasMessageContaining("checksum");
              });
      assertThat(given).allSatisfy(r -> assertThat(r.payload()).isEqualTo(payload(r.offset())));
      // Later segments are still readable.
      Path second = segmentFiles(dir).get(1);
      long secondFirst = Long.parseLong(second.getFileName().toString().substring(0, 20));
      assertThat(readAll(log, secondFirst)).hasSize((int) (300 - secondFirst));
    }
  }

  @Test
  void recordsLargerThanTheWriteBufferRoundTrip() throws IOException {
    byte[] large = new byte[3 << 20];
    new java.util.Random(7).nextBytes(large);
    try (FileIngestLog log = FileIngestLog.open(dir, FileIngestLog.Options.defaults())) {
      CompletableFuture<Long> small = log.append(payload(0));
      CompletableFuture<Long> big = log.append(large);
      CompletableFuture<Long> after = log.append(payload(2));
      assertThat(List.of(small.join(), big.join(), after.join())).containsExactly(0L, 1L, 2L);
      List<IngestLog.Record> records = readAll(log, 0);
      assertThat(records.get(0).payload()).isEqualTo(payload(0));
      assertThat(records.get(1).payload()).isEqualTo(large);
      assertThat(records.get(2).payload()).isEqualTo(payload(2));
    }
  }

  @Test
  void aSealedSegmentWithFewerRecordsThanItsSuccessorClaimsIsReported() throws IOException {
    FileIngestLog.Options options = FileIngestLog.Options.defaults().withSegmentBytes(4096);
    try (FileIngestLog log = FileIngestLog.open(dir, options)) {
      appendAll(log, 0, 100);
    }
    List<Path> files = segmentFiles(dir);
    Path second = files.get(1);
    long secondFirst = Long.parseLong(second.getFileName().toString().substring(0, 20));
    // As if records had gone missing between the two files.
    Files.move(second, dir.resolve(String.format("%020d.log", secondFirst + 5)));
    try (FileIngestLog log = FileIngestLog.open(dir, options)) {
      assertThatThrownBy(() -> log.read(0, 1000, r -> {}))
          .isInstanceOf(CorruptLogException.class)
          .hasMessageContaining(files.get(0).toString())
          .hasMessageContaining("next segment starts at " + (secondFirst + 5));
    }
  }

  @Test
  void optionsRejectNonsense() {
    assertThatThrownBy(() -> FileIngestLog.Options.defaults().withSegmentBytes(10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FileIngestLog.Options.defaults().withMaxPendingBytes(0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
