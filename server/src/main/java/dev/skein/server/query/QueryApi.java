package dev.skein.server.query;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.ServerBuilder;
import dev.skein.storage.SpanStore;
import java.time.Clock;
import java.util.Objects;

/**
 * The query APIs over a {@link SpanStore}: Jaeger's ({@code /api/services}, {@code /api/traces},
 * ...), Zipkin's v2 read API ({@code /api/v2/...}) and Skein's own ({@code /api/skein/...}).
 *
 * <pre>{@code
 * QueryApi api = new QueryApi(store);
 * ServerBuilder sb = Server.builder().http(16686);
 * api.registerOn(sb);
 * // later, for /metrics: api.stats().writePrometheus(text);
 * }</pre>
 *
 * <p>Store calls run on the server's blocking executor. Any other path under {@code /api/} answers
 * 404 (in Jaeger's envelope, or as text under {@code /api/v2/}); routes with an exact path that
 * others add to the same server under {@code /api/} take precedence over that fallback.
 */
public final class QueryApi {
  /** The most traces one search or lookup returns, whatever its limit asks. */
  public static final int DEFAULT_MAX_TRACES = 1500;

  private final QueryStats stats = new QueryStats();
  private final JaegerApi jaeger;
  private final ZipkinApi zipkin;
  private final SkeinApi skein;

  /** Serves {@code store} with the system clock and {@link #DEFAULT_MAX_TRACES}. */
  public QueryApi(SpanStore store) {
    this(store, Clock.systemUTC(), DEFAULT_MAX_TRACES);
  }

  /**
   * @param clock gives "now" for searches without an end time
   * @param maxTraces the cap on any limit parameter, at least 1
   */
  public QueryApi(SpanStore store, Clock clock, int maxTraces) {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(clock, "clock");
    if (maxTraces < 1) {
      throw new IllegalArgumentException("maxTraces must be at least 1, got " + maxTraces);
    }
    TimedStore timed = new TimedStore(store, stats);
    jaeger = new JaegerApi(timed, clock, maxTraces);
    zipkin = new ZipkinApi(timed, clock, maxTraces);
    skein = new SkeinApi(timed, clock);
  }

  /** Latency of the store calls made so far. */
  public QueryStats stats() {
    return stats;
  }

  /** Adds every route to {@code sb}. */
  public void registerOn(ServerBuilder sb) {
    jaeger.register(sb);
    zipkin.register(sb);
    skein.register(sb);
    sb.serviceUnder(
        "/api/v2/",
        (ctx, req) ->
            HttpResponse.of(
                HttpStatus.NOT_FOUND, MediaType.PLAIN_TEXT_UTF_8, "no such path: " + ctx.path()));
    sb.serviceUnder(
        "/api/",
        (ctx, req) ->
            HttpResponse.of(
                HttpStatus.NOT_FOUND,
                MediaType.JSON_UTF_8,
                HttpData.wrap(
                    Responder.jaegerError(
                        HttpStatus.NOT_FOUND.code(), "no such path: " + ctx.path()))));
  }
}
