package dev.skein.server.log;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The on-disk frame of one record: {@code [length u32][crc32c u32][payload]}, big-endian. The
 * checksum covers the length bytes as well as the payload, so a run of zero bytes (what a file
 * system may leave after a crash) never reads as a valid empty record.
 */
final class Frames {
  static final int HEADER_BYTES = 8;

  private Frames() {}

  static int checksum(int length, byte[] payload, int payloadOffset) {
    CRC32C crc = new CRC32C();
    crc.update((length >>> 24) & 0xff);
    crc.update((length >>> 16) & 0xff);
    crc.update((length >>> 8) & 0xff);
    crc.update(length & 0xff);
    crc.update(payload, payloadOffset, length);
    return (int) crc.getValue();
  }

  static void write(ByteBuffer out, byte[] payload) {
    out.putInt(payload.length);
    out.putInt(checksum(payload.length, payload, 0));
    out.put(payload);
  }
}
