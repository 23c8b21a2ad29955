package dev.skein.server.query;

import dev.skein.storage.Span;

/**
 * The tags that Jaeger and Zipkin show for OpenTelemetry fields that have no place of their own in
 * those models (span kind, status, instrumentation scope, trace state), with the names the
 * OpenTelemetry exporters and Jaeger's own translation use.
 */
final class OtelTags {
  static final String SPAN_KIND = "span.kind";
  static final String STATUS_CODE = "otel.status_code";
  static final String STATUS_DESCRIPTION = "otel.status_description";
  static final String ERROR = "error";
  static final String SCOPE_NAME = "otel.scope.name";
  static final String SCOPE_VERSION = "otel.scope.version";
  static final String TRACE_STATE = "w3c.tracestate";

  /** The scope's older names, which Zipkin exporters still write beside the new ones. */
  static final String LIBRARY_NAME = "otel.library.name";

  static final String LIBRARY_VERSION = "otel.library.version";

  private OtelTags() {}

  /** Jaeger's lower-case kind name, null for an unspecified kind (no tag). */
  static String kindName(Span.Kind kind) {
    return switch (kind) {
      case SERVER -> "server";
      case CLIENT -> "client";
      case PRODUCER -> "producer";
      case CONSUMER -> "consumer";
      case INTERNAL -> "internal";
      case UNSPECIFIED -> null;
    };
  }

  /** {@code OK} or {@code ERROR}; null when the status is unset (no tag). */
  static String statusCode(Span.Status status) {
    return switch (status) {
      case OK -> "OK";
      case ERROR -> "ERROR";
      case UNSET -> null;
    };
  }

  /** Null for the empty string, so an absent field gives no tag. */
  static String nonEmpty(String text) {
    return text.isEmpty() ? null : text;
  }
}
