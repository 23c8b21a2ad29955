package dev.skein.sdk;

/**
 * The library that recorded a span: the name and version a tracer was obtained with. Version and
 * schema URL are empty strings when not given.
 */
public record InstrumentationScope(String name, String version, String schemaUrl) {}
