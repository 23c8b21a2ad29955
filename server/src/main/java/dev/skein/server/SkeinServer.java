package dev.skein.server;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.skein.server.ingest.ReceiverMetrics;
import dev.skein.server.ingest.ReceiverSettings;
import dev.skein.server.ingest.Receivers;
import dev.skein.server.log.FileIngestLog;
import dev.skein.server.pipeline.Pipeline;
import dev.skein.server.pipeline.StartTimeWindow;
import dev.skein.server.query.QueryApi;
import dev.skein.storage.MemorySpanStore;
import dev.skein.storage.SpanCodec;
import dev.skein.storage.SpanStore;
import dev.skein.storage.rocksdb.RocksSpanStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * skein-server in one process: receivers, ingest log, pipeline, store and query API. {@link #start}
 * returns once every port listens and {@code /health} answers 200; {@link #close} stops taking
 * spans, stores what the log holds, and releases everything.
 */
public final class SkeinServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(SkeinServer.class.getName());

  private final ServerConfig config;
  private final FileIngestLog log;
  private final SpanStore store;
  private final StartTimeWindow startTimeWindow;
  private final Pipeline pipeline;
  private final Receivers receivers;
  private final Server otlpGrpcServer;
  private final Server otlpHttpServer;
  private final Server zipkinServer;
  private final QueryApi queryApi;
  private final Server queryServer;
  private final ScheduledExecutorService housekeeping;
  private volatile boolean ready;

  private SkeinServer(ServerConfig config) throws IOException {
    this.config = config;
    this.log =
        FileIngestLog.open(config.dataDir().resolve("ingest"), FileIngestLog.Options.defaults());
    SpanStore opened = null;
    try {
      opened = openStore(config);
      this.store = opened;
      this.startTimeWindow =
          new StartTimeWindow(Clock.systemUTC(), config.retention(), Duration.ofDays(1));
      this.pipeline =
          new Pipeline(log, store, List.of(startTimeWindow), Pipeline.Options.defaults());
      this.queryApi = new QueryApi(store);
      this.queryServer = buildQueryServer();
      this.receivers = new Receivers(this::appendToLog, ReceiverSettings.defaults());
      this.otlpGrpcServer =
          listening(config.otlpGrpcPort()).service(receivers.otlpGrpcService()).build();
      this.otlpHttpServer =
          listening(config.otlpHttpPort())
              .service(Receivers.OTLP_HTTP_PATH, receivers.otlpHttpService())
              .build();
      // Zipkin's own server answers its query API on the port it takes spans on; so does this one,
      // for a Zipkin UI or Grafana data source pointed at :9411.
      ServerBuilder zipkin = listening(config.zipkinPort());
      zipkin.route().post(Receivers.ZIPKIN_PATH).build(receivers.zipkinService());
      queryApi.registerOn(zipkin);
      this.zipkinServer = zipkin.build();
      this.housekeeping =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread thread = new Thread(r, "skein-retention");
                thread.setDaemon(true);
                return thread;
              });
    } catch (RuntimeException e) {
      if (opened != null) {
        opened.close();
      }
      log.close();
      throw e;
    }
  }

  /** Opens the data directory, replays the log and listens on every port. */
  public static SkeinServer start(ServerConfig config) throws IOException {
    SkeinServer server = new SkeinServer(config);
    try {
      server.pipeline.start();
      server.queryServer.start().join();
      server.awaitReplay();
      for (Server receiver : server.receiverServers()) {
        receiver.start().join();
      }
      long retentionMillis = config.retention().toMillis();
      long every = Math.max(1_000, Math.min(retentionMillis / 10, TimeUnit.MINUTES.toMillis(10)));
      server.housekeeping.scheduleWithFixedDelay(
          server::applyRetention, 0, every, TimeUnit.MILLISECONDS);
      server.ready = true;
      return server;
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** Waits until what the log held at start-up is in the store, so every acknowledged span is. */
  private void awaitReplay() {
    long last = log.endOffset() - 1;
    long reported = System.nanoTime();
    while (pipeline.stats().processedOffset() < last && log.committedOffset() < last) {
      if (System.nanoTime() - reported > TimeUnit.SECONDS.toNanos(10)) {
        LOG.log(
            System.Logger.Level.INFO,
            "replaying the ingest log: at offset "
                + pipeline.stats().processedOffset()
                + " of "
                + last);
        reported = System.nanoTime();
      }
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
  }

  private static SpanStore openStore(ServerConfig config) {
    return switch (config.storage()) {
      case MEMORY -> new MemorySpanStore();
      case ROCKSDB ->
          RocksSpanStore.open(config.dataDir().resolve("store"), RocksSpanStore.Options.defaults());
    };
  }

  /** Appends one log record per request; the receiver acknowledges when it is durable. */
  CompletableFuture<Void> appendToLog(List<dev.skein.storage.Span> spans) {
    return log.append(SpanCodec.encode(spans)).thenApply(offset -> null);
  }

  private ServerBuilder listening(int port) {
    return Server.builder().http(new InetSocketAddress(config.bind(), port));
  }

  private List<Server> receiverServers() {
    return List.of(otlpGrpcServer, otlpHttpServer, zipkinServer);
  }

  private Server buildQueryServer() {
    ServerBuilder builder = listening(config.uiPort());
    queryApi.registerOn(builder);
    builder.service(
        "/health",
        (ctx, req) ->
            ready
                ? HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, "ok\n")
                : HttpResponse.of(
                    HttpStatus.SERVICE_UNAVAILABLE, MediaType.PLAIN_TEXT_UTF_8, "starting\n"));
    builder.service(
        "/metrics",
        (ctx, req) ->
            HttpResponse.of(
                HttpStatus.OK,
                MediaType.parse("text/plain; version=0.0.4; charset=utf-8"),
                metricsText()));
    return builder.build();
  }

  private void applyRetention() {
    try {
      store.deleteBefore(System.currentTimeMillis() - config.retention().toMillis());
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "applying retention failed", e);
    }
  }

  String metricsText() {
    PrometheusText text = new PrometheusText();
    for (ReceiverMetrics r : receivers.metrics()) {
      String name = r.receiver();
      text.counter(
          "skein_receiver_requests_total", "requests received", r.requests(), "receiver", name);
      text.counter(
          "skein_receiver_requests_malformed_total",
          "requests refused as malformed (400)",
          r.requestsMalformed(),
          "receiver",
          name);
      text.counter(
          "skein_receiver_requests_too_large_total",
          "requests refused as too large (413)",
          r.requestsTooLarge(),
          "receiver",
          name);
      text.counter(
          "skein_receiver_requests_unsupported_total",
          "requests of an unsupported type (415)",
          r.requestsUnsupported(),
          "receiver",
          name);
      text.counter(
          "skein_receiver_spans_received_total",
          "spans decoded from requests",
          r.spansReceived(),
          "receiver",
          name);
      text.counter(
          "skein_receiver_spans_accepted_total",
          "spans acknowledged durable",
          r.spansAccepted(),
          "receiver",
          name);
      text.counter(
          "skein_receiver_spans_rejected_total",
          "invalid spans rejected one by one (partial success)",
          r.spansRejected(),
          "receiver",
          name);
      text.counter(
          "skein_receiver_spans_refused_total",
          "spans refused because the log was full (429)",
          r.spansRefused(),
          "receiver",
          name);
      text.counter(
          "skein_receiver_spans_failed_total",
          "spans not acknowledged because the log failed (503)",
          r.spansFailed(),
          "receiver",
          name);
    }
    FileIngestLog.Stats logStats = log.stats();
    text.counter(
        "skein_ingest_log_appends_total", "records appended to the ingest log", logStats.appends());
    text.counter(
        "skein_ingest_log_fsyncs_total", "fsync calls of the ingest log", logStats.fsyncs());
    text.counter(
        "skein_ingest_log_rejected_total",
        "appends refused because the log was full",
        logStats.rejected());
    text.gauge(
        "skein_ingest_log_backlog_bytes", "bytes not yet stored downstream", log.backlogBytes());
    text.gauge(
        "skein_ingest_log_depth_records",
        "records in the log not yet committed by the pipeline",
        Math.max(0, log.endOffset() - 1 - log.committedOffset()));
    Pipeline.Stats p = pipeline.stats();
    text.counter(
        "skein_pipeline_spans_stored_total", "spans written to the store", p.spansStored());
    text.counter(
        "skein_pipeline_spans_dropped_total",
        "spans dropped by the pipeline",
        p.droppedOverTraceLimit(),
        "reason",
        "trace_span_limit");
    text.counter(
        "skein_pipeline_spans_dropped_total",
        "spans dropped by the pipeline",
        startTimeWindow.dropped(),
        "reason",
        "start_time_outside_retention");
    text.counter(
        "skein_pipeline_corrupt_records_total",
        "log records that were not span batches",
        p.corruptRecords());
    text.counter(
        "skein_pipeline_store_failures_total",
        "failed store writes and commits (retried)",
        p.storeFailures());
    text.counter(
        "skein_store_write_seconds_total",
        "time spent writing spans to the store",
        p.storeWriteNanos() / 1e9);
    text.counter("skein_store_writes_total", "span batches written to the store", p.storeWrites());
    text.counter(
        "skein_store_sync_seconds_total",
        "time spent making the store durable",
        p.syncNanos() / 1e9);
    text.counter("skein_pipeline_commits_total", "ingest log commits", p.commits());
    text.counter(
        "skein_dependency_unlinked_spans_total",
        "spans whose parent never arrived within the wait",
        p.unlinkedSpans());
    StringBuilder out = new StringBuilder(text.toString());
    queryApi.stats().writePrometheus(out);
    return out.toString();
  }

  public boolean isReady() {
    return ready;
  }

  public int otlpGrpcPort() {
    return otlpGrpcServer.activeLocalPort();
  }

  public int otlpHttpPort() {
    return otlpHttpServer.activeLocalPort();
  }

  public int zipkinPort() {
    return zipkinServer.activeLocalPort();
  }

  /** The port the query API listens on (useful when configured as 0). */
  public int uiPort() {
    return queryServer.activeLocalPort();
  }

  public SpanStore store() {
    return store;
  }

  @Override
  public void close() {
    ready = false;
    for (Server receiver : receiverServers()) {
      receiver.stop().join();
    }
    housekeeping.shutdownNow();
    try {
      if (!pipeline.stop(60, TimeUnit.SECONDS)) {
        LOG.log(
            System.Logger.Level.WARNING,
            "the pipeline did not drain in 60 s; the log keeps the rest");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      log.close();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.ERROR, "closing the ingest log failed", e);
    }
    queryServer.stop().join();
    store.close();
  }

  /** {@code skein server [flags]}. */
  public static void main(String[] args) throws Exception {
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.print(ServerConfig.USAGE);
      return;
    }
    ServerConfig config;
    try {
      config = ServerConfig.parse(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("skein server: " + e.getMessage());
      System.err.print(ServerConfig.USAGE);
      System.exit(2);
      return;
    }
    SkeinServer server = start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "skein-shutdown"));
    System.out.println(server.describe());
  }

  String describe() {
    return "skein-server ready: otlp-grpc "
        + otlpGrpcPort()
        + ", otlp-http "
        + otlpHttpPort()
        + ", zipkin "
        + zipkinPort()
        + ", ui "
        + uiPort()
        + " on "
        + config.bind()
        + "; storage "
        + config.storage().name().toLowerCase(java.util.Locale.ROOT)
        + " in "
        + config.dataDir().toAbsolutePath();
  }
}
