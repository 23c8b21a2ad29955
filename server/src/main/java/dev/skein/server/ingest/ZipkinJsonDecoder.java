package dev.skein.server.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.skein.storage.Span;
import java.io.IOException;
import java.util.Objects;

/**
 * Decodes a Zipkin v2 JSON list of spans ({@code POST /api/v2/spans}) with Jackson's streaming
 * parser. Trace ids are 16 or 32 hex characters, span and parent ids 1 to 16 (left-padded, as
 * Zipkin allows); either case. Tag values that are numbers or booleans are taken as their text.
 * Unknown fields are ignored. The mapping onto {@link Span} is {@link ZipkinSpanBuilder}'s.
 */
public final class ZipkinJsonDecoder {

  private ZipkinJsonDecoder() {}

  /** Decodes a whole request body. */
  public static DecodedSpans decode(byte[] body, int maxSpans) {
    return decode(body, 0, body.length, maxSpans);
  }

  /**
   * Decodes {@code length} bytes of {@code body} from {@code offset}.
   *
   * @throws MalformedRequestException if they are not a JSON array of Zipkin v2 spans
   * @throws SpanLimitExceededException if they hold more than {@code maxSpans} spans
   */
  public static DecodedSpans decode(byte[] body, int offset, int length, int maxSpans) {
    Objects.checkFromIndexSize(offset, length, body.length);
    SpanCollector collector = new SpanCollector(maxSpans);
    Reader reader = null;
    try (JsonParser parser = Json.FACTORY.createParser(body, offset, length)) {
      reader = new Reader(parser, collector);
      reader.spans();
    } catch (JsonProcessingException e) {
      throw reader == null
          ? new MalformedRequestException("malformed Zipkin JSON: " + e.getOriginalMessage())
          : reader.json.malformed(e);
    } catch (IOException e) {
      throw new MalformedRequestException("malformed Zipkin JSON: " + e);
    }
    return collector.result();
  }

  private static final class Reader {
    private final JsonParser p;
    private final Json json;
    private final SpanCollector collector;
    private final StringTable names = StringTable.names();
    private final StringTable values = StringTable.values();
    private final ZipkinSpanBuilder span = new ZipkinSpanBuilder();
    private int spanIndex = -1;

    Reader(JsonParser parser, SpanCollector collector) {
      this.p = parser;
      this.collector = collector;
      this.json = new Json(parser, "Zipkin JSON", this::location);
    }

    void spans() throws IOException {
      JsonToken token = p.nextToken();
      if (token != JsonToken.START_ARRAY) {
        throw json.malformed(
            "the request must be a JSON array of spans, not " + Json.describe(token));
      }
      while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
        spanIndex++;
        collector.countSpan();
        span.reset();
        if (token != JsonToken.START_OBJECT) {
          throw json.malformed("a span must be an object, not " + Json.describe(token));
        }
        span();
        span.finish(collector, this::location);
      }
      token = p.nextToken();
      if (token != null) {
        throw json.malformed("unexpected " + Json.describe(token) + " after the list of spans");
      }
    }

    private void span() throws IOException {
      String field;
      while ((field = p.nextFieldName()) != null) {
        JsonToken token = p.nextToken();
        switch (field) {
          case "traceId" -> traceId(token, field);
          case "id" -> {
            span.hasId = token != JsonToken.VALUE_NULL;
            span.id = spanId(token, field, "span id");
          }
          case "parentId" -> span.parentId = spanId(token, field, "parent id");
          case "name" -> span.name = json.string(token, field, names);
          case "kind" -> span.kind = kind(json.string(token, field, names));
          case "timestamp" -> span.timestampMicros = json.uint64(token, field);
          case "duration" -> span.durationMicros = json.uint64(token, field);
          case "localEndpoint" -> endpoint(token, field, span.local);
          case "remoteEndpoint" -> endpoint(token, field, span.remote);
          case "annotations" -> annotations(token, field);
          case "tags" -> tags(token, field);
          case "debug" -> span.debug = Boolean.TRUE.equals(json.bool(token, field));
          case "shared" -> span.shared = Boolean.TRUE.equals(json.bool(token, field));
          default -> p.skipChildren();
        }
      }
    }

    private static Span.Kind kind(String kind) {
      return switch (kind) {
        case "CLIENT" -> Span.Kind.CLIENT;
        case "SERVER" -> Span.Kind.SERVER;
        case "PRODUCER" -> Span.Kind.PRODUCER;
        case "CONSUMER" -> Span.Kind.CONSUMER;
        default -> Span.Kind.UNSPECIFIED;
      };
    }

    private void traceId(JsonToken token, String field) throws IOException {
      if (token == JsonToken.VALUE_NULL) {
        return;
      }
      if (token != JsonToken.VALUE_STRING) {
        throw json.malformed(field + " must be a hex string, not " + Json.describe(token));
      }
      span.hasTraceId = true;
      char[] chars = p.getTextCharacters();
      int offset = p.getTextOffset();
      int length = p.getTextLength();
      if ((length != 16 && length != 32) || !Ids.isHex(chars, offset, length)) {
        span.problem("trace id must be 16 or 32 hex characters, got " + Json.shorten(p.getText()));
        return;
      }
      span.traceHigh = length == 32 ? Ids.hex(chars, offset, 16) : 0;
      span.traceLow = Ids.hex(chars, offset + length - 16, 16);
    }

    /** A span id of 1 to 16 hex characters; 0 if absent (null or ""), or if invalid (noted). */
    private long spanId(JsonToken token, String field, String what) throws IOException {
      if (token == JsonToken.VALUE_NULL) {
        return 0;
      }
      if (token != JsonToken.VALUE_STRING) {
        throw json.malformed(field + " must be a hex string, not " + Json.describe(token));
      }
      char[] chars = p.getTextCharacters();
      int offset = p.getTextOffset();
      int length = p.getTextLength();
      if (length == 0) {
        return 0;
      }
      if (length > 16 || !Ids.isHex(chars, offset, length)) {
        span.problem(what + " must be 1 to 16 hex characters, got " + Json.shorten(p.getText()));
        return 0;
      }
      return Ids.hex(chars, offset, length);
    }

    private void endpoint(JsonToken token, String name, ZipkinSpanBuilder.Endpoint endpoint)
        throws IOException {
      if (!json.object(token, name)) {
        return;
      }
      String field;
      while ((field = p.nextFieldName()) != null) {
        token = p.nextToken();
        switch (field) {
          case "serviceName" -> endpoint.serviceName = json.string(token, field, names);
          case "ipv4" -> endpoint.ipv4 = json.string(token, field, values);
          case "ipv6" -> endpoint.ipv6 = json.string(token, field, values);
          case "port" -> {
            long port = json.uint64(token, field);
            if (port > 65535) {
              throw json.malformed("port " + port + " is out of range");
            }
            endpoint.port = (int) port;
          }
          default -> p.skipChildren();
        }
      }
    }

    private void annotations(JsonToken token, String field) throws IOException {
      if (!json.array(token, field)) {
        return;
      }
      while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
        if (!json.object(token, "annotation")) {
          continue;
        }
        long timestamp = 0;
        String value = "";
        String annotationField;
        while ((annotationField = p.nextFieldName()) != null) {
          token = p.nextToken();
          switch (annotationField) {
            case "timestamp" -> timestamp = json.uint64(token, annotationField);
            case "value" -> value = json.string(token, annotationField, names);
            default -> p.skipChildren();
          }
        }
        span.annotation(timestamp, value);
      }
    }

    private void tags(JsonToken token, String field) throws IOException {
      if (!json.object(token, field)) {
        return;
      }
      String key;
      while ((key = p.nextFieldName()) != null) {
        key = StringTable.wellFormed(key);
        token = p.nextToken();
        switch (token) {
          case VALUE_STRING -> span.tag(key, json.string(token, key, values));
          case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE ->
              span.tag(key, p.getText());
          case VALUE_NULL -> {}
          default ->
              throw json.malformed("tag " + key + " must be a string, not " + Json.describe(token));
        }
      }
    }

    String location() {
      return spanIndex >= 0 ? "spans[" + spanIndex + "]" : "request";
    }
  }
}
