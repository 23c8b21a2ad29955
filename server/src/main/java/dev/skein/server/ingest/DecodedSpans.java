package dev.skein.server.ingest;

import dev.skein.storage.Span;
import java.util.List;

/**
 * What a decoder made of one request: the valid spans in request order, and how many spans it
 * rejected one by one, with the reason for the first of them.
 *
 * @param spans the valid spans
 * @param rejected how many spans were invalid and left out
 * @param firstRejection where the first rejected span was and why it was rejected; empty if none
 */
public record DecodedSpans(List<Span> spans, int rejected, String firstRejection) {

  public DecodedSpans {
    spans = List.copyOf(spans);
  }

  /** Valid and rejected spans together: every span the request held. */
  public int received() {
    return spans.size() + rejected;
  }
}
