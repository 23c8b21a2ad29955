package dev.skein.server.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.skein.storage.Attribute;
import dev.skein.storage.Span;
import dev.skein.storage.SpanEvent;
import dev.skein.storage.SpanLink;
import dev.skein.storage.TraceId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Decodes an OTLP {@code ExportTraceServiceRequest} in the OTLP/JSON encoding with Jackson's
 * streaming parser. Follows the OTLP/JSON rules: field names in lowerCamelCase or as in the proto
 * file, trace and span ids as hex (either case), enums as integers (their proto names are accepted
 * too), 64-bit integers as numbers or decimal strings, bytes as base64; unknown fields are ignored
 * and {@code null} stands for a field's default. Attribute values map as {@link AnyValues} says.
 */
public final class OtlpJsonDecoder {
  private static final String[] KIND_NAMES = {
    "SPAN_KIND_UNSPECIFIED",
    "SPAN_KIND_INTERNAL",
    "SPAN_KIND_SERVER",
    "SPAN_KIND_CLIENT",
    "SPAN_KIND_PRODUCER",
    "SPAN_KIND_CONSUMER"
  };
  private static final String[] STATUS_NAMES = {
    "STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"
  };

  private OtlpJsonDecoder() {}

  /** Decodes a whole request body. */
  public static DecodedSpans decode(byte[] body, int maxSpans) {
    return decode(body, 0, body.length, maxSpans);
  }

  /**
   * Decodes {@code length} bytes of {@code body} from {@code offset}.
   *
   * @throws MalformedRequestException if they are not an OTLP/JSON {@code
   *     ExportTraceServiceRequest}
   * @throws SpanLimitExceededException if they hold more than {@code maxSpans} spans
   */
  public static DecodedSpans decode(byte[] body, int offset, int length, int maxSpans) {
    Objects.checkFromIndexSize(offset, length, body.length);
    SpanCollector collector = new SpanCollector(maxSpans);
    Reader reader = null;
    try (JsonParser parser = Json.FACTORY.createParser(body, offset, length)) {
      reader = new Reader(parser, collector);
      reader.request();
    } catch (JsonProcessingException e) {
      throw reader == null
          ? new MalformedRequestException("malformed OTLP JSON: " + e.getOriginalMessage())
          : reader.json.malformed(e);
    } catch (IOException e) {
      throw new MalformedRequestException("malformed OTLP JSON: " + e);
    }
    return collector.result();
  }

  private static final class Reader {
    private final JsonParser p;
    private final Json json;
    private final SpanCollector collector;
    private final StringTable names = StringTable.names();
    private final StringTable values = StringTable.values();

    private int resourceIndex = -1;
    private int scopeIndex = -1;
    private int spanIndex = -1;

    // Ids of the span being read, and the first problem with them.
    private String idProblem;
    private long traceHigh;
    private long traceLow;
    private long spanId;
    private long parentId;

    Reader(JsonParser parser, SpanCollector collector) {
      this.p = parser;
      this.collector = collector;
      this.json = new Json(parser, "OTLP JSON", this::location);
    }

    void request() throws IOException {
      JsonToken token = p.nextToken();
      if (token != JsonToken.START_OBJECT) {
        throw json.malformed("the request must be a JSON object, not " + Json.describe(token));
      }
      String field;
      while ((field = p.nextFieldName()) != null) {
        token = p.nextToken();
        switch (field) {
          case "resourceSpans", "resource_spans" -> {
            if (json.array(token, field)) {
              while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
                resourceSpans(token);
              }
            }
          }
          default -> p.skipChildren();
        }
      }
      token = p.nextToken();
      if (token != null) {
        throw json.malformed("unexpected " + Json.describe(token) + " after the request object");
      }
    }

    private void resourceSpans(JsonToken token) throws IOException {
      resourceIndex++;
      scopeIndex = -1;
      spanIndex = -1;
      if (!json.object(token, "resourceSpans")) {
        return;
      }
      String service = null;
      List<Attribute> resource = new ArrayList<>();
      List<Pending> pending = new ArrayList<>();
      String field;
      while ((field = p.nextFieldName()) != null) {
        token = p.nextToken();
        switch (field) {
          case "resource" -> {
            if (json.object(token, field)) {
              String resourceField;
              while ((resourceField = p.nextFieldName()) != null) {
                token = p.nextToken();
                if (resourceField.equals("attributes")) {
                  if (json.array(token, resourceField)) {
                    while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
                      Attribute attribute = keyValue(token);
                      if (attribute == null) {
                        continue;
                      }
                      if (attribute.key().equals(Span.SERVICE_NAME)
                          && attribute.value() instanceof String s) {
                        service = s;
                      } else {
                        resource.add(attribute);
                      }
                    }
                  }
                } else {
                  p.skipChildren();
                }
              }
            }
          }
          case "scopeSpans", "scope_spans" -> {
            if (json.array(token, field)) {
              while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
                scopeSpans(token, pending);
              }
            }
          }
          default -> p.skipChildren();
        }
      }
      // The resource may come after the spans in JSON, so spans are finished here.
      String serviceName = service == null || service.isEmpty() ? "unknown_service" : service;
      for (Pending span : pending) {
        span.builder().service(serviceName);
        for (Attribute attribute : resource) {
          span.builder().addResourceAttribute(attribute);
        }
        int resourceAt = resourceIndex;
        Spans.build(
            span.builder(),
            collector,
            () ->
                "resourceSpans["
                    + resourceAt
                    + "].scopeSpans["
                    + span.scope()
                    + "].spans["
                    + span.index()
                    + "]");
      }
    }

    private void scopeSpans(JsonToken token, List<Pending> pending) throws IOException {
      scopeIndex++;
      spanIndex = -1;
      if (!json.object(token, "scopeSpans")) {
        return;
      }
      String scopeName = "";
      String scopeVersion = "";
      int first = pending.size();
      String field;
      while ((field = p.nextFieldName()) != null) {
        token = p.nextToken();
        switch (field) {
          case "scope" -> {
            if (json.object(token, field)) {
              String scopeField;
              while ((scopeField = p.nextFieldName()) != null) {
                token = p.nextToken();
                switch (scopeField) {
                  case "name" -> scopeName = json.string(token, scopeField, names);
                  case "version" -> scopeVersion = json.string(token, scopeField, names);
                  default -> p.skipChildren();
                }
              }
            }
          }
          case "spans" -> {
            if (json.array(token, field)) {
              while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
                Span.Builder span = span(token);
                if (span != null) {
                  pending.add(new Pending(span, scopeIndex, spanIndex));
                }
              }
            }
          }
          default -> p.skipChildren();
        }
      }
      for (int i = first; i < pending.size(); i++) {
        pending.get(i).builder().scope(scopeName, scopeVersion);
      }
    }

    /** The span's builder, still without resource and scope; null if the span was rejected. */
    private Span.Builder span(JsonToken token) throws IOException {
      spanIndex++;
      collector.countSpan();
      Span.Builder span = Span.builder();
      idProblem = null;
      traceHigh = 0;
      traceLow = 0;
      spanId = 0;
      parentId = 0;
      boolean traceIdSeen = false;
      boolean spanIdSeen = false;
      long start = 0;
      long end = 0;
      int statusCode = 0;
      String statusMessage = "";
      if (json.object(token, "span")) {
        String field;
        while ((field = p.nextFieldName()) != null) {
          token = p.nextToken();
          switch (field) {
            case "traceId", "trace_id" -> {
              traceIdSeen = traceId(token, field);
            }
            case "spanId", "span_id" -> {
              spanIdSeen = true;
              spanId = spanId(token, field, "span id", false);
            }
            case "parentSpanId", "parent_span_id" -> {
              parentId = spanId(token, field, "parent span id", true);
            }
            case "traceState", "trace_state" -> span.traceState(json.string(token, field, values));
            case "name" -> span.name(json.string(token, field, names));
            case "kind" -> {
              int kind = json.enumValue(token, field, KIND_NAMES);
              span.kind(
                  kind >= 0 && kind < OtlpProtobufDecoder.KINDS.length
                      ? OtlpProtobufDecoder.KINDS[kind]
                      : Span.Kind.UNSPECIFIED);
            }
            case "startTimeUnixNano", "start_time_unix_nano" -> start = json.uint64(token, field);
            case "endTimeUnixNano", "end_time_unix_nano" -> end = json.uint64(token, field);
            case "flags" -> span.flags(json.uint32(token, field));
            case "attributes" -> {
              if (json.array(token, field)) {
                while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
                  Attribute attribute = keyValue(token);
                  if (attribute != null) {
                    span.addAttribute(attribute);
                  }
                }
              }
            }
            case "events" -> {
              if (json.array(token, field)) {
                while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
                  SpanEvent event = event(token);
                  if (event != null) {
                    span.addEvent(event);
                  }
                }
              }
            }
            case "links" -> {
              if (json.array(token, field)) {
                while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
                  SpanLink link = link(token);
                  if (link != null) {
                    span.addLink(link);
                  }
                }
              }
            }
            case "status" -> {
              if (json.object(token, field)) {
                String statusField;
                while ((statusField = p.nextFieldName()) != null) {
                  token = p.nextToken();
                  switch (statusField) {
                    case "message" -> statusMessage = json.string(token, statusField, values);
                    case "code" -> statusCode = json.enumValue(token, statusField, STATUS_NAMES);
                    default -> p.skipChildren();
                  }
                }
              }
            }
            default -> p.skipChildren();
          }
        }
      }
      String invalid = idProblem;
      if (invalid == null && !traceIdSeen) {
        invalid = "trace id is missing";
      }
      if (invalid == null && (traceHigh == 0 && traceLow == 0)) {
        invalid = "trace id is all zeros";
      }
      if (invalid == null && !spanIdSeen) {
        invalid = "span id is missing";
      }
      if (invalid == null && spanId == 0) {
        invalid = "span id is all zeros";
      }
      if (invalid == null && parentId == spanId) {
        invalid = "span is its own parent";
      }
      if (invalid == null) {
        invalid = Spans.invalidTimes(start, end);
      }
      if (invalid != null) {
        collector.reject(this::location, invalid);
        return null;
      }
      if (statusCode < 0 || statusCode >= OtlpProtobufDecoder.STATUSES.length) {
        statusCode = 0;
      }
      return span.traceId(new TraceId(traceHigh, traceLow))
          .spanId(spanId)
          .parentSpanId(parentId)
          .startEpochNanos(start)
          .durationNanos(end - start)
          .status(OtlpProtobufDecoder.STATUSES[statusCode], statusMessage);
    }

    /** Reads a 32-hex-digit trace id into the span's fields; false if absent (null or ""). */
    private boolean traceId(JsonToken token, String field) throws IOException {
      if (token == JsonToken.VALUE_NULL) {
        return false;
      }
      if (token != JsonToken.VALUE_STRING) {
        throw json.malformed(field + " must be a hex string, not " + Json.describe(token));
      }
      char[] chars = p.getTextCharacters();
      int offset = p.getTextOffset();
      int length = p.getTextLength();
      if (length == 0) {
        return false;
      }
      if (length != 32 || !Ids.isHex(chars, offset, length)) {
        problem("trace id must be 32 hex characters, got " + Json.shorten(p.getText()));
        return true;
      }
      traceHigh = Ids.hex(chars, offset, 16);
      traceLow = Ids.hex(chars, offset + 16, 16);
      return true;
    }

    /** A 16-hex-digit id; 0 if absent (null or ""), or if invalid (then noted as a problem). */
    private long spanId(JsonToken token, String field, String what, boolean optional)
        throws IOException {
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
      if (length != 16 || !Ids.isHex(chars, offset, length)) {
        problem(
            what
                + " must be "
                + (optional ? "empty or " : "")
                + "16 hex characters, got "
                + Json.shorten(p.getText()));
        return 0;
      }
      return Ids.hex(chars, offset, 16);
    }

    private void problem(String problem) {
      if (idProblem == null) {
        idProblem = problem;
      }
    }

    private SpanEvent event(JsonToken token) throws IOException {
      if (!json.object(token, "event")) {
        return null;
      }
      long time = 0;
      String name = "";
      List<Attribute> attributes = List.of();
      String field;
      while ((field = p.nextFieldName()) != null) {
        token = p.nextToken();
        switch (field) {
          case "timeUnixNano", "time_unix_nano" -> time = json.uint64(token, field);
          case "name" -> name = json.string(token, field, names);
          case "attributes" -> attributes = attributes(token, field);
          default -> p.skipChildren();
        }
      }
      return new SpanEvent(time, name, attributes);
    }

    /** A link, or null if its ids are missing or invalid (the span keeps its other links). */
    private SpanLink link(JsonToken token) throws IOException {
      if (!json.object(token, "link")) {
        return null;
      }
      String spanProblem = idProblem;
      long spanTraceHigh = traceHigh;
      long spanTraceLow = traceLow;
      idProblem = null;
      traceHigh = 0;
      traceLow = 0;
      long linkedSpan = 0;
      String traceState = "";
      List<Attribute> attributes = List.of();
      String field;
      while ((field = p.nextFieldName()) != null) {
        token = p.nextToken();
        switch (field) {
          case "traceId", "trace_id" -> traceId(token, field);
          case "spanId", "span_id" -> linkedSpan = spanId(token, field, "link span id", false);
          case "traceState", "trace_state" -> traceState = json.string(token, field, values);
          case "attributes" -> attributes = attributes(token, field);
          default -> p.skipChildren();
        }
      }
      boolean valid = idProblem == null && (traceHigh != 0 || traceLow != 0) && linkedSpan != 0;
      SpanLink link =
          valid
              ? new SpanLink(new TraceId(traceHigh, traceLow), linkedSpan, traceState, attributes)
              : null;
      idProblem = spanProblem;
      traceHigh = spanTraceHigh;
      traceLow = spanTraceLow;
      return link;
    }

    private List<Attribute> attributes(JsonToken token, String field) throws IOException {
      if (!json.array(token, field)) {
        return List.of();
      }
      List<Attribute> attributes = new ArrayList<>();
      while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
        Attribute attribute = keyValue(token);
        if (attribute != null) {
          attributes.add(attribute);
        }
      }
      return attributes;
    }

    /** A {@code KeyValue}, or null when its value is empty (the attribute is dropped). */
    private Attribute keyValue(JsonToken token) throws IOException {
      if (!json.object(token, "attribute")) {
        return null;
      }
      String key = "";
      Object raw = null;
      String field;
      while ((field = p.nextFieldName()) != null) {
        token = p.nextToken();
        switch (field) {
          case "key" -> key = json.string(token, field, names);
          case "value" -> raw = anyValue(token, 0);
          default -> p.skipChildren();
        }
      }
      Object value = AnyValues.toAttributeValue(raw);
      return value == null ? null : new Attribute(key, value);
    }

    /** A raw value as {@link AnyValues} describes, or null when no value is set. */
    private Object anyValue(JsonToken token, int depth) throws IOException {
      if (depth > AnyValues.MAX_DEPTH) {
        throw json.malformed(
            "attribute values nest deeper than " + AnyValues.MAX_DEPTH + " levels");
      }
      if (!json.object(token, "value")) {
        return null;
      }
      Object value = null;
      String field;
      while ((field = p.nextFieldName()) != null) {
        token = p.nextToken();
        switch (field) {
          case "stringValue", "string_value" -> {
            if (token != JsonToken.VALUE_NULL) {
              value = json.string(token, field, values);
            }
          }
          case "boolValue", "bool_value" -> value = orElse(json.bool(token, field), value);
          case "intValue", "int_value" -> value = orElse(json.int64(token, field), value);
          case "doubleValue", "double_value" -> value = orElse(json.float64(token, field), value);
          case "bytesValue", "bytes_value" -> value = orElse(json.base64(token, field), value);
          case "arrayValue", "array_value" -> {
            if (json.object(token, field)) {
              ArrayList<Object> elements = new ArrayList<>();
              String listField;
              while ((listField = p.nextFieldName()) != null) {
                token = p.nextToken();
                if (listField.equals("values") && json.array(token, listField)) {
                  while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
                    elements.add(anyValue(token, depth + 1));
                  }
                } else {
                  p.skipChildren();
                }
              }
              value = elements;
            }
          }
          case "kvlistValue", "kvlist_value" -> {
            if (json.object(token, field)) {
              List<String> keys = new ArrayList<>();
              List<Object> listValues = new ArrayList<>();
              String listField;
              while ((listField = p.nextFieldName()) != null) {
                token = p.nextToken();
                if (listField.equals("values") && json.array(token, listField)) {
                  while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
                    nestedKeyValue(token, depth + 1, keys, listValues);
                  }
                } else {
                  p.skipChildren();
                }
              }
              value = new AnyValues.KeyValues(keys, listValues);
            }
          }
          default -> p.skipChildren();
        }
      }
      return value;
    }

    private void nestedKeyValue(
        JsonToken token, int depth, List<String> keys, List<Object> listValues) throws IOException {
      if (!json.object(token, "attribute")) {
        return;
      }
      String key = "";
      Object raw = null;
      String field;
      while ((field = p.nextFieldName()) != null) {
        token = p.nextToken();
        switch (field) {
          case "key" -> key = json.string(token, field, names);
          case "value" -> raw = anyValue(token, depth);
          default -> p.skipChildren();
        }
      }
      keys.add(key);
      listValues.add(raw);
    }

    private static Object orElse(Object value, Object previous) {
      return value != null ? value : previous;
    }

    String location() {
      StringBuilder where = new StringBuilder();
      if (resourceIndex >= 0) {
        where.append("resourceSpans[").append(resourceIndex).append(']');
      }
      if (scopeIndex >= 0) {
        where.append(".scopeSpans[").append(scopeIndex).append(']');
      }
      if (spanIndex >= 0) {
        where.append(".spans[").append(spanIndex).append(']');
      }
      return where.length() == 0 ? "request" : where.toString();
    }
  }

  /** A span read before its resource (JSON fields come in any order), and where it was. */
  private record Pending(Span.Builder builder, int scope, int index) {}
}
