package io.glmvoicebatch.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.SocketFactory;
import org.junit.jupiter.api.Test;

/**
 * Every socket the client opens has Nagle's algorithm off, whichever way OkHttp asks for it: checked on
 * the factory the client itself opens its connections with, so the test fails if the client stops
 * installing it.
 */
class NoDelaySocketFactoryTest {
  @Test
  void theClientsUnconnectedAndConnectedSocketsHaveTcpNoDelay() throws Exception {
    try (GlmVoiceClient client = GlmVoiceClient.create(Fixtures.settings("http://127.0.0.1:9/").build())) {
      SocketFactory factory = client.socketFactory();
      try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
          Socket unconnected = factory.createSocket();
          Socket connected = factory.createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
        assertTrue(unconnected.getTcpNoDelay(), "OkHttp's usual way: an unconnected socket it connects itself");
        assertTrue(connected.getTcpNoDelay());
      }
    }
  }
}
