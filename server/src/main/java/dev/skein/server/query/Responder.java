package dev.skein.server.query;

import com.fasterxml.jackson.core.JsonGenerator;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpResponseWriter;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces one response on the server's blocking executor (store calls block). The body decides
 * late whether it is an error (a 404 only shows once the store found nothing) or a JSON body, which
 * then goes out in chunks as it is written, waiting for the client to take each one, so a huge
 * trace never sits in memory whole.
 */
final class Responder {
  private static final Logger log = LoggerFactory.getLogger(Responder.class);
  private static final int CHUNK_BYTES = 64 * 1024;

  /** A client that takes no data for this long is dropped, freeing the thread. */
  private static final long STALL_SECONDS = 30;

  /** How an API reports errors. */
  enum ErrorFormat {
    /** Jaeger's envelope: {@code {"data":null,...,"errors":[{"code":400,"msg":"..."}]}}. */
    JAEGER,
    /** A plain text message, as Zipkin answers. */
    TEXT
  }

  /** Writes a response through a {@link Responder}. */
  interface Body {
    void write(Responder out) throws IOException;
  }

  private final ServiceRequestContext ctx;
  private final HttpResponseWriter writer;
  private final ErrorFormat errorFormat;
  private Chunks chunks;
  private JsonGenerator json;
  private boolean done;

  private Responder(ServiceRequestContext ctx, HttpResponseWriter writer, ErrorFormat format) {
    this.ctx = ctx;
    this.writer = writer;
    this.errorFormat = format;
  }

  /** Runs {@code body} on the blocking executor and returns the response it produces. */
  static HttpResponse respond(ServiceRequestContext ctx, ErrorFormat format, Body body) {
    HttpResponseWriter writer = HttpResponse.streaming();
    Responder responder = new Responder(ctx, writer, format);
    ctx.blockingTaskExecutor().execute(responder.run(body));
    return writer;
  }

  private Runnable run(Body body) {
    return () -> {
      try {
        body.write(this);
        finish();
      } catch (BadParameterException e) {
        failBeforeStart(HttpStatus.BAD_REQUEST, e.getMessage(), null);
      } catch (ClientGoneException e) {
        writer.abort();
      } catch (Throwable e) {
        failBeforeStart(HttpStatus.INTERNAL_SERVER_ERROR, "query failed: " + e, e);
      }
    };
  }

  private void failBeforeStart(HttpStatus status, String message, Throwable cause) {
    if (cause != null) {
      log.warn("{} {} failed", ctx.method(), ctx.path(), cause);
    }
    if (chunks == null && !done) {
      error(status, message);
    } else {
      // Headers are out: all that can be done is to cut the response short.
      writer.abort(cause != null ? cause : new IllegalStateException(message));
    }
  }

  /** True once a 200 (or an error) has been sent. */
  boolean started() {
    return chunks != null || done;
  }

  /** Sends the 200 headers and returns the generator the JSON body is written with. */
  JsonGenerator startJson() throws IOException {
    if (started()) {
      throw new IllegalStateException("response already started");
    }
    writer.tryWrite(
        ResponseHeaders.builder(HttpStatus.OK).contentType(MediaType.JSON_UTF_8).build());
    // The body streams for as long as the client reads it; a stalled client is cut off instead.
    ctx.clearRequestTimeout();
    chunks = new Chunks();
    json = Json.FACTORY.createGenerator(chunks);
    return json;
  }

  /** The generator of a JSON body already started with {@link #startJson()}. */
  JsonGenerator startedJson() {
    if (json == null) {
      throw new IllegalStateException("no JSON body started");
    }
    return json;
  }

  /** Sends an error in this API's format; only before the body started. */
  void error(HttpStatus status, String message) {
    if (started()) {
      throw new IllegalStateException("response already started");
    }
    done = true;
    byte[] body;
    MediaType type;
    if (errorFormat == ErrorFormat.JAEGER) {
      body = jaegerError(status.code(), message);
      type = MediaType.JSON_UTF_8;
    } else {
      body = HttpData.ofUtf8(message).array();
      type = MediaType.PLAIN_TEXT_UTF_8;
    }
    ResponseHeaders headers =
        ResponseHeaders.builder(status)
            .contentType(type)
            .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
            .build();
    if (writer.tryWrite(headers)) {
      writer.tryWrite(HttpData.wrap(body));
    }
    writer.close();
  }

  static byte[] jaegerError(int code, String message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator gen = Json.FACTORY.createGenerator(out)) {
      gen.writeStartObject();
      gen.writeNullField("data");
      gen.writeNumberField("total", 0);
      gen.writeNumberField("limit", 0);
      gen.writeNumberField("offset", 0);
      gen.writeArrayFieldStart("errors");
      gen.writeStartObject();
      gen.writeNumberField("code", code);
      gen.writeStringField("msg", message);
      gen.writeEndObject();
      gen.writeEndArray();
      gen.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Nanoseconds spent so far waiting for the client to take data. */
  long waitedNanos() {
    return chunks == null ? 0 : chunks.waitedNanos;
  }

  private void finish() throws IOException {
    if (done) {
      return;
    }
    if (chunks == null) {
      throw new IllegalStateException("the handler wrote no response");
    }
    json.close();
    chunks.sendChunk();
    done = true;
    writer.close();
  }

  /** Collects bytes into chunks and hands each to the response once the previous was taken. */
  private final class Chunks extends OutputStream {
    private byte[] buffer = new byte[CHUNK_BYTES];
    private int position;
    long waitedNanos;

    @Override
    public void write(int b) {
      if (position == buffer.length) {
        sendChunk();
      }
      buffer[position++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      while (length > 0) {
        if (position == buffer.length) {
          sendChunk();
        }
        int n = Math.min(length, buffer.length - position);
        System.arraycopy(bytes, offset, buffer, position, n);
        position += n;
        offset += n;
        length -= n;
      }
    }

    void sendChunk() {
      if (position == 0) {
        return;
      }
      awaitConsumed();
      if (!writer.tryWrite(HttpData.wrap(buffer, 0, position))) {
        throw new ClientGoneException("the client closed the response");
      }
      buffer = new byte[CHUNK_BYTES];
      position = 0;
    }

    private void awaitConsumed() {
      long start = System.nanoTime();
      CompletableFuture<Object> consumedOrClosed =
          CompletableFuture.anyOf(writer.whenConsumed(), writer.whenComplete());
      try {
        consumedOrClosed.get(STALL_SECONDS, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        throw new ClientGoneException("the client took no data for " + STALL_SECONDS + " s");
      } catch (ExecutionException e) {
        throw new ClientGoneException("the response was closed: " + e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ClientGoneException("interrupted while waiting for the client");
      } finally {
        waitedNanos += System.nanoTime() - start;
      }
      if (!writer.isOpen()) {
        throw new ClientGoneException("the client closed the response");
      }
    }
  }
}
