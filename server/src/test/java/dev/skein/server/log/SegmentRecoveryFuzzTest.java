package dev.skein.server.log;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Whatever bytes a segment file holds, opening and reading the log either gives records that are
 * whole, checksummed frames of those bytes, in order from the start, or a {@link
 * CorruptLogException} (only for a sealed segment: the last one is cut back instead). Nothing else.
 */
class SegmentRecoveryFuzzTest {
  // Nearly every input has a tail to cut off; the warning for each would drown the fuzzer's output.
  private static final java.util.logging.Logger QUIET_LOG =
      java.util.logging.Logger.getLogger(FileIngestLog.class.getName());

  static {
    QUIET_LOG.setLevel(java.util.logging.Level.SEVERE);
  }

  @FuzzTest(maxDuration = "10s")
  void anySegmentFile(FuzzedDataProvider data) throws IOException {
    boolean sealed = data.consumeBoolean();
    // Start with a few valid frames so the fuzzer reaches the checks behind the first record.
    int validFrames = data.consumeInt(0, 3);
    ByteBuffer prefix = ByteBuffer.allocate(validFrames * (Frames.HEADER_BYTES + 8));
    for (int i = 0; i < validFrames; i++) {
      Frames.write(prefix, data.consumeBytes(8));
    }
    byte[] tail = data.consumeRemainingAsBytes();
    byte[] file = new byte[prefix.position() + tail.length];
    System.arraycopy(prefix.array(), 0, file, 0, prefix.position());
    System.arraycopy(tail, 0, file, prefix.position(), tail.length);

    Path dir = Files.createTempDirectory("skein-log-fuzz");
    try {
      Files.write(dir.resolve("00000000000000000000.log"), file);
      if (sealed) {
        // Claims the sealed segment holds offsets 0..4.
        Files.write(dir.resolve("00000000000000000005.log"), new byte[0]);
      }
      List<IngestLog.Record> records = new ArrayList<>();
      try (FileIngestLog log = FileIngestLog.open(dir, FileIngestLog.Options.defaults())) {
        long next = 0;
        long end = log.endOffset();
        try {
          while (next < end) {
            next = log.read(next, 2, records::add);
          }
        } catch (CorruptLogException expected) {
          if (!sealed) {
            throw new AssertionError("the last segment is recovered, never reported corrupt");
          }
        }
        if (!sealed) {
          if (end != records.size()) {
            throw new AssertionError("recovered " + end + " records, read " + records.size());
          }
          long size = Files.size(dir.resolve("00000000000000000000.log"));
          if (size > file.length) {
            throw new AssertionError("recovery grew the file");
          }
        }
      }
      checkFramesOf(file, records);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
  }

  /** Each record read must be the next whole frame of the file, with a matching checksum. */
  private static void checkFramesOf(byte[] file, List<IngestLog.Record> records) {
    ByteBuffer in = ByteBuffer.wrap(file);
    long expectedOffset = 0;
    for (IngestLog.Record record : records) {
      if (record.offset() != expectedOffset++) {
        throw new AssertionError("offsets not dense: " + record.offset());
      }
      int length = in.getInt();
      int checksum = in.getInt();
      byte[] payload = new byte[length];
      in.get(payload);
      if (!Arrays.equals(payload, record.payload())
          || Frames.checksum(length, payload, 0) != checksum) {
        throw new AssertionError("record " + record.offset() + " is not a valid frame of the file");
      }
    }
  }
}
