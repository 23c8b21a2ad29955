package dev.skein.propagation;

/** Shared by every {@code @FuzzTest} in this module. */
final class FuzzSettings {

  /**
   * How long one fuzz test fuzzes when run with {@code JAZZER_FUZZ=1}, from an IDE or {@code mvn
   * verify}: short, because CI fuzzes every target on each build. The {@code fuzz.seconds} Maven
   * property overrides it for a long run; see the module's README.
   */
  static final String MAX_DURATION = "10s";

  private FuzzSettings() {}
}
