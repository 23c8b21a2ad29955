package dev.skein.benchmarks.load;

import dev.skein.benchmarks.load.TraceGenerator.GeneratedSpan;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The request bodies a run sends: templates of about 500 spans (50 traces), each in OTLP protobuf
 * and in Zipkin JSON with the same spans, made once before the run. Every trace starts in the ten
 * seconds before the pool is made, so the server sees current spans throughout a run.
 */
final class TemplatePool {

  /** The wire encoding a template is in. */
  enum Encoding {
    OTLP_PROTO,
    ZIPKIN_JSON
  }

  private final List<RequestTemplate> otlp = new ArrayList<>();
  private final List<RequestTemplate> zipkin = new ArrayList<>();

  TemplatePool(long seed, int templates, int tracesPerTemplate, long nowNanos) {
    TraceGenerator generator = new TraceGenerator(seed);
    SplittableRandom startTimes = new SplittableRandom(seed + 1);
    for (int i = 0; i < templates; i++) {
      List<List<GeneratedSpan>> traces = new ArrayList<>(tracesPerTemplate);
      for (int t = 0; t < tracesPerTemplate; t++) {
        traces.add(generator.trace(nowNanos - startTimes.nextLong(10_000_000_000L)));
      }
      otlp.add(Encodings.otlp(traces));
      zipkin.add(Encodings.zipkinJson(traces));
    }
  }

  List<RequestTemplate> templates(Encoding encoding) {
    return encoding == Encoding.OTLP_PROTO ? otlp : zipkin;
  }

  /** Mean request size per span, to tell what the wire carries. */
  double bytesPerSpan(Encoding encoding) {
    long bytes = 0;
    long spans = 0;
    for (RequestTemplate t : templates(encoding)) {
      bytes += t.size();
      spans += t.spanCount();
    }
    return (double) bytes / spans;
  }
}
