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
import dev.skein.storage.SpanEvent;
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
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Zipkin's v2 read API under {@code /api/v2}; errors are plain text, as Zipkin sends them. */
final class ZipkinApi {
  static final int DEFAULT_LIMIT = 10;

  /** Zipkin's default lookback: one day. */
  static final long DEFAULT_LOOKBACK_MILLIS = 86_400_000L;

  private final TimedStore store;
  private final Clock clock;
  private final int maxTraces;

  ZipkinApi(TimedStore store, Clock clock, int maxTraces) {
    this.store = store;
    this.clock = clock;
    this.maxTraces = maxTraces;
  }

  void register(ServerBuilder sb) {
    sb.route().get("/api/v2/services").build((ctx, req) -> strings(ctx, store::services));
    sb.route().get("/api/v2/spans").build((ctx, req) -> spanNames(ctx));
    sb.route().get("/api/v2/remoteServices").build((ctx, req) -> remoteServices(ctx));
    sb.route().get("/api/v2/traces").build((ctx, req) -> traces(ctx));
    sb.route()
        .get("/api/v2/trace/{traceId}")
        .build((ctx, req) -> trace(ctx, ctx.pathParam("traceId")));
    sb.route().get("/api/v2/traceMany").build((ctx, req) -> traceMany(ctx));
    sb.route().get("/api/v2/dependencies").build((ctx, req) -> dependencies(ctx));
    sb.route().get("/api/v2/autocompleteKeys").build((ctx, req) -> strings(ctx, store::tagKeys));
    sb.route().get("/api/v2/autocompleteValues").build((ctx, req) -> autocompleteValues(ctx));
  }

  private static HttpResponse respond(ServiceRequestContext ctx, Responder.Body body) {
    return Responder.respond(ctx, ErrorFormat.TEXT, body);
  }

  private static void writeStrings(Responder out, List<String> values) throws IOException {
    JsonGenerator gen = out.startJson();
    gen.writeStartArray();
    for (String value : values) {
      gen.writeString(value);
    }
    gen.writeEndArray();
  }

  private HttpResponse strings(ServiceRequestContext ctx, Supplier<List<String>> source) {
    return respond(ctx, out -> writeStrings(out, source.get()));
  }

  private HttpResponse spanNames(ServiceRequestContext ctx) {
    return respond(
        ctx,
        out -> {
          String service = new ParamReader(ctx.queryParams()).require("serviceName");
          Set<String> names = new LinkedHashSet<>();
          for (Operation operation : store.operations(service)) {
            names.add(operation.name());
          }
          writeStrings(out, new ArrayList<>(names));
        });
  }

  private HttpResponse remoteServices(ServiceRequestContext ctx) {
    return respond(
        ctx,
        out -> {
          String service = new ParamReader(ctx.queryParams()).require("serviceName");
          writeStrings(out, store.remoteServices(service));
        });
  }

  private HttpResponse autocompleteValues(ServiceRequestContext ctx) {
    return respond(
        ctx,
        out -> {
          String key = new ParamReader(ctx.queryParams()).require("key");
          writeStrings(out, store.tagValues(key));
        });
  }

  private HttpResponse trace(ServiceRequestContext ctx, String traceIdText) {
    return respond(
        ctx,
        out -> {
          TraceId traceId = Params.parseTraceId("traceId", traceIdText);
          boolean[] found = {false};
          store.readTrace(
              traceId,
              span -> {
                try {
                  if (!found[0]) {
                    found[0] = true;
                    out.startJson().writeStartArray();
                  }
                  ZipkinJson.writeSpan(out.startedJson(), span);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              },
              out::waitedNanos);
          if (!found[0]) {
            out.error(HttpStatus.NOT_FOUND, traceId.toShortestHex() + " not found");
            return;
          }
          out.startedJson().writeEndArray();
        });
  }

  private HttpResponse traceMany(ServiceRequestContext ctx) {
    return respond(
        ctx,
        out -> {
          String text = new ParamReader(ctx.queryParams()).require("traceIds");
          Set<TraceId> ids = new LinkedHashSet<>();
          for (String part : text.split(",", -1)) {
            String idText = part.strip();
            if (idText.isEmpty()) {
              continue;
            }
            if (!ids.add(Params.parseTraceId("traceIds", idText))) {
              throw new BadParameterException("traceIds", "redundant trace id " + idText);
            }
            if (ids.size() > maxTraces) {
              throw new BadParameterException("traceIds", "at most " + maxTraces + " ids");
            }
          }
          if (ids.isEmpty()) {
            throw new BadParameterException("traceIds", "no trace id given");
          }
          writeTraces(out, new ArrayList<>(ids));
        });
  }

  private HttpResponse traces(ServiceRequestContext ctx) {
    return respond(
        ctx,
        out -> {
          JaegerApi.SearchRequest search =
              parseSearch(new ParamReader(ctx.queryParams()), clock, maxTraces);
          writeTraces(out, TraceSearch.find(store, search.query(), search.extra()));
        });
  }

  static JaegerApi.SearchRequest parseSearch(ParamReader params, Clock clock, int maxTraces) {
    String service = params.get("serviceName");
    String spanName = params.get("spanName");
    if ("all".equals(spanName)) {
      spanName = null; // what Zipkin's UI sends for any span name
    }
    Map<String, String> tags = new LinkedHashMap<>();
    String remoteService = params.get("remoteServiceName");
    if (remoteService != null) {
      tags.put(Span.PEER_SERVICE, remoteService);
    }
    Params.AnnotationQuery annotations =
        params.get("annotationQuery") == null
            ? new Params.AnnotationQuery(Map.of(), Set.of())
            : Params.parseAnnotationQuery("annotationQuery", params.get("annotationQuery"));
    tags.putAll(annotations.tags());

    long minDuration =
        Params.scale("minDuration", params.getNonNegativeLong("minDuration", 0), 1_000L);
    long maxDuration =
        params.get("maxDuration") == null
            ? Long.MAX_VALUE
            : Params.scale("maxDuration", params.getNonNegativeLong("maxDuration", 0), 1_000L);
    if (maxDuration < minDuration) {
      throw new BadParameterException("maxDuration", "must not be below 'minDuration'");
    }
    long endTs = params.getLong("endTs", clock.millis());
    if (endTs <= 0) {
      throw new BadParameterException("endTs", "must be positive");
    }
    long lookback = params.getLong("lookback", DEFAULT_LOOKBACK_MILLIS);
    if (lookback <= 0) {
      throw new BadParameterException("lookback", "must be positive");
    }
    long limit = params.getLong("limit", DEFAULT_LIMIT);
    if (limit <= 0) {
      throw new BadParameterException("limit", "must be positive");
    }
    long endNanos = Times.endOfMilli(Params.scale("endTs", endTs, Times.NANOS_PER_MILLI));
    // Both are positive, so this neither overflows nor exceeds endTs, whose nanoseconds fit.
    long startNanos = Math.max(0, endTs - lookback) * Times.NANOS_PER_MILLI;

    Map<String, String> storeTags = new LinkedHashMap<>();
    Map<String, String> shownTags = new LinkedHashMap<>();
    tags.forEach(
        (key, value) ->
            (TagView.ZIPKIN.derivedKeys().contains(key) ? shownTags : storeTags).put(key, value));
    Predicate<Span> extra =
        shownTags.isEmpty() ? null : TraceSearch.shownTags(shownTags, TagView.ZIPKIN);
    if (!annotations.words().isEmpty()) {
      extra = TraceSearch.and(extra, hasEveryWord(annotations.words()));
    }
    TraceQuery query =
        new TraceQuery(
            service,
            spanName,
            storeTags,
            startNanos,
            endNanos,
            minDuration,
            maxDuration,
            (int) Math.min(limit, maxTraces));
    return new JaegerApi.SearchRequest(query, extra);
  }

  /** Each word is a tag key the span shows or the name of one of its events (an annotation). */
  static Predicate<Span> hasEveryWord(Set<String> words) {
    return span -> {
      for (String word : words) {
        if (TagView.ZIPKIN.valueOf(span, word) == null && !hasEvent(span, word)) {
          return false;
        }
      }
      return true;
    };
  }

  private static boolean hasEvent(Span span, String name) {
    for (SpanEvent event : span.events()) {
      if (event.name().equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** {@code [[span, ...], ...]}, skipping traces that are not (or no longer) stored. */
  private void writeTraces(Responder out, List<TraceId> ids) throws IOException {
    JsonGenerator gen = out.startJson();
    gen.writeStartArray();
    for (TraceId id : ids) {
      boolean[] open = {false};
      Consumer<Span> writer =
          span -> {
            try {
              if (!open[0]) {
                open[0] = true;
                gen.writeStartArray();
              }
              ZipkinJson.writeSpan(gen, span);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          };
      store.readTrace(id, writer, out::waitedNanos);
      if (open[0]) {
        gen.writeEndArray();
      }
    }
    gen.writeEndArray();
  }

  private HttpResponse dependencies(ServiceRequestContext ctx) {
    return respond(
        ctx,
        out -> {
          ParamReader params = new ParamReader(ctx.queryParams());
          long endTs = params.getLong("endTs", clock.millis());
          if (endTs <= 0) {
            throw new BadParameterException("endTs", "must be positive");
          }
          long lookback = params.getLong("lookback", DEFAULT_LOOKBACK_MILLIS);
          if (lookback <= 0) {
            throw new BadParameterException("lookback", "must be positive");
          }
          List<DependencyLink> links = store.dependencies(Math.max(0, endTs - lookback), endTs);
          JsonGenerator gen = out.startJson();
          gen.writeStartArray();
          for (DependencyLink link : links) {
            gen.writeStartObject();
            gen.writeStringField("parent", link.parent());
            gen.writeStringField("child", link.child());
            gen.writeNumberField("callCount", link.callCount());
            if (link.errorCount() > 0) {
              gen.writeNumberField("errorCount", link.errorCount());
            }
            gen.writeEndObject();
          }
          gen.writeEndArray();
        });
  }
}
