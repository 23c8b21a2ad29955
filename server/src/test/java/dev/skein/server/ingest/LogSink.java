package dev.skein.server.ingest;

import dev.skein.server.log.FileIngestLog;
import dev.skein.storage.Span;
import dev.skein.storage.SpanCodec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The sink the server uses, in small: one ingest-log record per request. It remembers each batch
 * once the log made it durable, so tests see exactly what was acknowledged.
 */
final class LogSink implements SpanSink, AutoCloseable {
  private final FileIngestLog log;
  private final List<List<Span>> durable = new CopyOnWriteArrayList<>();

  LogSink(Path dir, FileIngestLog.Options options) throws IOException {
    this.log = FileIngestLog.open(dir, options);
  }

  @Override
  public CompletableFuture<Void> accept(List<Span> spans) {
    return log.append(SpanCodec.encode(spans)).thenAccept(offset -> durable.add(spans));
  }

  FileIngestLog log() {
    return log;
  }

  /** Every span made durable so far, in the order the log took them. */
  List<Span> spans() {
    List<Span> all = new ArrayList<>();
    durable.forEach(all::addAll);
    return all;
  }

  /** The spans the log holds, read back from disk. */
  List<Span> spansOnDisk() throws IOException {
    List<Span> all = new ArrayList<>();
    log.read(0, Integer.MAX_VALUE, record -> all.addAll(SpanCodec.decode(record.payload())));
    return all;
  }

  @Override
  public void close() throws IOException {
    log.close();
  }
}
