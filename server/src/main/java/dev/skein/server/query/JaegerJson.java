package dev.skein.server.query;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.skein.storage.Attribute;
import dev.skein.storage.Hex;
import dev.skein.storage.Span;
import dev.skein.storage.SpanEvent;
import dev.skein.storage.SpanLink;
import dev.skein.storage.TraceId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Writes spans in the JSON model of Jaeger's query service (what its UI and Grafana's Jaeger data
 * source read). A trace is written span by span as the store streams it; its processes (one per
 * service and resource) come after the spans, once all are known.
 */
final class JaegerJson {
  private static final String LINK_REF_TYPE = "opentracing.ref_type";

  private JaegerJson() {}

  private record ProcessKey(String service, List<Attribute> resource) {}

  /** One trace object; feed it spans with {@link #accept}, then call {@link #end}. */
  static final class TraceWriter implements Consumer<Span> {
    private final JsonGenerator gen;
    private final String traceHex;
    private final Map<ProcessKey, String> processIds = new HashMap<>();
    private final List<ProcessKey> processes = new ArrayList<>();
    // Consecutive spans usually share a resource: skip the map for them.
    private List<Attribute> lastResource;
    private String lastService;
    private String lastProcessId;
    private long spanCount;

    TraceWriter(JsonGenerator gen, TraceId traceId) {
      this.gen = gen;
      this.traceHex = traceId.toShortestHex();
    }

    long spanCount() {
      return spanCount;
    }

    @Override
    public void accept(Span span) {
      try {
        if (spanCount++ == 0) {
          gen.writeStartObject();
          gen.writeStringField("traceID", traceHex);
          gen.writeArrayFieldStart("spans");
        }
        writeSpan(span, processId(span));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private String processId(Span span) {
      if (span.resource() == lastResource && span.service().equals(lastService)) {
        return lastProcessId;
      }
      ProcessKey key = new ProcessKey(span.service(), span.resource());
      String id = processIds.get(key);
      if (id == null) {
        processes.add(key);
        id = "p" + processes.size();
        processIds.put(key, id);
      }
      lastResource = span.resource();
      lastService = span.service();
      lastProcessId = id;
      return id;
    }

    /** Closes the trace object; writes nothing if no span came. */
    void end() throws IOException {
      if (spanCount == 0) {
        return;
      }
      gen.writeEndArray();
      gen.writeObjectFieldStart("processes");
      for (int i = 0; i < processes.size(); i++) {
        ProcessKey process = processes.get(i);
        gen.writeObjectFieldStart("p" + (i + 1));
        gen.writeStringField("serviceName", process.service());
        gen.writeArrayFieldStart("tags");
        for (Attribute attribute : process.resource()) {
          writeKeyValue(gen, attribute.key(), attribute.value());
        }
        gen.writeEndArray();
        gen.writeEndObject();
      }
      gen.writeEndObject();
      gen.writeNullField("warnings");
      gen.writeEndObject();
    }

    private void writeSpan(Span span, String processId) throws IOException {
      gen.writeStartObject();
      gen.writeStringField("traceID", traceHex);
      gen.writeStringField("spanID", Hex.toHex(span.spanId()));
      gen.writeNumberField("flags", span.flags() & 0xFF);
      gen.writeStringField("operationName", span.name());
      gen.writeArrayFieldStart("references");
      if (!span.isRoot()) {
        writeReference("CHILD_OF", traceHex, span.parentSpanId());
      }
      for (SpanLink link : span.links()) {
        String refType =
            "child_of".equals(Json.textOf(link.attributes(), LINK_REF_TYPE))
                ? "CHILD_OF"
                : "FOLLOWS_FROM";
        writeReference(refType, link.traceId().toShortestHex(), link.spanId());
      }
      gen.writeEndArray();
      gen.writeNumberField("startTime", Json.micros(span.startEpochNanos()));
      gen.writeNumberField("duration", Json.micros(span.durationNanos()));
      gen.writeArrayFieldStart("tags");
      writeTags(span);
      gen.writeEndArray();
      gen.writeArrayFieldStart("logs");
      for (SpanEvent event : span.events()) {
        gen.writeStartObject();
        gen.writeNumberField("timestamp", Json.micros(event.epochNanos()));
        gen.writeArrayFieldStart("fields");
        if (!event.name().isEmpty() && !Json.hasKey(event.attributes(), "event")) {
          writeKeyValue(gen, "event", event.name());
        }
        for (Attribute attribute : event.attributes()) {
          writeKeyValue(gen, attribute.key(), attribute.value());
        }
        gen.writeEndArray();
        gen.writeEndObject();
      }
      gen.writeEndArray();
      gen.writeStringField("processID", processId);
      gen.writeNullField("warnings");
      gen.writeEndObject();
    }

    private void writeReference(String type, String traceId, long spanId) throws IOException {
      gen.writeStartObject();
      gen.writeStringField("refType", type);
      gen.writeStringField("traceID", traceId);
      gen.writeStringField("spanID", Hex.toHex(spanId));
      gen.writeEndObject();
    }

    private void writeTags(Span span) throws IOException {
      List<Attribute> attributes = span.attributes();
      for (Attribute attribute : attributes) {
        writeKeyValue(gen, attribute.key(), attribute.value());
      }
      // The derived tags, unless an attribute of the same key is already shown.
      writeDerived(attributes, OtelTags.SPAN_KIND, OtelTags.kindName(span.kind()));
      writeDerived(attributes, OtelTags.STATUS_CODE, OtelTags.statusCode(span.status()));
      if (span.status() == Span.Status.ERROR && !Json.hasKey(attributes, OtelTags.ERROR)) {
        writeKeyValue(gen, OtelTags.ERROR, Boolean.TRUE);
      }
      writeDerived(
          attributes, OtelTags.STATUS_DESCRIPTION, OtelTags.nonEmpty(span.statusMessage()));
      writeDerived(attributes, OtelTags.SCOPE_NAME, OtelTags.nonEmpty(span.scopeName()));
      writeDerived(attributes, OtelTags.SCOPE_VERSION, OtelTags.nonEmpty(span.scopeVersion()));
      writeDerived(attributes, OtelTags.TRACE_STATE, OtelTags.nonEmpty(span.traceState()));
    }

    private void writeDerived(List<Attribute> attributes, String key, String value)
        throws IOException {
      if (value != null && !Json.hasKey(attributes, key)) {
        writeKeyValue(gen, key, value);
      }
    }
  }

  /** A typed Jaeger key/value; arrays are shown as their JSON-like text, as Jaeger does. */
  static void writeKeyValue(JsonGenerator gen, String key, Object value) throws IOException {
    gen.writeStartObject();
    gen.writeStringField("key", key);
    if (value instanceof String s) {
      gen.writeStringField("type", "string");
      gen.writeStringField("value", s);
    } else if (value instanceof Boolean b) {
      gen.writeStringField("type", "bool");
      gen.writeBooleanField("value", b);
    } else if (value instanceof Long l) {
      gen.writeStringField("type", "int64");
      gen.writeNumberField("value", l);
    } else if (value instanceof Double d && Double.isFinite(d)) {
      gen.writeStringField("type", "float64");
      gen.writeNumberField("value", d);
    } else {
      gen.writeStringField("type", "string");
      gen.writeStringField("value", new Attribute(key, value).valueAsString());
    }
    gen.writeEndObject();
  }
}
