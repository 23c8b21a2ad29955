package dev.skein.propagation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.entry;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.BaggageBuilder;
import io.opentelemetry.api.baggage.BaggageEntry;
import io.opentelemetry.api.baggage.BaggageEntryMetadata;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BaggagePropagatorTest {

  private final BaggagePropagator propagator = BaggagePropagator.getInstance();

  @Test
  void fields_isTheBaggageHeader() {
    assertThat(propagator.fields()).containsExactly("baggage");
  }

  @Test
  void extract_specExample_keepsValuesAndRawProperties() {
    Baggage baggage =
        extract(
            "key1=value1;property1;property2, key2 = value2, key3=value3; propertyKey=propertyValue");

    assertThat(values(baggage))
        .containsOnly(entry("key1", "value1"), entry("key2", "value2"), entry("key3", "value3"));
    assertThat(baggage.getEntry("key1").getMetadata().getValue()).isEqualTo("property1;property2");
    assertThat(baggage.getEntry("key2").getMetadata().getValue()).isEmpty();
    assertThat(baggage.getEntry("key3").getMetadata().getValue())
        .isEqualTo("propertyKey=propertyValue");
  }

  @Test
  void extract_percentEncodedUtf8_isDecoded() {
    Baggage baggage = extract("userId=Am%C3%A9lie,serverNode=DF%2028,isProduction=false");

    assertThat(values(baggage))
        .containsOnly(
            entry("userId", "Amélie"),
            entry("serverNode", "DF 28"),
            entry("isProduction", "false"));
  }

  @Test
  void extract_plusSign_staysAPlus() {
    assertThat(extract("k=a+b").getEntryValue("k")).isEqualTo("a+b");
  }

  @Test
  void extract_malformedUtf8_becomesReplacementCharacter() {
    assertThat(extract("k=%C3%28").getEntryValue("k")).isEqualTo("\uFFFD(");
    assertThat(extract("k=%FF").getEntryValue("k")).isEqualTo("\uFFFD");
  }

  @Test
  void extract_percentNotStartingAnEscape_isKeptAsIs() {
    assertThat(extract("k=100%").getEntryValue("k")).isEqualTo("100%");
    assertThat(extract("k=%zz%4").getEntryValue("k")).isEqualTo("%zz%4");
  }

  @Test
  void extract_valueWithEqualSigns_isWhole() {
    assertThat(extract("k=a=b==").getEntryValue("k")).isEqualTo("a=b==");
  }

  @Test
  void extract_emptyValue_isKept() {
    assertThat(extract("k=").getEntryValue("k")).isEmpty();
  }

  @Test
  void extract_badMembers_areDroppedAndGoodOnesKept() {
    Baggage baggage =
        extract(
            "first=1,bad key=2,=3,noequals,sp=a b,quote=\"q\",slash=a\\b,"
                + "nonascii=é,badprop=1;=x,emptyprop=1;,trailing=1;p;,last=2");

    assertThat(values(baggage)).containsOnly(entry("first", "1"), entry("last", "2"));
  }

  @Test
  void extract_emptyListEntriesAndWhiteSpace_areIgnored() {
    Baggage baggage = extract(" ,\ta = 1 ,, b=2\t, ");

    assertThat(values(baggage)).containsOnly(entry("a", "1"), entry("b", "2"));
  }

  @Test
  void extract_severalHeaders_areCombinedInOrder() {
    Baggage baggage = extractAll("userId=alice", "serverNode=DF%2028,isProduction=false");

    assertThat(values(baggage))
        .containsOnly(
            entry("userId", "alice"), entry("serverNode", "DF 28"), entry("isProduction", "false"));
  }

  @Test
  void extract_addsToBaggageAlreadyInTheContext() {
    Context context = Baggage.builder().put("local", "1").build().storeInContext(Context.root());

    Context extracted =
        propagator.extract(context, Map.of("baggage", "remote=2"), Carriers.mapGetter());

    assertThat(values(Baggage.fromContext(extracted)))
        .containsOnly(entry("local", "1"), entry("remote", "2"));
  }

  @Test
  void extract_noValidMember_returnsTheSameContext() {
    Context context = Context.root();

    assertThat(propagator.extract(context, Map.of("baggage", "bad key=1"), Carriers.mapGetter()))
        .isSameAs(context);
    assertThat(propagator.extract(context, Map.of("other", "a=1"), Carriers.mapGetter()))
        .isSameAs(context);
  }

  @Test
  void extract_headerNameInAnyCase_isFound() {
    Map<String, String> carrier = Map.of("Baggage", "a=1");

    assertThat(
            Baggage.fromContext(propagator.extract(Context.root(), carrier, Carriers.mapGetter()))
                .getEntryValue("a"))
        .isEqualTo("1");
  }

  @Test
  void extract_moreMembersThanTheGrammarAllows_readsTheFirst180() {
    String header =
        java.util.stream.IntStream.range(0, 500)
            .mapToObj(i -> "k" + i + "=" + i)
            .collect(Collectors.joining(","));

    Baggage baggage = extract(header);

    assertThat(baggage.size()).isEqualTo(BaggagePropagator.MAX_EXTRACTED_MEMBERS);
    assertThat(baggage.getEntryValue("k179")).isEqualTo("179");
    assertThat(baggage.getEntryValue("k180")).isNull();
  }

  @Test
  void extract_nullsAnywhere_throwNothing() {
    TextMapGetter<Object> nullValues =
        new TextMapGetter<>() {
          @Override
          public String get(Object carrier, String key) {
            return null;
          }

          @Override
          public Iterator<String> getAll(Object carrier, String key) {
            return Arrays.asList(null, "a=1", null).iterator();
          }
        };
    TextMapGetter<Object> nullIterator =
        new TextMapGetter<>() {
          @Override
          public String get(Object carrier, String key) {
            return null;
          }

          @Override
          public Iterator<String> getAll(Object carrier, String key) {
            return null;
          }
        };

    assertThat(Baggage.fromContext(propagator.extract(Context.root(), null, nullValues)).size())
        .isEqualTo(1);
    assertThat(propagator.extract(Context.root(), null, nullIterator)).isSameAs(Context.root());
    assertThat(propagator.extract(Context.root(), null, Carriers.mapGetter()))
        .isSameAs(Context.root());
    assertThat(propagator.extract(null, Map.of(), Carriers.mapGetter())).isNotNull();
    assertThat(propagator.extract(Context.root(), Map.of(), null)).isSameAs(Context.root());
  }

  @Test
  void inject_percentEncodesWhatTheSpecRequires() {
    Map<String, String> carrier = inject(Baggage.builder().put("k", "a b,c;d\\e\"%é😀/=~").build());

    assertThat(carrier)
        .containsExactly(entry("baggage", "k=a%20b%2Cc%3Bd%5Ce%22%25%C3%A9%F0%9F%98%80/=~"));
  }

  @Test
  void inject_loneSurrogate_isEncodedAsReplacementCharacter() {
    Map<String, String> carrier = inject(Baggage.builder().put("k", "a\uD800b").build());

    assertThat(carrier.get("baggage")).isEqualTo("k=a%EF%BF%BDb");
  }

  @Test
  void roundTrip_nonAsciiAndReservedCharacters_survive() {
    Baggage original =
        Baggage.builder()
            .put("user", "Amélie Ørsted")
            .put("reserved", " ,;\\\"%=+&?#/")
            .put("emoji", "😀 ✓")
            .put("control", "tab\tnewline\n")
            .put("percentLike", "%41%")
            .build();

    Map<String, String> carrier = inject(original);
    Baggage extracted =
        Baggage.fromContext(propagator.extract(Context.root(), carrier, Carriers.mapGetter()));

    assertThat(values(extracted)).isEqualTo(values(original));
  }

  @Test
  void roundTrip_metadata_isKept() {
    Baggage original =
        Baggage.builder()
            .put("k", "v", BaggageEntryMetadata.create("p1;p2=x"))
            .put("plain", "v")
            .build();

    Map<String, String> carrier = inject(original);

    assertThat(carrier.get("baggage")).isEqualTo("k=v;p1;p2=x,plain=v");
    Baggage extracted =
        Baggage.fromContext(propagator.extract(Context.root(), carrier, Carriers.mapGetter()));
    assertThat(extracted.getEntry("k").getMetadata().getValue()).isEqualTo("p1;p2=x");
  }

  @Test
  void inject_invalidMetadata_isLeftOffAndTheMemberKept() {
    Baggage baggage = Baggage.builder().put("k", "v", BaggageEntryMetadata.create("a,b;é")).build();

    assertThat(inject(baggage).get("baggage")).isEqualTo("k=v");
  }

  @Test
  void inject_keyThatIsNotAToken_isDropped() {
    Baggage baggage = Baggage.builder().put("bad key", "1").put("good", "2").build();

    assertThat(inject(baggage).get("baggage")).isEqualTo("good=2");
  }

  @Test
  void inject_emptyBaggage_writesNoHeader() {
    assertThat(inject(Baggage.empty())).isEmpty();
    assertThat(inject(Baggage.builder().put("bad key", "1").build())).isEmpty();
  }

  @Test
  void inject_64Members_allPropagated() {
    Map<String, String> carrier = inject(members(64, 1));

    assertThat(carrier.get("baggage").split(",")).hasSize(64);
  }

  @Test
  void inject_65Members_only64Propagated() {
    Map<String, String> carrier = inject(members(65, 1));

    String[] members = carrier.get("baggage").split(",");
    assertThat(members).hasSize(64);
    assertThat(members).allMatch(m -> m.matches("k\\d+=v\\d+"));
  }

  @Test
  void inject_exactly8192Bytes_allPropagated() {
    // One member "k=" + 8190 value characters is 8192 bytes.
    Map<String, String> carrier = inject(Baggage.builder().put("k", "x".repeat(8190)).build());

    assertThat(carrier.get("baggage")).hasSize(8192);
  }

  @Test
  void inject_memberThatWouldPass8192Bytes_isDroppedWholeNeverSplit() {
    BaggageBuilder builder = Baggage.builder();
    // Keys sort as a0 < a1 < ... ; each member is 3 + 2000 bytes, so four fit (8012 + commas).
    for (int i = 0; i < 6; i++) {
      builder.put("a" + i, String.valueOf(i).repeat(2000));
    }
    builder.put("z", "small");
    Baggage original = builder.build();

    String header = inject(original).get("baggage");

    assertThat(header.length()).isLessThanOrEqualTo(8192);
    Baggage extracted = extract(header);
    assertThat(extracted.size()).isEqualTo(5);
    // Every propagated member is whole: the value that arrives is the value that was sent.
    extracted.forEach(
        (key, entry) -> assertThat(entry.getValue()).isEqualTo(original.getEntryValue(key)));
    assertThat(extracted.getEntryValue("z")).isEqualTo("small");
  }

  @Test
  void inject_encodedSizeCountsAgainstTheLimit() {
    // 3000 'é' encode to 18000 bytes: over the limit alone, so dropped; the small one stays.
    Baggage baggage = Baggage.builder().put("big", "é".repeat(3000)).put("small", "1").build();

    assertThat(inject(baggage).get("baggage")).isEqualTo("small=1");
  }

  @Test
  void inject_nullsAnywhere_throwNothing() {
    Context context = members(2, 1).storeInContext(Context.root());

    assertThatCode(
            () -> {
              propagator.inject(context, null, Carriers.mapSetter());
              propagator.inject(null, new HashMap<>(), Carriers.mapSetter());
              propagator.inject(context, new HashMap<>(), null);
            })
        .doesNotThrowAnyException();
  }

  @Test
  void inject_baggageWithNullMetadataAndValues_throwsNothing() {
    Baggage odd =
        new Baggage() {
          @Override
          public int size() {
            return 2;
          }

          @Override
          public void forEach(
              java.util.function.BiConsumer<? super String, ? super BaggageEntry> consumer) {
            consumer.accept("k", null);
            consumer.accept(
                "n",
                new BaggageEntry() {
                  @Override
                  public String getValue() {
                    return "v";
                  }

                  @Override
                  public BaggageEntryMetadata getMetadata() {
                    return null;
                  }
                });
            consumer.accept(null, null);
          }

          @Override
          public Map<String, BaggageEntry> asMap() {
            return Map.of();
          }

          @Override
          public String getEntryValue(String key) {
            return null;
          }

          @Override
          public BaggageBuilder toBuilder() {
            return Baggage.builder();
          }
        };

    assertThat(inject(odd).get("baggage")).isEqualTo("n=v");
  }

  private Baggage extract(String header) {
    return extractAll(header);
  }

  private Baggage extractAll(String... headers) {
    TextMapGetter<List<String>> getter =
        new TextMapGetter<>() {
          @Override
          public String get(List<String> carrier, String key) {
            return key.equals("baggage") && !carrier.isEmpty() ? carrier.get(0) : null;
          }

          @Override
          public Iterator<String> getAll(List<String> carrier, String key) {
            return key.equals("baggage") ? carrier.iterator() : List.<String>of().iterator();
          }
        };
    return Baggage.fromContext(propagator.extract(Context.root(), List.of(headers), getter));
  }

  private Map<String, String> inject(Baggage baggage) {
    Map<String, String> carrier = new LinkedHashMap<>();
    propagator.inject(baggage.storeInContext(Context.root()), carrier, Carriers.mapSetter());
    return carrier;
  }

  private static Baggage members(int count, int valueLength) {
    BaggageBuilder builder = Baggage.builder();
    for (int i = 0; i < count; i++) {
      builder.put("k" + i, "v" + "0".repeat(valueLength - 1) + i);
    }
    return builder.build();
  }

  private static Map<String, String> values(Baggage baggage) {
    Map<String, String> values = new HashMap<>();
    baggage.forEach((key, entry) -> values.put(key, entry.getValue()));
    return values;
  }
}
