package io.glmvoicebatch.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Random;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reply bodies over real HTTP on loopback: declared length, chunked, and cut off mid-body. */
class ReplyBodyReaderTest {
  private final MockWebServer server = new MockWebServer();
  private final OkHttpClient http = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
  private final byte[] megabyte = new byte[1_200_000];

  @BeforeEach
  void start() throws IOException {
    new Random(7).nextBytes(megabyte);
    server.start();
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  private byte[] fetch() throws IOException {
    return fetch(ClientSettings.DEFAULT_MAX_REPLY_BYTES);
  }

  private byte[] fetch(long cap) throws IOException {
    try (Response r = http.newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
      return ReplyBodyReader.read(r.body(), cap);
    }
  }

  @Test
  void readsABodyOfDeclaredLengthWhole() throws IOException {
    server.enqueue(new MockResponse().setBody(new Buffer().write(megabyte)));
    assertArrayEquals(megabyte, fetch());
  }

  @Test
  void readsAChunkedBodyWhole() throws IOException {
    server.enqueue(new MockResponse().setChunkedBody(new Buffer().write(megabyte), 65_536));
    assertArrayEquals(megabyte, fetch());
  }

  @Test
  void readsAnEmptyBody() throws IOException {
    server.enqueue(new MockResponse().setBody(""));
    assertArrayEquals(new byte[0], fetch());
  }

  @Test
  void aBodyOfExactlyTheCapIsRead() throws IOException {
    server.enqueue(new MockResponse().setBody(new Buffer().write(megabyte)));
    server.enqueue(new MockResponse().setChunkedBody(new Buffer().write(megabyte), 65_536));
    assertArrayEquals(megabyte, fetch(megabyte.length));
    assertArrayEquals(megabyte, fetch(megabyte.length));
  }

  @Test
  void aBodyOneByteOverTheCapIsRefusedDeclaredOrChunked() {
    server.enqueue(new MockResponse().setBody(new Buffer().write(megabyte)));
    server.enqueue(new MockResponse().setChunkedBody(new Buffer().write(megabyte), 65_536));
    ReplyBodyReader.TooLargeException declared =
        assertThrows(ReplyBodyReader.TooLargeException.class, () -> fetch(megabyte.length - 1));
    assertTrue(declared.getMessage().contains("declares Content-Length 1200000"), declared.getMessage());
    ReplyBodyReader.TooLargeException chunked =
        assertThrows(ReplyBodyReader.TooLargeException.class, () -> fetch(megabyte.length - 1));
    assertTrue(chunked.getMessage().contains("with no declared length"), chunked.getMessage());
  }

  @Test
  void aLargeDeclaredBodyGrowsAsItArrivesAndIsReadWhole() throws IOException {
    byte[] big = new byte[20 * 1024 * 1024 + 3]; // over the size allocated up front on trust
    new Random(9).nextBytes(big);
    server.enqueue(new MockResponse().setBody(new Buffer().write(big)));
    assertArrayEquals(big, fetch());
  }

  @Test
  void aBodyCutOffBeforeItsDeclaredLengthIsAnIoError() {
    server.enqueue(new MockResponse().setBody(new Buffer().write(megabyte))
        .setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));
    assertThrows(IOException.class, this::fetch);
  }
}
