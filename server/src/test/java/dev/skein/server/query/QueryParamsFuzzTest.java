package dev.skein.server.query;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skein.storage.TraceId;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Whatever text a parameter holds, each parser either returns a value that agrees with the text or
 * throws {@link BadParameterException} naming the parameter; nothing else escapes.
 */
class QueryParamsFuzzTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @FuzzTest(maxDuration = "10s")
  void anyParameterText(FuzzedDataProvider data) throws Exception {
    int parser = data.consumeInt(0, 5);
    String text = data.consumeRemainingAsString();
    try {
      switch (parser) {
        case 0 -> checkDuration(text);
        case 1 -> checkTraceId(text);
        case 2 -> checkTagsJson(text);
        case 3 -> checkAnnotationQuery(text);
        case 4 -> checkLong(text);
        default -> checkTagPair(text);
      }
    } catch (BadParameterException e) {
      if (!e.getMessage().startsWith("bad parameter '" + e.parameter() + "'")
          || e.getMessage().length() > 400) {
        throw new AssertionError("message does not name the parameter briefly: " + e.getMessage());
      }
    }
  }

  private static void checkDuration(String text) {
    long nanos = Params.parseDuration("d", text);
    if (nanos < 0) {
      throw new AssertionError("negative duration " + nanos + " from " + text);
    }
    // A plain "<digits>ms" must mean exactly that many milliseconds.
    if (text.matches("[0-9]{1,12}ms")
        && nanos != Long.parseLong(text.substring(0, text.length() - 2)) * 1_000_000L) {
      throw new AssertionError(text + " parsed as " + nanos);
    }
  }

  private static void checkTraceId(String text) {
    TraceId id = Params.parseTraceId("t", text);
    String padded = "0".repeat(32 - text.length()) + text.toLowerCase(Locale.ROOT);
    if (!id.toHex().equals(padded)) {
      throw new AssertionError(text + " parsed as " + id.toHex());
    }
  }

  private static void checkTagsJson(String text) throws Exception {
    Map<String, String> tags = new LinkedHashMap<>();
    Params.parseTagsJson("tags", text, tags);
    // Accepted text is a JSON object of scalars, and every member ends up in the map.
    JsonNode tree = MAPPER.readTree(text);
    if (!tree.isObject()) {
      throw new AssertionError("accepted a non-object: " + text);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> member = it.next();
      if (!member.getValue().isValueNode() || member.getValue().isNull()) {
        throw new AssertionError("accepted a non-scalar value: " + text);
      }
      if (!tags.containsKey(member.getKey())) {
        throw new AssertionError("lost key " + member.getKey() + " of " + text);
      }
    }
    if (tags.size() != tree.size()) {
      throw new AssertionError("keys differ for " + text + ": " + tags);
    }
  }

  private static void checkAnnotationQuery(String text) {
    Params.AnnotationQuery query = Params.parseAnnotationQuery("q", text);
    for (String key : query.tags().keySet()) {
      if (key.isEmpty() || key.contains("=") || !key.equals(key.strip())) {
        throw new AssertionError("bad key '" + key + "' from " + text);
      }
    }
    for (String word : query.words()) {
      if (word.isEmpty() || word.contains("=") || !word.equals(word.strip())) {
        throw new AssertionError("bad word '" + word + "' from " + text);
      }
    }
  }

  private static void checkLong(String text) {
    long value = Params.parseLong("n", text);
    if (!text.matches("-?[0-9]+") || !new BigInteger(text).equals(BigInteger.valueOf(value))) {
      throw new AssertionError(text + " parsed as " + value);
    }
  }

  private static void checkTagPair(String text) {
    Map<String, String> tags = new LinkedHashMap<>();
    Params.parseTagPair("tag", text, tags);
    Map.Entry<String, String> entry = tags.entrySet().iterator().next();
    if (entry.getKey().isEmpty() || !(entry.getKey() + ":" + entry.getValue()).equals(text)) {
      throw new AssertionError(text + " parsed as " + entry);
    }
  }
}
