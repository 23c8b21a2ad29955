package dev.skein.server.query;

/** A query parameter (or path segment) that cannot be understood; answered with a 400. */
final class BadParameterException extends RuntimeException {
  private final String parameter;

  BadParameterException(String parameter, String problem) {
    super("bad parameter '" + parameter + "': " + problem, null, false, false);
    this.parameter = parameter;
  }

  String parameter() {
    return parameter;
  }
}
