package dev.skein.propagation;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;

/**
 * W3C Trace Context (Level 2): the {@code traceparent} and {@code tracestate} headers.
 *
 * <p>Extract returns the context unchanged, so the tracer starts a new trace, when {@code
 * traceparent} is missing, invalid, or present twice; {@code tracestate} is then not read. A {@code
 * tracestate} that breaks the grammar is dropped whole and the {@code traceparent} kept. Several
 * {@code tracestate} headers are combined in order. Higher {@code traceparent} versions are read at
 * the version 00 offsets and sent on as version 00. Only the sampled (0x01) and random trace id
 * (0x02) flags are kept; other bits are sent as 0.
 *
 * <p>The extracted span context is a {@link LongIdSpanContext}, so the tracer takes its ids as
 * longs without hex strings; its trace state is a {@link W3CTraceState}, which accepts the full
 * Level 2 key grammar. Both keep the headers as received: a context passed on unchanged is injected
 * with the very strings that came in, and costs no formatting. Neither method throws, whatever the
 * carrier holds.
 *
 * <p>Carriers that can hold a header more than once should override {@link TextMapGetter#getAll};
 * without it a second {@code traceparent} cannot be seen, and {@code tracestate} is read from
 * {@code get} alone.
 */
public final class TraceContextPropagator implements TextMapPropagator {

  static final String TRACEPARENT = "traceparent";
  static final String TRACESTATE = TracestateFormat.HEADER;

  private static final List<String> FIELDS = List.of(TRACEPARENT, TRACESTATE);
  private static final TraceContextPropagator INSTANCE = new TraceContextPropagator();

  private TraceContextPropagator() {}

  public static TraceContextPropagator getInstance() {
    return INSTANCE;
  }

  @Override
  public Collection<String> fields() {
    return FIELDS;
  }

  @Override
  public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
    if (context == null || setter == null) {
      return;
    }
    try {
      SpanContext spanContext = Span.fromContext(context).getSpanContext();
      String traceparent = traceparent(spanContext);
      if (traceparent == null) {
        return;
      }
      setter.set(carrier, TRACEPARENT, traceparent);
      TraceState state = spanContext.getTraceState();
      if (state != null && !state.isEmpty()) {
        String tracestate = W3CTraceState.headerOf(state);
        if (!tracestate.isEmpty()) {
          setter.set(carrier, TRACESTATE, tracestate);
        }
      }
    } catch (RuntimeException e) {
      // A propagator must not break the request it rides on; what was set stays set.
    }
  }

  /** The header for a span context, or null when it is invalid. */
  private static String traceparent(SpanContext spanContext) {
    if (spanContext instanceof HeaderSpanContext received) {
      return received.traceparent(); // valid by construction, and already in our form
    }
    if (spanContext == null || !spanContext.isValid()) {
      return null;
    }
    int flags = spanContext.getTraceFlags().asByte();
    if (spanContext instanceof LongIdSpanContext ids) {
      return TraceparentFormat.write(
          ids.traceIdHigh(), ids.traceIdLow(), ids.spanIdAsLong(), flags);
    }
    return TraceparentFormat.write(spanContext.getTraceId(), spanContext.getSpanId(), flags);
  }

  @Override
  public <C> Context extract(Context context, C carrier, TextMapGetter<C> getter) {
    if (context == null) {
      context = Context.root();
    }
    if (getter == null) {
      return context;
    }
    try {
      boolean multiValued = overridesGetAll(getter);
      String traceparent =
          multiValued
              ? single(getter.getAll(carrier, TRACEPARENT))
              : getter.get(carrier, TRACEPARENT);
      if (traceparent == null) {
        return context;
      }
      LongIdSpanContext remote = TraceparentFormat.parse(traceparent, carrier, getter, multiValued);
      if (remote == null) {
        return context;
      }
      // A received header in our form is its own non-recording span; others are wrapped.
      return context.with(remote instanceof Span span ? span : Span.wrap(remote));
    } catch (RuntimeException e) {
      // A faulty getter is treated like a missing header: the trace restarts.
      return context;
    }
  }

  /**
   * Whether the getter's class overrides {@link TextMapGetter#getAll}. When it does not, {@code
   * getAll} is {@code get} in an iterator, so calling {@code get} says the same and allocates
   * nothing: the iterator survives escape analysis when some headers are missing and others not.
   * The last class seen is kept in a field, others in a {@link ClassValue}.
   */
  static boolean overridesGetAll(TextMapGetter<?> getter) {
    Class<?> type = getter.getClass();
    GetterKind last = lastGetter;
    if (last != null && last.type == type) {
      return last.multiValued;
    }
    last = GETTER_KINDS.get(type);
    lastGetter = last;
    return last.multiValued;
  }

  /** A getter class and whether it overrides {@code getAll}; immutable, so safe to share racily. */
  private static final class GetterKind {
    final Class<?> type;
    final boolean multiValued;

    GetterKind(Class<?> type) {
      this.type = type;
      boolean overrides;
      try {
        overrides =
            type.getMethod("getAll", Object.class, String.class).getDeclaringClass()
                != TextMapGetter.class;
      } catch (ReflectiveOperationException | RuntimeException e) {
        overrides = true; // when in doubt, ask for every value
      }
      this.multiValued = overrides;
    }
  }

  private static final ClassValue<GetterKind> GETTER_KINDS =
      new ClassValue<>() {
        @Override
        protected GetterKind computeValue(Class<?> type) {
          return new GetterKind(type);
        }
      };

  private static GetterKind lastGetter;

  /** The only value, or null when there is none or more than one (two headers restart a trace). */
  private static String single(Iterator<String> values) {
    // Straight-line for the common single value, so the JIT can drop the iterator allocation.
    if (values == null || !values.hasNext()) {
      return null;
    }
    String found = values.next();
    if (!values.hasNext()) {
      return found;
    }
    while (values.hasNext()) {
      String value = values.next();
      if (value != null) {
        if (found != null) {
          return null;
        }
        found = value;
      }
    }
    return found;
  }

  @Override
  public String toString() {
    return "TraceContextPropagator";
  }
}
