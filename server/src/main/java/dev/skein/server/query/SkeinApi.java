package dev.skein.server.query;

import com.fasterxml.jackson.core.JsonGenerator;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.skein.server.query.Responder.ErrorFormat;
import dev.skein.storage.LatencyHistogram;
import dev.skein.storage.SpanMetric;
import java.io.IOException;
import java.time.Clock;
import java.util.List;

/**
 * Skein's own API for its UI: per-minute RED metrics (rate, errors, duration) per operation, in
 * Jaeger's envelope so the UI reads every API the same way.
 */
final class SkeinApi {
  static final long DEFAULT_WINDOW_MILLIS = 3_600_000L;

  private final TimedStore store;
  private final Clock clock;

  SkeinApi(TimedStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  void register(ServerBuilder sb) {
    sb.route().get("/api/skein/metrics").build((ctx, req) -> metrics(ctx));
  }

  private HttpResponse metrics(ServiceRequestContext ctx) {
    return Responder.respond(
        ctx,
        ErrorFormat.JAEGER,
        out -> {
          ParamReader params = new ParamReader(ctx.queryParams());
          String service = params.get("service");
          long end = params.getNonNegativeLong("end", clock.millis());
          long start = params.getNonNegativeLong("start", Math.max(0, end - DEFAULT_WINDOW_MILLIS));
          if (start > end) {
            throw new BadParameterException("start", "must not be after 'end'");
          }
          List<SpanMetric> metrics = store.metrics(service, start, end);
          JsonGenerator gen = out.startJson();
          gen.writeStartObject();
          gen.writeArrayFieldStart("data");
          for (SpanMetric metric : metrics) {
            writeMetric(gen, metric);
          }
          gen.writeEndArray();
          JaegerApi.endEnvelope(gen, metrics.size());
        });
  }

  static void writeMetric(JsonGenerator gen, SpanMetric metric) throws IOException {
    long[] buckets = metric.bucketCounts();
    gen.writeStartObject();
    gen.writeNumberField("minute", metric.minuteEpochMillis());
    gen.writeStringField("service", metric.service());
    gen.writeStringField("operation", metric.operation());
    String kind = OtelTags.kindName(metric.kind());
    gen.writeStringField("spanKind", kind == null ? "" : kind);
    gen.writeNumberField("count", metric.count());
    gen.writeNumberField("errors", metric.errorCount());
    Json.writeDouble(gen, "ratePerSecond", metric.count() / 60.0);
    if (metric.count() > 0) {
      Json.writeDouble(gen, "errorRate", (double) metric.errorCount() / metric.count());
      Json.writeDouble(gen, "durationAvgMicros", metric.durationSumNanos() / 1e3 / metric.count());
    } else {
      gen.writeNullField("errorRate");
      gen.writeNullField("durationAvgMicros");
    }
    writePercentile(gen, "p50Micros", buckets, 0.50);
    writePercentile(gen, "p95Micros", buckets, 0.95);
    writePercentile(gen, "p99Micros", buckets, 0.99);
    gen.writeArrayFieldStart("histogram");
    for (int i = 0; i < buckets.length; i++) {
      if (buckets[i] == 0) {
        continue;
      }
      gen.writeStartObject();
      long bound = LatencyHistogram.upperBoundNanos(i);
      if (bound == Long.MAX_VALUE) {
        gen.writeNullField("leMicros");
      } else {
        gen.writeNumberField("leMicros", bound / 1_000L);
      }
      gen.writeNumberField("count", buckets[i]);
      gen.writeEndObject();
    }
    gen.writeEndArray();
    gen.writeEndObject();
  }

  private static void writePercentile(
      JsonGenerator gen, String field, long[] buckets, double quantile) throws IOException {
    double nanos = Percentiles.estimateNanos(buckets, quantile);
    if (Double.isNaN(nanos)) {
      gen.writeNullField(field);
    } else {
      // Tenths of a microsecond: finer would only show the estimate's noise.
      gen.writeNumberField(field, Math.round(nanos / 100.0) / 10.0);
    }
  }
}
