package dev.skein.benchmarks.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads one counter from a server's Prometheus text endpoint. */
final class PrometheusScrape {
  private final URI metrics;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  PrometheusScrape(URI metrics) {
    this.metrics = metrics;
  }

  /** The sum over all label sets of {@code name}, or NaN if the server does not report it. */
  double value(String name) {
    try {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? sum(response.body(), name) : Double.NaN;
    } catch (IOException e) {
      return Double.NaN;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Double.NaN;
    }
  }

  /** The sum of every sample of {@code name} in Prometheus text; NaN if there is none. */
  static double sum(String text, String name) {
    double total = 0;
    boolean found = false;
    for (String line : text.split("\n")) {
      if (!line.startsWith(name)) {
        continue;
      }
      int rest = name.length();
      if (rest >= line.length() || line.charAt(rest) != ' ' && line.charAt(rest) != '{') {
        continue; // a longer name that starts the same
      }
      int valueStart = line.charAt(rest) == '{' ? line.lastIndexOf('}') + 1 : rest;
      String[] parts = line.substring(valueStart).trim().split("\\s+"); // value [timestamp]
      try {
        total += Double.parseDouble(parts[0]);
        found = true;
      } catch (NumberFormatException e) {
        // not a sample line
      }
    }
    return found ? total : Double.NaN;
  }
}
