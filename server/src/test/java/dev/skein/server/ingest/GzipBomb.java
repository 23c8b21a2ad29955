package dev.skein.server.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;

/** 1 GiB of zeros, gzipped: about a megabyte that must never be inflated whole. */
final class GzipBomb {
  static final long INFLATED_SIZE = 1L << 30;
  private static byte[] bomb;

  private GzipBomb() {}

  static synchronized byte[] bytes() {
    if (bomb == null) {
      ByteArrayOutputStream compressed = new ByteArrayOutputStream(1 << 21);
      byte[] zeros = new byte[1 << 20];
      try (GZIPOutputStream gzip = new GZIPOutputStream(compressed, 1 << 16)) {
        for (long written = 0; written < INFLATED_SIZE; written += zeros.length) {
          gzip.write(zeros);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      bomb = compressed.toByteArray();
    }
    return bomb;
  }
}
