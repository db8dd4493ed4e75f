package io.glmvoicebatch.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The reply's audio string is cut out of the body before JSON parsing; whatever the body looks like, the
 * parse gives the same reply as a parse of the body as it came (forced here with an escaped slash, which
 * only the JSON parser's own base64 path accepts).
 */
class AudioCutTest {
  private final ClientSettings settings = Fixtures.settings("http://127.0.0.1:1/api/paas/v4").build();
  private final ReplyParser parser = new ReplyParser(settings.retryPolicy(), settings.credentials(),
      new ReplyAudioDecoder(settings.rawReplyFormat()));
  private final String body = Fixtures.reply(Fixtures.rawPcm(4_410), true).toString();

  private ReplyParser.Result parse(String json) throws Exception {
    return parser.parseSuccess(200, json.getBytes(StandardCharsets.UTF_8), "cut-test-1", "application/json");
  }

  /** The same body with its first '/' in the audio escaped: not plain base64, so never cut. */
  private String uncuttable(String json) {
    int data = json.indexOf("\"data\"");
    int slash = json.indexOf('/', data);
    assertTrue(slash > data, "fixture audio base64 has a '/'");
    return json.substring(0, slash) + "\\/" + json.substring(slash + 1);
  }

  @Test
  void cutBodyParsesToTheSameReplyAsTheWholeBody() throws Exception {
    AudioCut cut = AudioCut.find(body.getBytes(StandardCharsets.UTF_8));
    assertNotNull(cut);
    assertTrue(cut.json.length < 1000, "the parser reads " + cut.json.length + " bytes, not the audio");
    assertNull(AudioCut.find(uncuttable(body).getBytes(StandardCharsets.UTF_8)));

    ReplyParser.Result viaCut = parse(body);
    ReplyParser.Result whole = parse(uncuttable(body));
    assertNotNull(viaCut.reply, String.valueOf(viaCut.error));
    assertNotNull(whole.reply, String.valueOf(whole.error));
    assertArrayEquals(whole.reply.audio().wavBytes(), viaCut.reply.audio().wavBytes());
    assertEquals(whole.reply.text(), viaCut.reply.text());
    assertEquals(whole.usage, viaCut.usage);
  }

  @Test
  void aDecoyDataKeyBeforeTheAudioIsLeftAloneAndTheAudioStillDecodes() throws Exception {
    // An unknown top-level "data" string comes first: the cut lands there, the parser sees that
    // choices[0].message.audio.data is elsewhere, and the body is parsed as it came.
    String decoy = "{\"data\":\"QUJD\"," + body.substring(1);
    ReplyParser.Result r = parse(decoy);
    assertNotNull(r.reply, String.valueOf(r.error));
    assertArrayEquals(parse(body).reply.audio().wavBytes(), r.reply.audio().wavBytes());
  }

  @Test
  void spacesAroundTheColonStillCut() throws Exception {
    String spaced = body.replace("\"data\":\"", "\"data\" : \n \"");
    assertNotNull(AudioCut.find(spaced.getBytes(StandardCharsets.UTF_8)));
    assertArrayEquals(parse(body).reply.audio().wavBytes(), parse(spaced).reply.audio().wavBytes());
  }

  @Test
  void aBodyCutOffInsideTheAudioIsNotCutAndReportsTruncation() throws Exception {
    String truncated = body.substring(0, body.indexOf("\"data\"") + 40);
    assertNull(AudioCut.find(truncated.getBytes(StandardCharsets.UTF_8)));
    ReplyParser.Result r = parse(truncated);
    assertNull(r.reply);
    assertTrue(r.error.message().contains("not valid JSON"), r.error.message());
  }
}
