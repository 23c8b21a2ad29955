package dev.skein.sdk.export;

import dev.skein.sdk.SpanData;
import dev.skein.sdk.SpanExporter;
import java.io.Flushable;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Writes each exported span as one line, readable text or JSON, to {@link System#out} or any {@link
 * Appendable}. Meant for development and for shipping spans through a log pipeline.
 *
 * <p>Text ({@link Format#TEXT}), one line per span (wrapped here):
 *
 * <pre>{@code
 * "GET /cart" trace=0af7651916cd43dd8448eb211c80319c span=b7ad6b7169203331 parent=- kind=SERVER
 *     duration=1.500ms status=ERROR("timeout") scope=shop.http:1.2 attributes={http.status=500}
 *     events=[retry@+0.250ms{attempt=2}]
 * }</pre>
 *
 * <p>JSON lines ({@link Format#JSON_LINES}), one object per span per line, with the keys {@code
 * traceId, spanId, parentSpanId} (empty for a root), {@code name, kind, startEpochNanos,
 * endEpochNanos, durationNanos, status {code, description}, scope {name, version}, resource,
 * attributes} (typed: numbers as numbers, arrays as arrays, NaN and infinities as strings), {@code
 * events [{name, epochNanos, attributes}], links [{traceId, spanId, attributes}]} and {@code
 * droppedAttributesCount, droppedEventsCount, droppedLinksCount}.
 *
 * <p>A batch is formatted first and then appended in one call while holding the output's monitor
 * (which {@link PrintStream} also takes), so lines of concurrent batches never interleave. Each
 * batch is flushed when the output is {@link Flushable}. An {@link IOException} from the output, or
 * an error reported by a {@link PrintStream}'s {@link PrintStream#checkError()}, fails the returned
 * future. The output is never closed, not even by {@link #shutdown()}.
 */
public final class LoggingSpanExporter implements SpanExporter {

  /** How spans are written. */
  public enum Format {
    /** One readable line per span. */
    TEXT,
    /** One JSON object per span, one per line (JSON Lines). */
    JSON_LINES
  }

  /** Readable lines to {@link System#out}. */
  public static LoggingSpanExporter text() {
    return builder().build();
  }

  /** JSON lines to {@link System#out}. */
  public static LoggingSpanExporter jsonLines() {
    return builder().setFormat(Format.JSON_LINES).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  private final Appendable output;
  private final Format format;
  private volatile boolean shutdown;

  private LoggingSpanExporter(Appendable output, Format format) {
    this.output = output;
    this.format = format;
  }

  @Override
  public CompletableFuture<Void> export(Collection<SpanData> spans) {
    if (shutdown) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("LoggingSpanExporter is shut down"));
    }
    try {
      StringBuilder lines = new StringBuilder(spans.size() * 256);
      for (SpanData span : spans) {
        if (format == Format.JSON_LINES) {
          LoggingSpanFormatter.appendJson(lines, span);
        } else {
          LoggingSpanFormatter.appendText(lines, span);
        }
        lines.append('\n');
      }
      synchronized (output) {
        output.append(lines);
        flushOutput();
      }
      return CompletableFuture.completedFuture(null);
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletableFuture<Void> flush() {
    try {
      synchronized (output) {
        flushOutput();
      }
      return CompletableFuture.completedFuture(null);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Flushes; later exports fail. The output stays open. */
  @Override
  public CompletableFuture<Void> shutdown() {
    shutdown = true;
    return flush();
  }

  private void flushOutput() throws IOException {
    if (output instanceof PrintStream stream) {
      // PrintStream swallows IOExceptions; checkError flushes and reports them (for good).
      if (stream.checkError()) {
        throw new IOException("the output PrintStream reported an error");
      }
    } else if (output instanceof Flushable flushable) {
      flushable.flush();
    }
  }

  @Override
  public String toString() {
    return "LoggingSpanExporter{" + format + "}";
  }

  /** Chooses the output and the format of a {@link LoggingSpanExporter}. */
  public static final class Builder {

    private Appendable output = System.out;
    private Format format = Format.TEXT;

    private Builder() {}

    /**
     * Where lines go: {@link System#out} unless set; any {@link PrintStream}, {@link
     * java.io.Writer} or {@link StringBuilder} works.
     */
    public Builder setOutput(Appendable output) {
      this.output = Objects.requireNonNull(output, "output");
      return this;
    }

    /** {@link Format#TEXT} unless set. */
    public Builder setFormat(Format format) {
      this.format = Objects.requireNonNull(format, "format");
      return this;
    }

    public LoggingSpanExporter build() {
      return new LoggingSpanExporter(output, format);
    }
  }
}
