package dev.skein.propagation;

import com.sun.net.httpserver.Headers;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Getters and setters for the carriers the JDK has: a {@code Map}, the {@code java.net.http}
 * client's request builder and response headers, and the {@code com.sun.net.httpserver} server's
 * headers. Header names are matched ignoring case, {@code getAll} returns every value of a repeated
 * header in order (propagators that must see duplicates rely on it), and a null carrier reads as
 * empty and is not written.
 */
public final class Carriers {

  private Carriers() {}

  /**
   * Reads a {@code Map<String, String>}: the exact key first, then any key equal ignoring case.
   * {@code getAll} returns the values of every key equal ignoring case, in the map's order.
   */
  public static TextMapGetter<Map<String, String>> mapGetter() {
    return MapGetter.INSTANCE;
  }

  /** Puts into a {@code Map<String, String>}. */
  public static TextMapSetter<Map<String, String>> mapSetter() {
    return MapSetter.INSTANCE;
  }

  /**
   * Sets headers on a {@link HttpRequest.Builder} with {@code setHeader}. A header the client
   * refuses (a restricted name) is skipped rather than thrown, so propagation never fails a call.
   */
  public static TextMapSetter<HttpRequest.Builder> httpRequestSetter() {
    return HttpRequestSetter.INSTANCE;
  }

  /** Reads {@link HttpHeaders}, for example of a {@code java.net.http.HttpResponse}. */
  public static TextMapGetter<HttpHeaders> httpHeadersGetter() {
    return HttpHeadersGetter.INSTANCE;
  }

  /** Reads the JDK HTTP server's {@link Headers}, as {@code exchange.getRequestHeaders()}. */
  public static TextMapGetter<Headers> httpServerHeadersGetter() {
    return ServerHeadersGetter.INSTANCE;
  }

  /** Sets the JDK HTTP server's {@link Headers}, as {@code exchange.getResponseHeaders()}. */
  public static TextMapSetter<Headers> httpServerHeadersSetter() {
    return ServerHeadersSetter.INSTANCE;
  }

  private static final class MapGetter implements TextMapGetter<Map<String, String>> {
    static final MapGetter INSTANCE = new MapGetter();

    @SuppressWarnings("deprecation") // keys() is how Jaeger finds uberctx- headers
    @Override
    public Iterable<String> keys(Map<String, String> carrier) {
      return carrier == null ? Collections.emptyList() : carrier.keySet();
    }

    @Override
    public String get(Map<String, String> carrier, String key) {
      if (carrier == null || key == null) {
        return null;
      }
      String value = carrier.get(key);
      if (value != null) {
        return value;
      }
      for (Map.Entry<String, String> entry : carrier.entrySet()) {
        if (key.equalsIgnoreCase(entry.getKey()) && entry.getValue() != null) {
          return entry.getValue();
        }
      }
      return null;
    }

    @Override
    public Iterator<String> getAll(Map<String, String> carrier, String key) {
      if (carrier == null || key == null) {
        return Collections.emptyIterator();
      }
      // Usually one match: no list unless there is a second.
      String first = null;
      List<String> all = null;
      for (Map.Entry<String, String> entry : carrier.entrySet()) {
        String value = entry.getValue();
        if (value == null || !key.equalsIgnoreCase(entry.getKey())) {
          continue;
        }
        if (first == null) {
          first = value;
        } else {
          if (all == null) {
            all = new ArrayList<>(4);
            all.add(first);
          }
          all.add(value);
        }
      }
      if (all != null) {
        return all.iterator();
      }
      return first == null
          ? Collections.emptyIterator()
          : Collections.singletonList(first).iterator();
    }

    @Override
    public String toString() {
      return "Carriers.mapGetter()";
    }
  }

  private static final class MapSetter implements TextMapSetter<Map<String, String>> {
    static final MapSetter INSTANCE = new MapSetter();

    @Override
    public void set(Map<String, String> carrier, String key, String value) {
      if (carrier != null && key != null && value != null) {
        carrier.put(key, value);
      }
    }

    @Override
    public String toString() {
      return "Carriers.mapSetter()";
    }
  }

  private static final class HttpRequestSetter implements TextMapSetter<HttpRequest.Builder> {
    static final HttpRequestSetter INSTANCE = new HttpRequestSetter();

    @Override
    public void set(HttpRequest.Builder carrier, String key, String value) {
      if (carrier == null || key == null || value == null) {
        return;
      }
      try {
        carrier.setHeader(key, value);
      } catch (IllegalArgumentException refused) {
        // A restricted or malformed header: dropping it is better than failing the request.
      }
    }

    @Override
    public String toString() {
      return "Carriers.httpRequestSetter()";
    }
  }

  private static final class HttpHeadersGetter implements TextMapGetter<HttpHeaders> {
    static final HttpHeadersGetter INSTANCE = new HttpHeadersGetter();

    @SuppressWarnings("deprecation") // keys() is how Jaeger finds uberctx- headers
    @Override
    public Iterable<String> keys(HttpHeaders carrier) {
      return carrier == null ? Collections.emptyList() : carrier.map().keySet();
    }

    @Override
    public String get(HttpHeaders carrier, String key) {
      if (carrier == null || key == null) {
        return null;
      }
      // The map is case-insensitive already; map().get avoids the Optional of firstValue.
      List<String> values = carrier.map().get(key);
      return values == null || values.isEmpty() ? null : values.get(0);
    }

    @Override
    public Iterator<String> getAll(HttpHeaders carrier, String key) {
      if (carrier == null || key == null) {
        return Collections.emptyIterator();
      }
      return carrier.allValues(key).iterator();
    }

    @Override
    public String toString() {
      return "Carriers.httpHeadersGetter()";
    }
  }

  private static final class ServerHeadersGetter implements TextMapGetter<Headers> {
    static final ServerHeadersGetter INSTANCE = new ServerHeadersGetter();

    @SuppressWarnings("deprecation") // keys() is how Jaeger finds uberctx- headers
    @Override
    public Iterable<String> keys(Headers carrier) {
      return carrier == null ? Collections.emptyList() : carrier.keySet();
    }

    @Override
    public String get(Headers carrier, String key) {
      if (carrier == null || key == null || key.isEmpty()) {
        return null;
      }
      return carrier.getFirst(key);
    }

    @Override
    public Iterator<String> getAll(Headers carrier, String key) {
      if (carrier == null || key == null || key.isEmpty()) {
        return Collections.emptyIterator();
      }
      List<String> values = carrier.get(key);
      return values == null ? Collections.emptyIterator() : values.iterator();
    }

    @Override
    public String toString() {
      return "Carriers.httpServerHeadersGetter()";
    }
  }

  private static final class ServerHeadersSetter implements TextMapSetter<Headers> {
    static final ServerHeadersSetter INSTANCE = new ServerHeadersSetter();

    @Override
    public void set(Headers carrier, String key, String value) {
      if (carrier == null || key == null || key.isEmpty() || value == null) {
        return;
      }
      try {
        carrier.set(key, value);
      } catch (IllegalArgumentException refused) {
        // Headers refuses CR or LF; dropping the header is better than failing the exchange.
      }
    }

    @Override
    public String toString() {
      return "Carriers.httpServerHeadersSetter()";
    }
  }
}
