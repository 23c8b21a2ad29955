package dev.skein.server.log;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The durable log between the receivers and the store: a receiver acknowledges spans to its client
 * only once {@link #append} has completed, and the pipeline reads records in offset order and
 * {@link #commit commits} what it has stored downstream.
 *
 * <p>Offsets start at 0 and are dense: every appended record takes the next one. Readers only ever
 * see durable records. Delivery to the pipeline is at least once: after a restart, reading resumes
 * at {@code committedOffset() + 1}, so records stored but not yet committed are read again.
 *
 * <p>This is the SPI a partitioned log (a Kafka topic keyed by trace id) implements as well.
 */
public interface IngestLog extends AutoCloseable {

  /** One record: its offset in the log and the bytes that were appended. */
  record Record(long offset, byte[] payload) {}

  /**
   * Appends one record. The future completes with the record's offset once the record is on disk,
   * or exceptionally with {@link LogFullException} at once when the backlog is over its bound (the
   * caller answers 429/503 with Retry-After), or with an {@link IOException} when writing failed or
   * the log is closed. Futures complete on the log's writer thread: chain only short work on them,
   * or use the {@code *Async} variants. The log keeps {@code record} until it is written: do not
   * change the array after handing it over.
   *
   * @throws IllegalArgumentException if the record is larger than the log can ever hold
   */
  CompletableFuture<Long> append(byte[] record);

  /**
   * Hands durable records to {@code sink} in offset order, starting at {@code fromOffset}, at most
   * {@code maxRecords} of them, and returns the offset to read from next (equal to {@code
   * fromOffset} when nothing new is there).
   *
   * @throws CorruptLogException if a stored record fails its checks; records before it were given
   * @throws IllegalArgumentException if {@code fromOffset} is before the first retained record
   */
  long read(long fromOffset, int maxRecords, Consumer<Record> sink) throws IOException;

  /**
   * Marks every record up to and including {@code offset} as stored downstream. Whole segments
   * before it may then be deleted. Committing an offset at or below the current commit point does
   * nothing.
   *
   * @throws IllegalArgumentException if {@code offset} is not a durable record yet
   */
  void commit(long offset) throws IOException;

  /** The last committed offset, or {@code firstOffset - 1} when nothing was committed yet. */
  long committedOffset();

  /** The offset the next durable record will take: readers see records below it. */
  long endOffset();

  /** Bytes waiting to be written plus bytes written but not committed. */
  long backlogBytes();

  /** Writes and acknowledges every append accepted so far, then releases the files. */
  @Override
  void close() throws IOException;
}
