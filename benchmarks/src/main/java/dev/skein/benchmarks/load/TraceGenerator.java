package dev.skein.benchmarks.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Makes traces that look like a shop's: 20 services with 10 operations each (six HTTP routes, two
 * database statements, two internal steps), every trace ten spans deep across four services, 5 to
 * 11 attributes per span with the keys OpenTelemetry's instrumentation writes, a resource per
 * service instance, a few errors and log-normal durations.
 *
 * <p>Deterministic for a given seed, so a run can be repeated and a test can rely on its shapes.
 */
final class TraceGenerator {

  /** Spans in every generated trace. */
  static final int SPANS_PER_TRACE = 10;

  static final List<String> SERVICES =
      List.of(
          "frontend",
          "api-gateway",
          "checkout",
          "cart",
          "catalog",
          "inventory",
          "payment",
          "shipping",
          "accounts",
          "auth",
          "recommendation",
          "search",
          "pricing",
          "notification",
          "email",
          "orders",
          "fraud-check",
          "ledger",
          "currency",
          "reviews");

  /** The services users' requests enter through: they root half the traces. */
  private static final int ENTRY_SERVICES = 2;

  private static final String[] ROUTE_TEMPLATES = {
    "GET /api/%s/{id}",
    "GET /api/%s",
    "POST /api/%s",
    "PUT /api/%s/{id}",
    "DELETE /api/%s/{id}",
    "GET /api/%s/{id}/history"
  };
  private static final String[] DB_SYSTEMS = {"postgresql", "mysql", "redis"};
  private static final String[] USER_AGENTS = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
        + " Chrome/126.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like"
        + " Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "okhttp/4.12.0",
    "Java-http-client/17.0.11"
  };

  enum Kind {
    SERVER,
    CLIENT,
    INTERNAL
  }

  /** One service instance: what OpenTelemetry puts in the resource. */
  record Instance(String service, String hostName, String version, String ipv4) {}

  /**
   * One span as both encodings need it. Ids are raw bytes; times are nanoseconds since the epoch.
   * {@code remoteService} names the peer of a client span; attribute values are String, Long,
   * Boolean or Double.
   */
  record GeneratedSpan(
      byte[] traceId,
      byte[] spanId,
      byte[] parentSpanId,
      Instance instance,
      String name,
      Kind kind,
      long startNanos,
      long endNanos,
      Map<String, Object> attributes,
      boolean error,
      String statusMessage,
      String remoteService) {}

  private record Service(
      String name,
      List<String> routes,
      List<String> dbStatements,
      List<String> internalSteps,
      String dbSystem,
      List<Instance> instances) {}

  private final SplittableRandom random;
  private final List<Service> services = new ArrayList<>();

  TraceGenerator(long seed) {
    this.random = new SplittableRandom(seed);
    for (int s = 0; s < SERVICES.size(); s++) {
      String name = SERVICES.get(s);
      String resource = name.replace("-", "");
      List<String> routes = routes(name);
      String table = "shop." + resource;
      List<String> statements =
          List.of(
              "SELECT * FROM " + table + " WHERE id = ?",
              "UPDATE " + table + " SET updated_at = ?, state = ? WHERE id = ?");
      List<String> steps = List.of("validate " + resource, "render " + resource);
      List<Instance> instances = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        instances.add(
            new Instance(
                name,
                name + "-" + Long.toString(0x10000 + random.nextInt(0xeffff), 36) + "-" + i,
                "1." + (s % 7) + "." + i,
                "10.1." + s + "." + (10 + i)));
      }
      services.add(
          new Service(
              name, routes, statements, steps, DB_SYSTEMS[s % DB_SYSTEMS.length], instances));
    }
  }

  /** The names of a service's server spans: {@code "GET /api/cart/{id}"} and five more. */
  static List<String> routes(String service) {
    List<String> routes = new ArrayList<>();
    for (String template : ROUTE_TEMPLATES) {
      routes.add(String.format(Locale.ROOT, template, service.replace("-", "")));
    }
    return routes;
  }

  /**
   * One trace of {@link #SPANS_PER_TRACE} spans that starts at {@code startNanos}: a server span in
   * an entry service that does an internal step and calls two services, the first of which reads
   * its database and calls a third, which reads its own.
   */
  List<GeneratedSpan> trace(long startNanos) {
    byte[] traceId = randomBytes(16);
    // Half the traffic comes in through the front; the rest is other services' own entry points
    // (jobs, consumers, internal APIs), so that every service also roots traces.
    Service a =
        services.get(random.nextInt(random.nextBoolean() ? ENTRY_SERVICES : services.size()));
    Service b = otherService(a, null, null);
    Service c = otherService(a, b, null);
    Service d = otherService(a, b, c);
    Instance ia = pick(a.instances());
    Instance ib = pick(b.instances());
    Instance ic = pick(c.instances());
    Instance id = pick(d.instances());

    boolean failed = random.nextInt(100) < 3;
    boolean notFound = !failed && random.nextInt(100) < 2;
    String user = "user-" + (100_000 + random.nextInt(900_000));
    long total = logNormalNanos(40e6, 0.9);

    List<GeneratedSpan> spans = new ArrayList<>(SPANS_PER_TRACE);
    String rootRoute = pick(a.routes());
    int rootStatus = failed ? 502 : notFound ? 404 : 200;
    GeneratedSpan root =
        server(
            traceId,
            null,
            ia,
            rootRoute,
            new long[] {startNanos, startNanos + total},
            rootStatus,
            user,
            failed,
            true);
    spans.add(root);
    spans.add(internal(traceId, root, ia, pick(a.internalSteps()), window(root, 0.02, 0.08), user));

    GeneratedSpan toB = client(traceId, root, ia, ib, window(root, 0.10, 0.55), 200, false);
    spans.add(toB);
    GeneratedSpan atB =
        server(traceId, toB, ib, pick(b.routes()), within(toB), 200, user, false, false);
    spans.add(atB);
    spans.add(database(traceId, atB, ib, b, window(atB, 0.05, 0.25)));
    int cStatus = failed ? 500 : 200;
    GeneratedSpan toC = client(traceId, atB, ib, ic, window(atB, 0.30, 0.65), cStatus, failed);
    spans.add(toC);
    GeneratedSpan atC =
        server(traceId, toC, ic, pick(c.routes()), within(toC), cStatus, user, failed, false);
    spans.add(atC);
    spans.add(database(traceId, atC, ic, c, window(atC, 0.10, 0.70)));

    GeneratedSpan toD = client(traceId, root, ia, id, window(root, 0.66, 0.30), 200, false);
    spans.add(toD);
    spans.add(server(traceId, toD, id, pick(d.routes()), within(toD), 200, user, false, false));
    return spans;
  }

  private Service otherService(Service x, Service y, Service z) {
    while (true) {
      Service s = services.get(random.nextInt(services.size()));
      if (s != x && s != y && s != z) {
        return s;
      }
    }
  }

  /** A sub-interval of the parent: starts at {@code from} of it and lasts {@code share} of it. */
  private long[] window(GeneratedSpan parent, double from, double share) {
    long length = parent.endNanos() - parent.startNanos();
    double jitter = 0.8 + 0.4 * random.nextDouble();
    long start = parent.startNanos() + (long) (length * from);
    long duration = Math.max(1_000, (long) (length * share * jitter));
    return new long[] {start, Math.min(start + duration, parent.endNanos())};
  }

  /** A server span inside its client span, a network hop shorter at each end. */
  private long[] within(GeneratedSpan client) {
    long length = client.endNanos() - client.startNanos();
    long hop = Math.min(length / 10, 150_000 + random.nextInt(250_000));
    return new long[] {client.startNanos() + hop, client.endNanos() - hop};
  }

  private GeneratedSpan server(
      byte[] traceId,
      GeneratedSpan parent,
      Instance at,
      String route,
      long[] interval,
      int status,
      String user,
      boolean error,
      boolean entry) {
    String method = route.substring(0, route.indexOf(' '));
    String template = route.substring(route.indexOf(' ') + 1);
    String path = template.replace("{id}", Long.toString(1000 + random.nextInt(1_000_000)));
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("http.request.method", method);
    attributes.put("http.route", template);
    attributes.put("http.response.status_code", (long) status);
    attributes.put("url.path", path);
    attributes.put("url.scheme", entry ? "https" : "http");
    List<Map.Entry<String, Object>> extras = new ArrayList<>();
    extras.add(Map.entry("server.address", at.hostName()));
    extras.add(Map.entry("server.port", entry ? 443L : 8080L));
    extras.add(Map.entry("network.protocol.version", entry ? "2" : "1.1"));
    extras.add(Map.entry("client.address", entry ? randomPublicAddress() : "10.1.0.7"));
    extras.add(Map.entry("user_agent.original", pick(USER_AGENTS)));
    extras.add(Map.entry("enduser.id", user));
    if (method.equals("POST") || method.equals("PUT")) {
      extras.add(Map.entry("http.request.body.size", (long) (200 + random.nextInt(4000))));
    }
    extras.add(Map.entry("http.response.body.size", (long) (100 + random.nextInt(20_000))));
    addSome(attributes, extras);
    String name = method + " " + template;
    return span(
        traceId,
        parent,
        at,
        name,
        Kind.SERVER,
        interval[0],
        interval[1],
        attributes,
        error,
        error ? "HTTP " + status : null,
        null);
  }

  private GeneratedSpan client(
      byte[] traceId,
      GeneratedSpan parent,
      Instance from,
      Instance to,
      long[] interval,
      int status,
      boolean error) {
    String method = random.nextInt(4) == 0 ? "POST" : "GET";
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("http.request.method", method);
    attributes.put("server.address", to.service());
    attributes.put("server.port", 8080L);
    attributes.put(
        "url.full",
        "http://"
            + to.service()
            + ":8080/api/"
            + to.service().replace("-", "")
            + "/"
            + (1000 + random.nextInt(1_000_000)));
    attributes.put("http.response.status_code", (long) status);
    List<Map.Entry<String, Object>> extras = new ArrayList<>();
    extras.add(Map.entry("network.protocol.version", "1.1"));
    extras.add(Map.entry("peer.service", to.service()));
    extras.add(Map.entry("network.peer.address", to.ipv4()));
    extras.add(Map.entry("http.request.resend_count", 0L));
    extras.add(Map.entry("thread.name", "http-client-" + random.nextInt(16)));
    extras.add(Map.entry("http.response.body.size", (long) (100 + random.nextInt(20_000))));
    addSome(attributes, extras);
    return span(
        traceId,
        parent,
        from,
        method,
        Kind.CLIENT,
        interval[0],
        interval[1],
        attributes,
        error,
        error ? "HTTP " + status : null,
        to.service());
  }

  private GeneratedSpan database(
      byte[] traceId, GeneratedSpan parent, Instance at, Service service, long[] interval) {
    String statement = pick(service.dbStatements());
    String operation = statement.substring(0, statement.indexOf(' '));
    String table = statement.split(" ")[operation.equals("SELECT") ? 3 : 1];
    boolean redis = service.dbSystem().equals("redis");
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("db.system", service.dbSystem());
    attributes.put("db.name", "shop");
    attributes.put(
        "db.operation", redis ? (operation.equals("SELECT") ? "GET" : "SET") : operation);
    attributes.put(
        "db.statement",
        redis ? (operation.equals("SELECT") ? "GET " : "SET ") + table + ":?" : statement);
    attributes.put("server.address", service.name() + "-db");
    List<Map.Entry<String, Object>> extras = new ArrayList<>();
    extras.add(Map.entry("server.port", redis ? 6379L : 5432L));
    extras.add(Map.entry("db.sql.table", table));
    extras.add(Map.entry("db.user", service.name().replace("-", "_") + "_app"));
    extras.add(Map.entry("network.peer.address", "10.2.0." + (10 + random.nextInt(20))));
    extras.add(Map.entry("db.rows_affected", (long) random.nextInt(50)));
    extras.add(Map.entry("thread.name", "db-pool-" + random.nextInt(10)));
    addSome(attributes, extras);
    String name = (redis ? attributes.get("db.operation") : operation) + " " + table;
    return span(
        traceId,
        parent,
        at,
        name,
        Kind.CLIENT,
        interval[0],
        interval[1],
        attributes,
        false,
        null,
        service.dbSystem());
  }

  private GeneratedSpan internal(
      byte[] traceId,
      GeneratedSpan parent,
      Instance at,
      String step,
      long[] interval,
      String user) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("code.function", step.substring(0, step.indexOf(' ')));
    attributes.put(
        "code.namespace", "com.example.shop." + at.service().replace("-", "") + ".Handler");
    attributes.put("thread.name", "http-nio-8080-exec-" + (1 + random.nextInt(200)));
    attributes.put("thread.id", (long) (20 + random.nextInt(300)));
    attributes.put("app.user.id", user);
    List<Map.Entry<String, Object>> extras = new ArrayList<>();
    extras.add(Map.entry("app.cart.items", (long) random.nextInt(12)));
    extras.add(Map.entry("app.feature.new_checkout", random.nextBoolean()));
    extras.add(Map.entry("app.cart.total", Math.round(random.nextDouble() * 50_000) / 100.0));
    extras.add(
        Map.entry("app.region", pick(new String[] {"eu-west-1", "us-east-1", "ap-south-1"})));
    extras.add(Map.entry("app.currency", pick(new String[] {"EUR", "USD", "INR", "GBP"})));
    addSome(attributes, extras);
    return span(
        traceId,
        parent,
        at,
        step,
        Kind.INTERNAL,
        interval[0],
        interval[1],
        attributes,
        false,
        null,
        null);
  }

  /** Adds extras in a random order until the span has between 5 and 11 attributes. */
  private void addSome(Map<String, Object> attributes, List<Map.Entry<String, Object>> extras) {
    int target = 5 + random.nextInt(7);
    for (int i = extras.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      Map.Entry<String, Object> t = extras.get(i);
      extras.set(i, extras.get(j));
      extras.set(j, t);
    }
    for (Map.Entry<String, Object> e : extras) {
      if (attributes.size() >= target) {
        break;
      }
      attributes.put(e.getKey(), e.getValue());
    }
  }

  private GeneratedSpan span(
      byte[] traceId,
      GeneratedSpan parent,
      Instance at,
      String name,
      Kind kind,
      long start,
      long end,
      Map<String, Object> attributes,
      boolean error,
      String message,
      String remoteService) {
    return new GeneratedSpan(
        traceId,
        randomBytes(8),
        parent == null ? null : parent.spanId(),
        at,
        name,
        kind,
        start,
        Math.max(end, start + 1_000),
        attributes,
        error,
        message,
        remoteService);
  }

  /** Median {@code median} nanoseconds, spread by {@code sigma} in log space, at least 1 ms. */
  private long logNormalNanos(double median, double sigma) {
    double gaussian = gaussian();
    return Math.max(1_000_000, (long) (median * Math.exp(sigma * gaussian)));
  }

  private double gaussian() {
    // Box-Muller: SplittableRandom has no nextGaussian in Java 17.
    double u = 1.0 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  private String randomPublicAddress() {
    return (11 + random.nextInt(180))
        + "."
        + random.nextInt(256)
        + "."
        + random.nextInt(256)
        + "."
        + (1 + random.nextInt(254));
  }

  private byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    do {
      for (int i = 0; i < length; i++) {
        bytes[i] = (byte) random.nextInt(256);
      }
    } while (isZero(bytes));
    return bytes;
  }

  private static boolean isZero(byte[] bytes) {
    for (byte b : bytes) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private <T> T pick(List<T> list) {
    return list.get(random.nextInt(list.size()));
  }

  private <T> T pick(T[] array) {
    return array[random.nextInt(array.length)];
  }
}
