package dev.skein.storage;

/**
 * Calls from one service to another: a span of {@code child} whose parent span belongs to {@code
 * parent}, counted with how many of those child spans were errors.
 */
public record DependencyLink(String parent, String child, long callCount, long errorCount) {}
