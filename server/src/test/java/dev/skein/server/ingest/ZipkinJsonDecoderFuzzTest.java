package dev.skein.server.ingest;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Any bytes give a result or a {@link MalformedRequestException}, nothing else. */
class ZipkinJsonDecoderFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void anyBytes(byte[] body) {
    try {
      FuzzChecks.check(ZipkinJsonDecoder.decode(body, Integer.MAX_VALUE));
    } catch (MalformedRequestException expected) {
      // the one way to refuse input
    }
  }
}
