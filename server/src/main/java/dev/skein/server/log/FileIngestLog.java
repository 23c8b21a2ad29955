package dev.skein.server.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * An {@link IngestLog} in segment files on local disk, with group commit: one writer thread takes
 * every append waiting in its queue, writes them all, calls {@code fsync} once and then completes
 * their futures. Under load many appends share one fsync.
 *
 * <p>Files in the directory: {@code <first offset, 20 digits>.log} per segment, each a run of
 * {@code [length u32][crc32c u32][payload]} frames, and {@code committed} holding the commit point.
 * On open, the last segment is scanned and a torn tail (a crash in the middle of a write) is cut
 * off; appends go on after the last whole record. Older segments are checked when first read.
 */
public final class FileIngestLog implements IngestLog {
  private static final System.Logger LOG = System.getLogger(FileIngestLog.class.getName());
  private static final String SUFFIX = ".log";
  private static final String COMMITTED_FILE = "committed";
  private static final int WRITE_BUFFER_BYTES = 1024 * 1024;

  /**
   * Sizes and bounds of a {@link FileIngestLog}.
   *
   * @param segmentBytes a segment is sealed and a new one started once it would grow past this
   * @param maxPendingBytes bytes accepted but not yet written; appends beyond are refused
   * @param maxBacklogBytes pending plus written-but-uncommitted bytes; appends beyond are refused
   */
  public record Options(long segmentBytes, long maxPendingBytes, long maxBacklogBytes) {
    public Options {
      if (segmentBytes < 64 || segmentBytes > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "segmentBytes must be in [64, 2^31), was " + segmentBytes);
      }
      if (maxPendingBytes <= Frames.HEADER_BYTES || maxBacklogBytes <= Frames.HEADER_BYTES) {
        throw new IllegalArgumentException("bounds must be larger than a frame header");
      }
    }

    /** 64 MiB segments, 64 MiB pending, 1 GiB backlog. */
    public static Options defaults() {
      return new Options(64L << 20, 64L << 20, 1L << 30);
    }

    public Options withSegmentBytes(long bytes) {
      return new Options(bytes, maxPendingBytes, maxBacklogBytes);
    }

    public Options withMaxPendingBytes(long bytes) {
      return new Options(segmentBytes, bytes, maxBacklogBytes);
    }

    public Options withMaxBacklogBytes(long bytes) {
      return new Options(segmentBytes, maxPendingBytes, bytes);
    }
  }

  /**
   * Counters since open.
   *
   * @param appends records acknowledged as durable
   * @param fsyncs calls to {@code fsync} on segment files
   * @param bytes bytes written, frame headers included
   * @param rejected appends refused with {@link LogFullException}
   */
  public record Stats(long appends, long fsyncs, long bytes, long rejected) {}

  private record Pending(byte[] payload, CompletableFuture<Long> future) {}

  private static final Pending CLOSE = new Pending(new byte[0], null);

  private final Path dir;
  private final Options options;
  private final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final ReadWriteLock closeLock = new ReentrantReadWriteLock();
  private final Thread writer;
  private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(WRITE_BUFFER_BYTES);

  private final AtomicLong pendingBytes = new AtomicLong();

  /** Pending plus written-but-uncommitted bytes; a batch moving from one to the other keeps it. */
  private final AtomicLong backlogBytes = new AtomicLong();

  private final AtomicLong appends = new AtomicLong();
  private final AtomicLong fsyncs = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();

  private volatile long endOffset;
  private volatile long committedOffset;
  private volatile long committedEndPosition;
  private volatile IOException failure;
  private boolean closed;

  /** Writer thread only. */
  private Segment active;

  private long nextOffset;

  private FileIngestLog(Path dir, Options options) {
    this.dir = dir;
    this.options = options;
    this.writer = new Thread(this::writeLoop, "skein-ingest-log-writer");
    this.writer.setDaemon(true);
  }

  /** Opens (or creates) the log in {@code dir}, recovering from a crash if there was one. */
  public static FileIngestLog open(Path dir, Options options) throws IOException {
    Files.createDirectories(dir);
    FileIngestLog log = new FileIngestLog(dir, options);
    try {
      log.recover();
    } catch (IOException | RuntimeException e) {
      log.releaseFiles();
      throw e;
    }
    log.writer.start();
    return log;
  }

  // ---------------------------------------------------------------- recovery

  private void recover() throws IOException {
    List<Long> firstOffsets = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.forEach(
          file -> {
            Long first = segmentOffset(file.getFileName().toString());
            if (first != null) {
              firstOffsets.add(first);
            }
          });
    }
    firstOffsets.sort(null);
    if (firstOffsets.isEmpty()) {
      firstOffsets.add(0L);
      FileChannel.open(segmentFile(0), StandardOpenOption.CREATE, StandardOpenOption.WRITE).close();
      syncDirectory();
    }
    long base = 0;
    for (int i = 0; i < firstOffsets.size() - 1; i++) {
      long first = firstOffsets.get(i);
      Path file = segmentFile(first);
      FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
      long size = channel.size();
      segments.put(
          first, new Segment(first, file, channel, base, size, firstOffsets.get(i + 1), false));
      base += size;
    }
    long lastFirst = firstOffsets.get(firstOffsets.size() - 1);
    Path lastFile = segmentFile(lastFirst);
    FileChannel channel =
        FileChannel.open(lastFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
    Segment last = new Segment(lastFirst, lastFile, channel, base, 0, lastFirst, true);
    segments.put(lastFirst, last);
    long fileSize = channel.size();
    FrameReader reader = new FrameReader(channel, 0, fileSize);
    long offset = lastFirst;
    while (reader.next() == FrameReader.Result.RECORD) {
      last.noteRecord(offset++, reader.recordPosition());
    }
    long goodSize = reader.recordPosition();
    if (goodSize < fileSize) {
      LOG.log(
          System.Logger.Level.WARNING,
          "ingest log {0}: cutting off {1} bytes after the last whole record at byte {2} ({3})",
          lastFile,
          Long.toString(fileSize - goodSize),
          Long.toString(goodSize),
          reader.problem());
      channel.truncate(goodSize);
      channel.force(true);
    }
    last.durableSize = goodSize;
    last.writePosition = goodSize;
    last.endOffset = offset;
    active = last;
    nextOffset = offset;
    endOffset = offset;

    long firstRetained = firstOffsets.get(0);
    long committed = Math.max(readCommitted(), firstRetained - 1);
    if (committed >= offset) {
      LOG.log(
          System.Logger.Level.WARNING,
          "ingest log {0}: commit point {1} is past the last record {2}; using the last record",
          dir,
          Long.toString(committed),
          Long.toString(offset - 1));
      committed = offset - 1;
    }
    committedOffset = committed;
    long committedEnd = 0;
    if (committed >= firstRetained) {
      try {
        committedEnd = positionAfter(committed);
      } catch (CorruptLogException e) {
        // Reading will stop there and say so; the backlog is only an estimate until then.
        LOG.log(System.Logger.Level.ERROR, e.getMessage());
        committedEnd = segments.floorEntry(committed).getValue().basePosition;
      }
    }
    committedEndPosition = committedEnd;
    backlogBytes.set(base + goodSize - committedEnd);
  }

  private long readCommitted() throws IOException {
    try {
      String text = Files.readString(dir.resolve(COMMITTED_FILE), StandardCharsets.US_ASCII).trim();
      return Long.parseLong(text);
    } catch (NoSuchFileException e) {
      return -1;
    } catch (NumberFormatException e) {
      // At least once: a lost commit point only means records are read again.
      LOG.log(System.Logger.Level.WARNING, "ingest log {0}: unreadable commit point ignored", dir);
      return -1;
    }
  }

  private static Long segmentOffset(String name) {
    if (name.length() != 20 + SUFFIX.length() || !name.endsWith(SUFFIX)) {
      return null;
    }
    for (int i = 0; i < 20; i++) {
      if (name.charAt(i) < '0' || name.charAt(i) > '9') {
        return null;
      }
    }
    try {
      return Long.parseLong(name.substring(0, 20));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private Path segmentFile(long firstOffset) {
    return dir.resolve(String.format("%020d%s", firstOffset, SUFFIX));
  }

  /** Makes a created or deleted file name durable, not only the file's contents. */
  private void syncDirectory() throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some platforms cannot open a directory; the file contents are still forced.
      LOG.log(System.Logger.Level.DEBUG, "cannot sync directory {0}: {1}", dir, e);
    }
  }

  // ---------------------------------------------------------------- append

  @Override
  public CompletableFuture<Long> append(byte[] record) {
    Objects.requireNonNull(record, "record");
    long frameBytes = Frames.HEADER_BYTES + (long) record.length;
    if (frameBytes > options.segmentBytes()
        || frameBytes > options.maxPendingBytes()
        || frameBytes > options.maxBacklogBytes()) {
      throw new IllegalArgumentException(
          "record of " + record.length + " bytes is larger than this log's segments or bounds");
    }
    CompletableFuture<Long> future = new CompletableFuture<>();
    closeLock.readLock().lock();
    try {
      if (closed || failure != null) {
        IOException cause = failure;
        future.completeExceptionally(
            cause != null ? new IOException("ingest log failed", cause) : closedException());
        return future;
      }
      long pending = pendingBytes.addAndGet(frameBytes);
      long backlog = backlogBytes.addAndGet(frameBytes);
      if (pending > options.maxPendingBytes() || backlog > options.maxBacklogBytes()) {
        pendingBytes.addAndGet(-frameBytes);
        backlogBytes.addAndGet(-frameBytes);
        rejected.incrementAndGet();
        future.completeExceptionally(
            new LogFullException(
                "ingest log full: "
                    + backlog
                    + " bytes unwritten or uncommitted, bound "
                    + options.maxBacklogBytes()
                    + " (pending "
                    + pending
                    + ", bound "
                    + options.maxPendingBytes()
                    + ")"));
        return future;
      }
      queue.add(new Pending(record, future));
    } finally {
      closeLock.readLock().unlock();
    }
    return future;
  }

  private IOException closedException() {
    return new IOException("ingest log " + dir + " is closed");
  }

  private void writeLoop() {
    List<Pending> batch = new ArrayList<>();
    boolean closing = false;
    while (!closing) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        // Only close() stops the writer; it must not leave futures hanging.
        continue;
      }
      queue.drainTo(batch);
      if (batch.get(batch.size() - 1) == CLOSE) {
        batch.remove(batch.size() - 1);
        closing = true;
      }
      if (!batch.isEmpty()) {
        writeBatch(batch);
      }
      batch.clear();
    }
  }

  private void writeBatch(List<Pending> batch) {
    long batchBytes = 0;
    for (Pending pending : batch) {
      batchBytes += Frames.HEADER_BYTES + pending.payload.length;
    }
    if (failure != null) {
      pendingBytes.addAndGet(-batchBytes);
      backlogBytes.addAndGet(-batchBytes);
      for (Pending pending : batch) {
        pending.future.completeExceptionally(new IOException("ingest log failed", failure));
      }
      return;
    }
    long firstOffset = nextOffset;
    try {
      writeBuffer.clear();
      for (Pending pending : batch) {
        int frameBytes = Frames.HEADER_BYTES + pending.payload.length;
        if (active.writePosition > 0
            && active.writePosition + frameBytes > options.segmentBytes()) {
          flushAndSync();
          publish();
          roll();
        }
        active.noteRecord(nextOffset, active.writePosition);
        if (writeBuffer.remaining() < frameBytes) {
          drainBuffer();
        }
        if (frameBytes > writeBuffer.capacity()) {
          ByteBuffer large = ByteBuffer.allocate(frameBytes);
          Frames.write(large, pending.payload);
          large.flip();
          writeFully(large, active.writePosition);
        } else {
          Frames.write(writeBuffer, pending.payload);
        }
        active.writePosition += frameBytes;
        nextOffset++;
      }
      flushAndSync();
      publish();
    } catch (IOException | RuntimeException e) {
      // What reached the file is unknown now: refuse everything from here on.
      failure = e instanceof IOException io ? io : new IOException(e);
      LOG.log(System.Logger.Level.ERROR, "ingest log " + dir + " failed; refusing appends", e);
      pendingBytes.addAndGet(-batchBytes);
      backlogBytes.addAndGet(-batchBytes);
      for (Pending pending : batch) {
        pending.future.completeExceptionally(new IOException("ingest log write failed", e));
      }
      return;
    }
    pendingBytes.addAndGet(-batchBytes);
    appends.addAndGet(batch.size());
    bytes.addAndGet(batchBytes);
    long offset = firstOffset;
    for (Pending pending : batch) {
      pending.future.complete(offset++);
    }
  }

  /** Writes what the buffer holds at the active segment's unwritten end. */
  private void drainBuffer() throws IOException {
    writeBuffer.flip();
    long at = active.writePosition - writeBuffer.remaining();
    writeFully(writeBuffer, at);
    writeBuffer.clear();
  }

  private void flushAndSync() throws IOException {
    drainBuffer();
    active.channel.force(false);
    fsyncs.incrementAndGet();
  }

  private void writeFully(ByteBuffer buffer, long position) throws IOException {
    while (buffer.hasRemaining()) {
      position += active.channel.write(buffer, position);
    }
  }

  /** Makes what was forced visible to readers and to the backlog bound. */
  private void publish() {
    active.durableSize = active.writePosition;
    active.endOffset = nextOffset;
    endOffset = nextOffset;
  }

  private void roll() throws IOException {
    Path file = segmentFile(nextOffset);
    FileChannel channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    syncDirectory();
    Segment next =
        new Segment(
            nextOffset,
            file,
            channel,
            active.basePosition + active.writePosition,
            0,
            nextOffset,
            true);
    segments.put(nextOffset, next);
    active = next;
  }

  // ---------------------------------------------------------------- read and commit

  @Override
  public long read(long fromOffset, int maxRecords, Consumer<Record> sink) throws IOException {
    long end = endOffset;
    if (fromOffset >= end || maxRecords <= 0) {
      return fromOffset;
    }
    Map.Entry<Long, Segment> entry = segments.floorEntry(fromOffset);
    if (entry == null || fromOffset < 0) {
      throw new IllegalArgumentException(
          "offset " + fromOffset + " is before the first retained record " + firstOffset());
    }
    long next = fromOffset;
    int given = 0;
    Segment segment = entry.getValue();
    while (given < maxRecords && next < end) {
      long segmentEnd = Math.min(segment.endOffset, end);
      FrameReader reader =
          new FrameReader(segment.channel, segment.positionOf(next), segment.durableSize);
      while (given < maxRecords && next < segmentEnd) {
        FrameReader.Result result = reader.next();
        if (result != FrameReader.Result.RECORD) {
          throw new CorruptLogException(
              segment.file,
              reader.recordPosition(),
              result == FrameReader.Result.END
                  ? "the segment ends before offset " + next
                  : reader.problem());
        }
        sink.accept(new Record(next, reader.payload()));
        next++;
        given++;
      }
      if (given < maxRecords && next < end) {
        Segment following = segments.get(next);
        if (following == null) {
          throw new CorruptLogException(
              segment.file, segment.durableSize, "no segment starts at offset " + next);
        }
        segment = following;
      }
    }
    return next;
  }

  @Override
  public synchronized void commit(long offset) throws IOException {
    if (offset >= endOffset) {
      throw new IllegalArgumentException(
          "cannot commit offset " + offset + ": durable records end before " + endOffset);
    }
    if (offset <= committedOffset) {
      return;
    }
    long position = positionAfter(offset);
    writeCommitted(offset);
    committedOffset = offset;
    backlogBytes.addAndGet(-(position - committedEndPosition));
    committedEndPosition = position;
    // Delete whole segments whose every record is committed; the last one is always kept.
    for (Map.Entry<Long, Segment> entry : segments.entrySet()) {
      Map.Entry<Long, Segment> following = segments.higherEntry(entry.getKey());
      if (following == null || following.getKey() > offset + 1) {
        break;
      }
      Segment segment = entry.getValue();
      segments.remove(entry.getKey());
      segment.channel.close();
      Files.deleteIfExists(segment.file);
    }
  }

  /** Position in the whole log just after the record at {@code offset}. */
  private long positionAfter(long offset) throws IOException {
    Segment segment = segments.floorEntry(offset).getValue();
    long at = segment.positionOf(offset);
    FrameReader reader = new FrameReader(segment.channel, at, segment.durableSize);
    if (reader.next() != FrameReader.Result.RECORD) {
      throw new CorruptLogException(segment.file, at, reader.problem());
    }
    return segment.basePosition + reader.position();
  }

  private void writeCommitted(long offset) throws IOException {
    Path temp = dir.resolve(COMMITTED_FILE + ".tmp");
    Files.writeString(temp, Long.toString(offset), StandardCharsets.US_ASCII);
    try {
      Files.move(
          temp,
          dir.resolve(COMMITTED_FILE),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, dir.resolve(COMMITTED_FILE), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  public long committedOffset() {
    return committedOffset;
  }

  @Override
  public long endOffset() {
    return endOffset;
  }

  /** The oldest offset still on disk. */
  public long firstOffset() {
    return segments.firstKey();
  }

  @Override
  public long backlogBytes() {
    return backlogBytes.get();
  }

  public Stats stats() {
    return new Stats(appends.get(), fsyncs.get(), bytes.get(), rejected.get());
  }

  /** Number of segment files on disk. */
  public int segmentCount() {
    return segments.size();
  }

  // ---------------------------------------------------------------- close

  @Override
  public void close() throws IOException {
    closeLock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      queue.add(CLOSE);
    } finally {
      closeLock.writeLock().unlock();
    }
    boolean interrupted = false;
    while (true) {
      try {
        writer.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    releaseFiles();
  }

  private void releaseFiles() throws IOException {
    IOException first = null;
    for (Segment segment : segments.values()) {
      try {
        segment.channel.close();
      } catch (IOException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  @Override
  public String toString() {
    return "FileIngestLog[" + dir + "]";
  }
}
