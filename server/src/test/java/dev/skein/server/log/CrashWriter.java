package dev.skein.server.log;

import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import java.util.zip.CRC32;

/**
 * Run in a child JVM by {@link CrashRecoveryTest}: appends records to the log in {@code args[0]}
 * until it is killed, keeping up to 64 in flight, and prints {@code <offset> <crc32>} for each one
 * the log acknowledged.
 */
public final class CrashWriter {
  private CrashWriter() {}

  static byte[] payload(long sequence) {
    byte[] payload = new byte[(int) (17 + sequence * 31 % 400)];
    long state = sequence * 0x9E3779B97F4A7C15L + 1;
    for (int i = 0; i < payload.length; i++) {
      state ^= state << 13;
      state ^= state >>> 7;
      state ^= state << 17;
      payload[i] = (byte) state;
    }
    return payload;
  }

  static long checksum(byte[] payload) {
    CRC32 crc = new CRC32();
    crc.update(payload);
    return crc.getValue();
  }

  public static void main(String[] args) throws Exception {
    FileIngestLog log =
        FileIngestLog.open(
            Path.of(args[0]), FileIngestLog.Options.defaults().withSegmentBytes(256 * 1024));
    Semaphore inFlight = new Semaphore(64);
    for (long sequence = 0; ; sequence++) {
      inFlight.acquire();
      byte[] payload = payload(sequence);
      long crc = checksum(payload);
      log.append(payload)
          .whenComplete(
              (offset, error) -> {
                inFlight.release();
                if (error == null) {
                  System.out.println(offset + " " + crc);
                  System.out.flush();
                }
              });
    }
  }
}
