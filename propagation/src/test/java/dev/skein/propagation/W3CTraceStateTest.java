package dev.skein.propagation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.TraceStateBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading and mutating a {@link W3CTraceState}, and how it serializes. */
class W3CTraceStateTest {

  static TraceState received(String header) {
    assertThat(TracestateFormat.scan(header, null)).isPositive();
    return W3CTraceState.ofValidHeader(header);
  }

  static List<String> members(TraceState state) {
    List<String> members = new ArrayList<>();
    state.forEach((key, value) -> members.add(key + "=" + value));
    return members;
  }

  @Test
  void builder_put_addsNewKeysAtTheFront() {
    TraceState state = W3CTraceState.builder().put("a", "1").put("b", "2").put("c", "3").build();

    assertThat(members(state)).containsExactly("c=3", "b=2", "a=1");
    assertThat(W3CTraceState.headerOf(state)).isEqualTo("c=3,b=2,a=1");
  }

  @Test
  void put_existingKey_movesItToTheFrontAndKeepsTheOthersInOrder() {
    TraceState state = received("a=1,b=2,c=3,d=4");

    TraceState updated = state.toBuilder().put("c", "9").build();

    assertThat(members(updated)).containsExactly("c=9", "a=1", "b=2", "d=4");
    assertThat(members(state))
        .as("the original is immutable")
        .containsExactly("a=1", "b=2", "c=3", "d=4");
  }

  @Test
  void put_neverLeavesADuplicateKey() {
    TraceState state = received("a=1,b=2,a=3").toBuilder().put("b", "5").put("b", "6").build();

    assertThat(members(state)).containsExactly("b=6", "a=1");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"foo@bar", "1tenant@vendor", "foo@", "foo@@bar", "a@b@c", "a", "9", "a_-*/@b"})
  void put_keyOfTheW3cGrammar_isAccepted(String key) {
    assertThat(W3CTraceState.builder().put(key, "x").build().get(key)).isEqualTo("x");
  }

  @Test
  void put_keyOf256Characters_isAcceptedAnd257IsNot() {
    String longest = "k".repeat(255) + "@";
    String tooLong = "k".repeat(257);

    TraceState state = W3CTraceState.builder().put(longest, "1").put(tooLong, "2").build();

    assertThat(state.asMap()).containsExactly(Map.entry(longest, "1"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "@a", "@", "A", "aB", "a.b", "a b", " a", "a=", "a,b", "_a", "ä"})
  void put_invalidKey_isIgnored(String key) {
    TraceState state = received("x=1").toBuilder().put(key, "v").build();

    assertThat(members(state)).containsExactly("x=1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "1 ", "a\t", "\t", "a,b", "a=b", "é", "a\nb", "\u007f"})
  void put_invalidValue_isIgnored(String value) {
    TraceState state = received("x=1").toBuilder().put("k", value).build();

    assertThat(members(state)).containsExactly("x=1");
  }

  @Test
  void put_valueWithLeadingSpacesAndAllPrintables_isAccepted() {
    StringBuilder printable = new StringBuilder("  ");
    for (char c = 0x21; c <= 0x7e; c++) {
      if (c != ',' && c != '=') {
        printable.append(c);
      }
    }

    TraceState state = W3CTraceState.builder().put("k", printable.toString()).build();

    assertThat(state.get("k")).isEqualTo(printable.toString());
  }

  @Test
  void put_valueOf256Characters_isAcceptedAnd257IsNot() {
    TraceState state =
        W3CTraceState.builder().put("a", "v".repeat(256)).put("b", "v".repeat(257)).build();

    assertThat(state.asMap()).containsOnlyKeys("a");
  }

  @Test
  void put_nullKeyOrValue_isIgnored() {
    TraceState state = W3CTraceState.builder().put(null, "1").put("a", null).remove(null).build();

    assertThat(state.isEmpty()).isTrue();
  }

  @Test
  void put_a33rdMember_dropsTheRightMost() {
    TraceStateBuilder builder = W3CTraceState.builder();
    for (int i = 32; i >= 1; i--) {
      builder.put("k" + i, "v");
    }

    TraceState state = builder.put("new", "v").build();

    assertThat(state.size()).isEqualTo(32);
    assertThat(members(state).get(0)).isEqualTo("new=v");
    assertThat(state.get("k32")).isNull();
    assertThat(state.get("k31")).isEqualTo("v");
  }

  @Test
  void put_updateOnAFullList_dropsNothing() {
    TraceStateBuilder builder = W3CTraceState.builder();
    for (int i = 32; i >= 1; i--) {
      builder.put("k" + i, "v");
    }

    TraceState state = builder.put("k32", "w").build();

    assertThat(state.size()).isEqualTo(32);
    assertThat(members(state).get(0)).isEqualTo("k32=w");
  }

  @Test
  void remove_removesOnlyThatKey() {
    TraceState state = received("a=1,b=2,c=3").toBuilder().remove("b").remove("zz").build();

    assertThat(members(state)).containsExactly("a=1", "c=3");
  }

  @Test
  void remove_everyMember_buildsAnEmptyStateThatStillAcceptsW3cKeys() {
    TraceState empty = received("a=1").toBuilder().remove("a").build();

    assertThat(empty.isEmpty()).isTrue();
    assertThat(empty.size()).isZero();
    assertThat(W3CTraceState.headerOf(empty)).isEmpty();
    assertThat(empty.toBuilder().put("t@v", "1").build().get("t@v")).isEqualTo("1");
  }

  @Test
  void toBuilder_withoutChanges_returnsTheSameStateSoTheHeaderIsKept() {
    TraceState state = received("a=1 , b=2");

    assertThat(state.toBuilder().build()).isSameAs(state);
    assertThat(state.toBuilder().remove("zz").build()).isSameAs(state);
    assertThat(state.toBuilder().put("a", "1").build()).isSameAs(state);
    assertThat(W3CTraceState.headerOf(state)).isEqualTo("a=1 , b=2");
  }

  @Test
  void received_duplicateKeys_readAsTheLeftMostValue() {
    TraceState state = received("foo=1,bar=2,foo=3");

    assertThat(state.get("foo")).isEqualTo("1");
    assertThat(state.size()).isEqualTo(2);
    assertThat(members(state)).containsExactly("foo=1", "bar=2");
  }

  @Test
  void received_header_isParsedIntoMembers() {
    TraceState state = received(" a=1 ,\tb= 2\t,,c@d=x y ");

    assertThat(state.get("a")).isEqualTo("1");
    assertThat(state.get("b")).isEqualTo(" 2");
    assertThat(state.get("c@d")).isEqualTo("x y");
    assertThat(state.get("zz")).isNull();
    assertThat(state.get(null)).isNull();
    assertThat(state.isEmpty()).isFalse();
  }

  @Test
  void asMap_keepsTheOrderAndCannotBeModified() {
    Map<String, String> map = received("b=1,a=2").asMap();

    assertThat(map.keySet()).containsExactly("b", "a");
    assertThatThrownBy(() -> map.put("c", "3")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void header_upTo512Characters_isSentWhole() {
    String member = "k=" + "v".repeat(254); // 256 characters
    TraceState state =
        W3CTraceState.builder().put("j", "v".repeat(253)).put("k", "v".repeat(254)).build();

    assertThat(W3CTraceState.headerOf(state)).hasSize(512);
    assertThat(W3CTraceState.headerOf(state)).startsWith(member + ",");
  }

  @Test
  void header_over512Characters_dropsMembersOver128CharactersFirst() {
    TraceState state =
        W3CTraceState.builder()
            .put("tail", "t".repeat(100))
            .put("big", "b".repeat(200))
            .put("mid", "m".repeat(100))
            .put("head", "h".repeat(150))
            .build(); // head(155), mid(104), big(204), tail(105) and 3 commas: 571

    assertThat(W3CTraceState.headerOf(state))
        .isEqualTo(
            "head=" + "h".repeat(150) + ",mid=" + "m".repeat(100) + ",tail=" + "t".repeat(100));
  }

  @Test
  void header_over512Characters_thenDropsFromTheRight() {
    TraceStateBuilder builder = W3CTraceState.builder();
    for (int i = 9; i >= 0; i--) {
      builder.put("k" + i, "v".repeat(60)); // 63 characters each
    }

    String header = W3CTraceState.headerOf(builder.build()); // 10 * 63 + 9 = 639

    assertThat(header).startsWith("k0=").endsWith("k7=" + "v".repeat(60)).hasSize(8 * 63 + 7);
  }

  @Test
  void header_ofASingleMemberOver512Characters_isEmpty() {
    TraceState state = W3CTraceState.builder().put("k".repeat(256), "v".repeat(256)).build();

    assertThat(W3CTraceState.headerOf(state)).isEmpty();
  }

  @Test
  void header_ofAReceivedStateOver512Characters_isTruncatedOnce() {
    String header = "a=" + "1".repeat(200) + ",b=" + "2".repeat(200) + ",c=" + "3".repeat(200);
    W3CTraceState state = (W3CTraceState) received(header);

    String sent = state.header();

    assertThat(sent).isEqualTo("a=" + "1".repeat(200) + ",b=" + "2".repeat(200));
    assertThat(state.header()).isSameAs(sent);
    assertThat(state.size()).as("truncation is for sending only").isEqualTo(3);
  }

  @Test
  void headerOf_foreignState_skipsMembersOutsideTheGrammar() {
    TraceState foreign = TraceState.builder().put("ok", "1").build();

    assertThat(W3CTraceState.headerOf(foreign)).isEqualTo("ok=1");
    assertThat(W3CTraceState.headerOf(TraceState.getDefault())).isEmpty();
  }

  @Test
  void equals_comparesMembersInOrder() {
    TraceState received = received("a=1, b=2");
    TraceState built = W3CTraceState.builder().put("b", "2").put("a", "1").build();
    TraceState api = TraceState.builder().put("b", "2").put("a", "1").build();

    assertThat(received).isEqualTo(built).hasSameHashCodeAs(built);
    assertThat(received).isNotEqualTo(received("b=2,a=1"));
    assertThat(received).isNotEqualTo(received("a=1"));
    assertThat(received).isEqualTo(api);
    assertThat(W3CTraceState.builder().build()).isEqualTo(TraceState.getDefault());
    assertThat(received).isNotEqualTo("a=1, b=2");
  }

  @Test
  void toString_showsTheHeader() {
    assertThat(received("a=1")).hasToString("W3CTraceState{a=1}");
  }
}
