package dev.skein.server.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One segment file: the records from {@link #firstOffset} on. Only the writer thread appends; any
 * thread may read the durable part ({@link #durableSize} bytes, offsets below {@link #endOffset}).
 *
 * <p>A sparse index (one entry per {@link #INDEX_STRIDE} bytes) finds an offset without scanning
 * the whole file. The active segment's index is kept as it is written; a sealed segment found on
 * open is indexed the first time it is read, which also checks every record in it.
 */
final class Segment {
  static final long INDEX_STRIDE = 64 * 1024;

  final long firstOffset;
  final Path file;
  final FileChannel channel;

  /** Position of this segment's first byte in the log as a whole (for backlog accounting). */
  final long basePosition;

  volatile long durableSize;
  volatile long endOffset;

  /** Bytes written, durable or not; writer thread only. */
  long writePosition;

  private boolean indexed;
  private long[] indexOffsets = new long[16];
  private long[] indexPositions = new long[16];
  private int indexLength;
  private long lastIndexedPosition = -INDEX_STRIDE;

  Segment(
      long firstOffset,
      Path file,
      FileChannel channel,
      long basePosition,
      long size,
      long endOffset,
      boolean indexed) {
    this.firstOffset = firstOffset;
    this.file = file;
    this.channel = channel;
    this.basePosition = basePosition;
    this.durableSize = size;
    this.writePosition = size;
    this.endOffset = endOffset;
    this.indexed = indexed;
  }

  synchronized void noteRecord(long offset, long position) {
    if (position - lastIndexedPosition < INDEX_STRIDE) {
      return;
    }
    if (indexLength == indexOffsets.length) {
      indexOffsets = Arrays.copyOf(indexOffsets, indexLength * 2);
      indexPositions = Arrays.copyOf(indexPositions, indexLength * 2);
    }
    indexOffsets[indexLength] = offset;
    indexPositions[indexLength] = position;
    indexLength++;
    lastIndexedPosition = position;
  }

  /** Byte position of the record at {@code offset}, which must be in this segment and durable. */
  long positionOf(long offset) throws IOException {
    ensureIndexed();
    long from;
    long at;
    synchronized (this) {
      int slot = Arrays.binarySearch(indexOffsets, 0, indexLength, offset);
      if (slot < 0) {
        slot = -slot - 2;
      }
      if (slot < 0) {
        from = firstOffset;
        at = 0;
      } else {
        from = indexOffsets[slot];
        at = indexPositions[slot];
      }
    }
    FrameReader reader = new FrameReader(channel, at, durableSize);
    for (long skipping = from; skipping < offset; skipping++) {
      if (reader.next() != FrameReader.Result.RECORD) {
        throw new CorruptLogException(file, reader.recordPosition(), reader.problem());
      }
    }
    return reader.position();
  }

  /** Checks every record of a sealed segment found on open, and indexes them. */
  private void ensureIndexed() throws IOException {
    synchronized (this) {
      if (indexed) {
        return;
      }
      FrameReader reader = new FrameReader(channel, 0, durableSize);
      long offset = firstOffset;
      FrameReader.Result result;
      while ((result = reader.next()) == FrameReader.Result.RECORD) {
        noteRecord(offset++, reader.recordPosition());
      }
      if (result == FrameReader.Result.BAD) {
        throw new CorruptLogException(file, reader.recordPosition(), reader.problem());
      }
      if (offset != endOffset) {
        throw new CorruptLogException(
            file,
            reader.position(),
            "holds records up to offset "
                + (offset - 1)
                + " but the next segment starts at "
                + endOffset);
      }
      indexed = true;
    }
  }
}
