package dev.skein.server.query;

import dev.skein.storage.Span;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The tags a format shows for a span: its own attributes, its resource's, and the ones derived from
 * OpenTelemetry fields. Search by a derived tag goes through this view, so what can be found is
 * what is shown.
 */
interface TagView {

  /** The keys in the given order, unmodifiable. */
  private static Set<String> ordered(String... keys) {
    return Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(keys)));
  }

  /** The keys this view derives from span fields (the store knows nothing of them), in order. */
  Set<String> derivedKeys();

  /** The derived tag's text for this span, or null when the span shows no such tag. */
  String derivedValue(Span span, String key);

  /** The text shown for {@code key}, or null: an attribute wins over a derived tag. */
  default String valueOf(Span span, String key) {
    String text = Json.textOf(span.attributes(), key);
    if (text == null) {
      text = Json.textOf(span.resource(), key);
    }
    if (text == null && derivedKeys().contains(key)) {
      text = derivedValue(span, key);
    }
    return text;
  }

  /** Jaeger: kind, status code and description, error, scope and trace state. */
  TagView JAEGER =
      new TagView() {
        private final Set<String> keys =
            ordered(
                OtelTags.SPAN_KIND,
                OtelTags.STATUS_CODE,
                OtelTags.STATUS_DESCRIPTION,
                OtelTags.ERROR,
                OtelTags.SCOPE_NAME,
                OtelTags.SCOPE_VERSION,
                OtelTags.TRACE_STATE);

        @Override
        public Set<String> derivedKeys() {
          return keys;
        }

        @Override
        public String derivedValue(Span span, String key) {
          return switch (key) {
            case OtelTags.SPAN_KIND -> OtelTags.kindName(span.kind());
            case OtelTags.STATUS_CODE -> OtelTags.statusCode(span.status());
            case OtelTags.STATUS_DESCRIPTION -> OtelTags.nonEmpty(span.statusMessage());
            case OtelTags.ERROR -> span.status() == Span.Status.ERROR ? "true" : null;
            case OtelTags.SCOPE_NAME -> OtelTags.nonEmpty(span.scopeName());
            case OtelTags.SCOPE_VERSION -> OtelTags.nonEmpty(span.scopeVersion());
            case OtelTags.TRACE_STATE -> OtelTags.nonEmpty(span.traceState());
            default -> null;
          };
        }
      };

  /**
   * Zipkin: status code, error (the status description, empty when there is none), scope under its
   * new and old names. Kind has its own field in Zipkin's model.
   */
  TagView ZIPKIN =
      new TagView() {
        private final Set<String> keys =
            ordered(
                OtelTags.STATUS_CODE,
                OtelTags.ERROR,
                OtelTags.SCOPE_NAME,
                OtelTags.SCOPE_VERSION,
                OtelTags.LIBRARY_NAME,
                OtelTags.LIBRARY_VERSION);

        @Override
        public Set<String> derivedKeys() {
          return keys;
        }

        @Override
        public String derivedValue(Span span, String key) {
          return switch (key) {
            case OtelTags.STATUS_CODE -> OtelTags.statusCode(span.status());
            case OtelTags.ERROR -> span.status() == Span.Status.ERROR ? span.statusMessage() : null;
            case OtelTags.SCOPE_NAME, OtelTags.LIBRARY_NAME -> OtelTags.nonEmpty(span.scopeName());
            case OtelTags.SCOPE_VERSION, OtelTags.LIBRARY_VERSION ->
                OtelTags.nonEmpty(span.scopeVersion());
            default -> null;
          };
        }
      };
}
