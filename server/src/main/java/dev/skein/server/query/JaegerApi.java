package dev.skein.server.query;

import com.fasterxml.jackson.core.JsonGenerator;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.skein.server.query.Responder.ErrorFormat;
import dev.skein.storage.DependencyLink;
import dev.skein.storage.Operation;
import dev.skein.storage.Span;
import dev.skein.storage.TraceId;
import dev.skein.storage.TraceQuery;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** Jaeger's query HTTP API (the one its UI and Grafana's Jaeger data source call). */
final class JaegerApi {
  static final int DEFAULT_LIMIT = 20;

  /** Jaeger searches the last two days when neither start nor lookback is given. */
  static final long DEFAULT_LOOKBACK_NANOS = 2 * 86_400_000_000_000L;

  static final long DEFAULT_DEPENDENCY_LOOKBACK_MILLIS = 86_400_000L;

  private final TimedStore store;
  private final Clock clock;
  private final int maxTraces;

  JaegerApi(TimedStore store, Clock clock, int maxTraces) {
    this.store = store;
    this.clock = clock;
    this.maxTraces = maxTraces;
  }

  void register(ServerBuilder sb) {
    sb.route().get("/api/services").build((ctx, req) -> services(ctx));
    sb.route()
        .get("/api/services/{service}/operations")
        .build((ctx, req) -> operationNames(ctx, ctx.pathParam("service")));
    sb.route().get("/api/operations").build((ctx, req) -> operations(ctx));
    sb.route().get("/api/traces").build((ctx, req) -> searchTraces(ctx));
    sb.route()
        .get("/api/traces/{traceId}")
        .build((ctx, req) -> trace(ctx, ctx.pathParam("traceId")));
    sb.route().get("/api/dependencies").build((ctx, req) -> dependencies(ctx));
  }

  private static HttpResponse respond(ServiceRequestContext ctx, Responder.Body body) {
    return Responder.respond(ctx, ErrorFormat.JAEGER, body);
  }

  /** {@code {"data": <list>, "total": n, "limit": 0, "offset": 0, "errors": null}}. */
  static void writeStrings(Responder out, List<String> values) throws IOException {
    JsonGenerator gen = out.startJson();
    gen.writeStartObject();
    gen.writeArrayFieldStart("data");
    for (String value : values) {
      gen.writeString(value);
    }
    gen.writeEndArray();
    endEnvelope(gen, values.size());
  }

  /** Closes an envelope whose data array was just written. */
  static void endEnvelope(JsonGenerator gen, long total) throws IOException {
    gen.writeNumberField("total", total);
    gen.writeNumberField("limit", 0);
    gen.writeNumberField("offset", 0);
    gen.writeNullField("errors");
    gen.writeEndObject();
  }

  private HttpResponse services(ServiceRequestContext ctx) {
    return respond(ctx, out -> writeStrings(out, store.services()));
  }

  private HttpResponse operationNames(ServiceRequestContext ctx, String service) {
    return respond(
        ctx,
        out -> {
          Set<String> names = new LinkedHashSet<>();
          for (Operation operation : store.operations(service)) {
            names.add(operation.name());
          }
          writeStrings(out, new ArrayList<>(names));
        });
  }

  private HttpResponse operations(ServiceRequestContext ctx) {
    return respond(
        ctx,
        out -> {
          ParamReader params = new ParamReader(ctx.queryParams());
          String service = params.require("service");
          String kindText = params.get("spanKind");
          Span.Kind kind = kindText == null ? null : Params.parseSpanKind("spanKind", kindText);
          List<Operation> operations = store.operations(service);
          JsonGenerator gen = out.startJson();
          gen.writeStartObject();
          gen.writeArrayFieldStart("data");
          int count = 0;
          for (Operation operation : operations) {
            if (kind == null || operation.kind() == kind) {
              gen.writeStartObject();
              gen.writeStringField("name", operation.name());
              String kindName = OtelTags.kindName(operation.kind());
              gen.writeStringField("spanKind", kindName == null ? "" : kindName);
              gen.writeEndObject();
              count++;
            }
          }
          gen.writeEndArray();
          endEnvelope(gen, count);
        });
  }

  private HttpResponse trace(ServiceRequestContext ctx, String traceIdText) {
    return respond(
        ctx,
        out -> {
          TraceId traceId = Params.parseTraceId("traceID", traceIdText);
          JaegerJson.TraceWriter[] writer = {null};
          store.readTrace(
              traceId,
              span -> {
                if (writer[0] == null) {
                  writer[0] = new JaegerJson.TraceWriter(startData(out), traceId);
                }
                writer[0].accept(span);
              },
              out::waitedNanos);
          if (writer[0] == null) {
            out.error(HttpStatus.NOT_FOUND, "trace not found: " + traceId.toShortestHex());
            return;
          }
          writer[0].end();
          JsonGenerator gen = out.startedJson();
          gen.writeEndArray();
          endEnvelope(gen, 1);
        });
  }

  /** Starts the 200 response and its envelope up to the open data array. */
  private static JsonGenerator startData(Responder out) {
    try {
      JsonGenerator gen = out.startJson();
      gen.writeStartObject();
      gen.writeArrayFieldStart("data");
      return gen;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private HttpResponse searchTraces(ServiceRequestContext ctx) {
    return respond(
        ctx,
        out -> {
          ParamReader params = new ParamReader(ctx.queryParams());
          List<String> idTexts = params.all("traceID");
          if (!idTexts.isEmpty()) {
            List<TraceId> ids = new ArrayList<>();
            for (String text : idTexts) {
              ids.add(Params.parseTraceId("traceID", text));
            }
            if (ids.size() > maxTraces) {
              throw new BadParameterException("traceID", "at most " + maxTraces + " ids");
            }
            writeTraces(out, ids, true);
            return;
          }
          SearchRequest search = parseSearch(params, clock, maxTraces);
          writeTraces(out, TraceSearch.find(store, search.query(), search.extra()), false);
        });
  }

  /** A parsed search: what the store evaluates, and what only the shown tags can answer. */
  record SearchRequest(TraceQuery query, Predicate<Span> extra) {}

  static SearchRequest parseSearch(ParamReader params, Clock clock, int maxTraces) {
    String service = params.get("service");
    String operation = params.get("operation");
    Map<String, String> tags = new LinkedHashMap<>();
    for (String pair : params.all("tag")) {
      Params.parseTagPair("tag", pair, tags);
    }
    for (String json : params.all("tags")) {
      Params.parseTagsJson("tags", json, tags);
    }
    long endNanos =
        params.get("end") == null
            ? Times.nowNanos(clock)
            : Times.endOfMicro(Params.scale("end", params.getNonNegativeLong("end", 0), 1_000L));
    long startNanos;
    if (params.get("start") != null) {
      startNanos = Params.scale("start", params.getNonNegativeLong("start", 0), 1_000L);
    } else {
      long lookback = params.getDuration("lookback", DEFAULT_LOOKBACK_NANOS);
      startNanos = Math.max(0, endNanos - lookback);
    }
    if (startNanos > endNanos) {
      throw new BadParameterException("start", "must not be after 'end'");
    }
    long minDuration = params.getDuration("minDuration", 0);
    long maxDuration = params.getDuration("maxDuration", 0);
    if (maxDuration == 0) {
      maxDuration = Long.MAX_VALUE; // Jaeger reads 0 as no bound
    }
    if (maxDuration < minDuration) {
      throw new BadParameterException("maxDuration", "must not be below 'minDuration'");
    }
    long limit = params.getNonNegativeLong("limit", DEFAULT_LIMIT);
    if (limit == 0) {
      limit = DEFAULT_LIMIT;
    }
    limit = Math.min(limit, maxTraces);

    Map<String, String> storeTags = new LinkedHashMap<>();
    Map<String, String> shownTags = new LinkedHashMap<>();
    tags.forEach(
        (key, value) ->
            (TagView.JAEGER.derivedKeys().contains(key) ? shownTags : storeTags).put(key, value));
    TraceQuery query =
        new TraceQuery(
            service,
            operation,
            storeTags,
            startNanos,
            endNanos,
            minDuration,
            maxDuration,
            (int) limit);
    Predicate<Span> extra =
        shownTags.isEmpty() ? null : TraceSearch.shownTags(shownTags, TagView.JAEGER);
    return new SearchRequest(query, extra);
  }

  /**
   * Streams the traces as the envelope's data, skipping any that vanished since the search; for a
   * lookup by ids each unknown id is reported in {@code errors}.
   */
  private void writeTraces(Responder out, List<TraceId> ids, boolean reportMissing)
      throws IOException {
    JsonGenerator gen = out.startJson();
    gen.writeStartObject();
    gen.writeArrayFieldStart("data");
    long written = 0;
    List<TraceId> missing = new ArrayList<>();
    for (TraceId id : ids) {
      JaegerJson.TraceWriter writer = new JaegerJson.TraceWriter(gen, id);
      store.readTrace(id, writer, out::waitedNanos);
      writer.end();
      if (writer.spanCount() > 0) {
        written++;
      } else {
        missing.add(id);
      }
    }
    gen.writeEndArray();
    gen.writeNumberField("total", written);
    gen.writeNumberField("limit", 0);
    gen.writeNumberField("offset", 0);
    if (!reportMissing || missing.isEmpty()) {
      gen.writeNullField("errors");
    } else {
      gen.writeArrayFieldStart("errors");
      for (TraceId id : missing) {
        gen.writeStartObject();
        gen.writeNumberField("code", HttpStatus.NOT_FOUND.code());
        gen.writeStringField("msg", "trace not found");
        gen.writeStringField("traceID", id.toShortestHex());
        gen.writeEndObject();
      }
      gen.writeEndArray();
    }
    gen.writeEndObject();
  }

  private HttpResponse dependencies(ServiceRequestContext ctx) {
    return respond(
        ctx,
        out -> {
          ParamReader params = new ParamReader(ctx.queryParams());
          long endTs = params.getNonNegativeLong("endTs", clock.millis());
          long lookback = params.getNonNegativeLong("lookback", DEFAULT_DEPENDENCY_LOOKBACK_MILLIS);
          String service = params.get("service");
          List<DependencyLink> links = store.dependencies(Math.max(0, endTs - lookback), endTs);
          JsonGenerator gen = out.startJson();
          gen.writeStartObject();
          gen.writeArrayFieldStart("data");
          int count = 0;
          for (DependencyLink link : links) {
            if (service == null || service.equals(link.parent()) || service.equals(link.child())) {
              gen.writeStartObject();
              gen.writeStringField("parent", link.parent());
              gen.writeStringField("child", link.child());
              gen.writeNumberField("callCount", link.callCount());
              gen.writeEndObject();
              count++;
            }
          }
          gen.writeEndArray();
          endEnvelope(gen, count);
        });
  }
}
