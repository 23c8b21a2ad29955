package dev.skein.server.ingest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/** Request bodies: inflating gzip without letting a small bomb become a huge buffer. */
final class Bodies {
  private Bodies() {}

  /** A body larger than a limit allows. */
  static final class TooLargeException extends Exception {
    private static final long serialVersionUID = 1L;

    TooLargeException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The gzip-decompressed {@code body}, at most {@code limit} bytes. Concatenated gzip members are
   * joined, as {@link GZIPInputStream} reads them.
   *
   * @throws TooLargeException as soon as inflating passes {@code limit}
   * @throws MalformedRequestException if the body is not valid gzip
   */
  static byte[] gunzip(byte[] body, int offset, int length, long limit) throws TooLargeException {
    // Each member ends with its size mod 2^32: a fair first guess when there is only one.
    int hint = 64 * 1024;
    if (length >= 18) {
      int end = offset + length;
      long size =
          (body[end - 4] & 0xFFL)
              | (body[end - 3] & 0xFFL) << 8
              | (body[end - 2] & 0xFFL) << 16
              | (body[end - 1] & 0xFFL) << 24;
      hint = (int) Math.max(1024, Math.min(size + 1, Math.min(limit + 1, 4L << 20)));
    }
    return gunzip(new ByteArrayInputStream(body, offset, length), limit, hint);
  }

  /** {@link #gunzip(byte[], int, int, long)} from a stream, reading no more of it than needed. */
  static byte[] gunzip(InputStream compressed, long limit, int sizeHint) throws TooLargeException {
    try (InputStream in = new GZIPInputStream(compressed, 8192)) {
      return readAtMost(in, limit, sizeHint, "decompressed body");
    } catch (java.util.zip.ZipException | java.io.EOFException e) {
      throw new MalformedRequestException("body is not valid gzip: " + e.getMessage());
    } catch (IOException e) {
      throw new MalformedRequestException("body is not valid gzip: " + e);
    }
  }

  /**
   * Everything {@code in} holds, at most {@code limit} bytes.
   *
   * @throws TooLargeException as soon as more than {@code limit} bytes were read
   */
  static byte[] readAtMost(InputStream in, long limit, int sizeHint, String what)
      throws IOException, TooLargeException {
    byte[] buffer = new byte[(int) Math.max(1, Math.min(sizeHint, limit + 1))];
    int size = 0;
    while (true) {
      if (size == buffer.length) {
        if (size > limit) {
          throw new TooLargeException(what + " is larger than " + limit + " bytes");
        }
        long grown = Math.min((long) buffer.length * 2, limit + 1);
        buffer = Arrays.copyOf(buffer, (int) Math.max(grown, size + 1));
      }
      int read = in.read(buffer, size, buffer.length - size);
      if (read < 0) {
        return size == buffer.length ? buffer : Arrays.copyOf(buffer, size);
      }
      size += read;
    }
  }
}
