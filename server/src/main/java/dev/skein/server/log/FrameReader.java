package dev.skein.server.log;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * Reads frames one after another from a byte range of a segment file, through a buffer, and checks
 * each one. It never reads past {@code limit}, so a bad length cannot make it allocate more than
 * the file holds.
 */
final class FrameReader {
  enum Result {
    RECORD,
    END,
    BAD
  }

  private static final int BUFFER_BYTES = 64 * 1024;

  private final FileChannel channel;
  private final long limit;
  private byte[] buffer = new byte[BUFFER_BYTES];
  private long bufferStart;
  private int bufferLength;

  private long position;
  private long recordPosition;
  private int payloadOffset;
  private int payloadLength;
  private String problem;

  FrameReader(FileChannel channel, long start, long limit) {
    this.channel = channel;
    this.position = start;
    this.limit = limit;
  }

  /** Reads the frame at the current position; on {@link Result#RECORD} moves past it. */
  Result next() throws IOException {
    recordPosition = position;
    long remaining = limit - position;
    if (remaining == 0) {
      problem = "the end of the segment";
      return Result.END;
    }
    if (remaining < Frames.HEADER_BYTES) {
      problem = "a header cut short (" + remaining + " of 8 bytes)";
      return Result.BAD;
    }
    int at = fill(position, Frames.HEADER_BYTES);
    long length = readInt(at) & 0xffffffffL;
    int storedChecksum = readInt(at + 4);
    if (length > remaining - Frames.HEADER_BYTES) {
      problem =
          "a length of "
              + length
              + " bytes where only "
              + (remaining - Frames.HEADER_BYTES)
              + " remain";
      return Result.BAD;
    }
    int frameStart = fill(position, Frames.HEADER_BYTES + (int) length);
    payloadOffset = frameStart + Frames.HEADER_BYTES;
    payloadLength = (int) length;
    if (Frames.checksum(payloadLength, buffer, payloadOffset) != storedChecksum) {
      problem = "a checksum mismatch in a record of " + length + " bytes";
      return Result.BAD;
    }
    position += Frames.HEADER_BYTES + length;
    return Result.RECORD;
  }

  byte[] payload() {
    return Arrays.copyOfRange(buffer, payloadOffset, payloadOffset + payloadLength);
  }

  int payloadLength() {
    return payloadLength;
  }

  /** Where the frame last looked at starts. */
  long recordPosition() {
    return recordPosition;
  }

  /** Where the next frame starts. */
  long position() {
    return position;
  }

  String problem() {
    return problem;
  }

  /** Makes {@code length} bytes from file position {@code from} available; returns their index. */
  private int fill(long from, int length) throws IOException {
    if (from >= bufferStart && from + length <= bufferStart + bufferLength) {
      return (int) (from - bufferStart);
    }
    int want = (int) Math.min(Math.max(length, BUFFER_BYTES), limit - from);
    if (buffer.length < want) {
      buffer = new byte[want];
    }
    ByteBuffer target = ByteBuffer.wrap(buffer, 0, want);
    while (target.hasRemaining()) {
      int read = channel.read(target, from + target.position());
      if (read < 0) {
        throw new EOFException("segment file shorter than expected at byte " + from);
      }
    }
    bufferStart = from;
    bufferLength = want;
    return 0;
  }

  private int readInt(int at) {
    return ((buffer[at] & 0xff) << 24)
        | ((buffer[at + 1] & 0xff) << 16)
        | ((buffer[at + 2] & 0xff) << 8)
        | (buffer[at + 3] & 0xff);
  }
}
