package dev.skein.exporter.otlp;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.skein.exporter.PartialSuccess;

/**
 * Whatever a backend answers, reading it either gives a partial success or an {@link
 * IllegalArgumentException}: never another exception, a hang or a stack overflow.
 */
class OtlpResponsesFuzzTest {

  @FuzzTest(maxDuration = "10s")
  @DictionaryEntries({
    "{\"partialSuccess\":{\"rejectedSpans\":",
    "\"errorMessage\":\"",
    "\\u",
    "[",
    "{",
    "1e999",
    "-0",
    "\"9223372036854775808\""
  })
  void anyResponseBody(FuzzedDataProvider data) {
    boolean json = data.consumeBoolean();
    byte[] body = data.consumeRemainingAsBytes();
    try {
      PartialSuccess result =
          json
              ? OtlpResponses.partialSuccessFromJson(body)
              : OtlpResponses.partialSuccessFromProtobuf(body);
      if (result == null || result.errorMessage() == null) {
        throw new AssertionError("null result for a readable body");
      }
    } catch (IllegalArgumentException expected) {
      // malformed: the exporter logs it and counts the batch as delivered
    }
    // Error bodies are read for a message and never fail.
    OtlpResponses.errorMessageFromJson(body);
    OtlpResponses.errorMessageFromProtobuf(body);
  }
}
