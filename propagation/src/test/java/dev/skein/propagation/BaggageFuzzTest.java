package dev.skein.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.BaggageEntry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.Map;

/**
 * W3C {@code baggage} from any headers: keys that come out are tokens, what goes out stays within
 * 64 members and 8192 bytes, and a member is left out only when it would not fit. Seeds: {@code
 * src/test/resources/dev/skein/propagation/BaggageFuzzTestInputs}.
 */
class BaggageFuzzTest {

  private static final TextMapPropagator BAGGAGE = BaggagePropagator.getInstance();

  @FuzzTest(maxDuration = FuzzSettings.MAX_DURATION)
  @DictionaryEntries({"baggage: ", "Baggage: ", "=", ",", ";", "%20", "%E2%82%AC", "%", ";p=1"})
  void extractThenInject(FuzzedDataProvider data) {
    FuzzHeaders in = FuzzHeaders.from(data);
    Context extracted = PropagatorChecks.roundTrip(BAGGAGE, in);
    Baggage received = Baggage.fromContext(extracted);
    received.forEach(
        (key, entry) ->
            assertThat(PropagatorChecks.isToken(key)).as("key '%s' from %s", key, in).isTrue());

    Map<String, String> sent = PropagatorChecks.inject(BAGGAGE, extracted);
    String header = sent.getOrDefault("baggage", "");
    int members = header.isEmpty() ? 0 : header.split(",", -1).length;
    assertThat(members).as("members sent for %s", in).isLessThanOrEqualTo(64);
    assertThat(header.length()).as("bytes sent for %s", in).isLessThanOrEqualTo(8192);

    Baggage nextHop =
        Baggage.fromContext(BAGGAGE.extract(Context.root(), sent, Carriers.mapGetter()));
    nextHop.forEach(
        (key, entry) ->
            assertThat(entry)
                .as("%s after a hop of %s", key, in)
                .isEqualTo(received.getEntry(key)));
    received.forEach(
        (key, entry) -> {
          if (nextHop.getEntry(key) == null) {
            assertLeftOutForLackOfRoom(key, entry, header, members, in);
          }
        });
  }

  /** A member may be dropped only when the header is full: 64 members, or no room for it. */
  private static void assertLeftOutForLackOfRoom(
      String key, BaggageEntry entry, String header, int members, FuzzHeaders in) {
    if (members == 64) {
      return;
    }
    Baggage alone = Baggage.builder().put(key, entry.getValue(), entry.getMetadata()).build();
    String member =
        PropagatorChecks.inject(BAGGAGE, Context.root().with(alone)).getOrDefault("baggage", "");
    if (member.isEmpty()) {
      // Too long to send even alone: each character encodes to at most 9 ("%E2%82%AC").
      String metadata = entry.getMetadata().getValue();
      int atMost = key.length() + 1 + 9 * entry.getValue().length() + 1 + metadata.length();
      assertThat(atMost).as("'%s' left out though it fits, from %s", key, in).isGreaterThan(8192);
      return;
    }
    assertThat(header.length() + 1 + member.length())
        .as("room for '%s' (sent as '%s') beside %s, from %s", key, member, header, in)
        .isGreaterThan(8192);
  }
}
