package dev.skein.storage;

/** An operation (span name) seen for a service, with the span kind it was seen with. */
public record Operation(String name, Span.Kind kind) {}
