package dev.skein.benchmarks;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;

/**
 * The one piece of work every system does: start a span, set four string attributes after start,
 * end it. Skein and the OpenTelemetry SDK run the identical code, since both sit behind the
 * OpenTelemetry API; Brave does the same through its own API.
 */
final class Workload {

  static final String ROOT_NAME = "GET /checkout";
  static final String CHILD_NAME = "SELECT orders";

  static final String[] KEYS = {"http.method", "http.route", "peer.service", "db.system"};
  static final String[] VALUES = {"GET", "/checkout", "orders", "postgresql"};

  /**
   * Precomputed keys, as instrumentation keeps them in constants. Passing plain strings would make
   * the OpenTelemetry SDK allocate a key per call, a cost real instrumentation avoids.
   */
  private static final AttributeKey<String> KEY_0 = AttributeKey.stringKey(KEYS[0]);

  private static final AttributeKey<String> KEY_1 = AttributeKey.stringKey(KEYS[1]);
  private static final AttributeKey<String> KEY_2 = AttributeKey.stringKey(KEYS[2]);
  private static final AttributeKey<String> KEY_3 = AttributeKey.stringKey(KEYS[3]);

  private Workload() {}

  /** A root span through the OpenTelemetry API (Skein or the OpenTelemetry SDK). */
  static Span root(Tracer tracer) {
    Span span = tracer.spanBuilder(ROOT_NAME).setNoParent().startSpan();
    tag(span);
    span.end();
    return span;
  }

  /**
   * A root span whose attributes are set with plain string keys, as hand-written instrumentation
   * often does; the OpenTelemetry SDK then builds an {@link AttributeKey} per call.
   */
  static Span rootWithStringKeys(Tracer tracer) {
    Span span = tracer.spanBuilder(ROOT_NAME).setNoParent().startSpan();
    span.setAttribute(KEYS[0], VALUES[0]);
    span.setAttribute(KEYS[1], VALUES[1]);
    span.setAttribute(KEYS[2], VALUES[2]);
    span.setAttribute(KEYS[3], VALUES[3]);
    span.end();
    return span;
  }

  /** A child of {@code parent}, found as the current span after {@code makeCurrent()}. */
  @SuppressWarnings("try") // the scope is only opened and closed
  static Span child(Tracer tracer, Span parent) {
    try (Scope ignored = parent.makeCurrent()) {
      Span span = tracer.spanBuilder(CHILD_NAME).startSpan();
      tag(span);
      span.end();
      return span;
    }
  }

  /** A root span through Brave. */
  static brave.Span root(brave.Tracer tracer) {
    brave.Span span = tracer.newTrace().name(ROOT_NAME).start();
    tag(span);
    span.finish();
    return span;
  }

  /** A child of {@code parent}, found as the current span inside {@code withSpanInScope}. */
  @SuppressWarnings("try") // the scope is only opened and closed
  static brave.Span child(brave.Tracer tracer, brave.Span parent) {
    try (brave.Tracer.SpanInScope ignored = tracer.withSpanInScope(parent)) {
      brave.Span span = tracer.nextSpan().name(CHILD_NAME).start();
      tag(span);
      span.finish();
      return span;
    }
  }

  private static void tag(Span span) {
    span.setAttribute(KEY_0, VALUES[0]);
    span.setAttribute(KEY_1, VALUES[1]);
    span.setAttribute(KEY_2, VALUES[2]);
    span.setAttribute(KEY_3, VALUES[3]);
  }

  private static void tag(brave.Span span) {
    span.tag(KEYS[0], VALUES[0]);
    span.tag(KEYS[1], VALUES[1]);
    span.tag(KEYS[2], VALUES[2]);
    span.tag(KEYS[3], VALUES[3]);
  }
}
