package io.glmvoicebatch.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/** Every socket the client opens has Nagle's algorithm off, whichever way OkHttp asks for it. */
class NoDelaySocketFactoryTest {
  @Test
  void unconnectedAndConnectedSocketsHaveTcpNoDelay() throws Exception {
    NoDelaySocketFactory factory = new NoDelaySocketFactory();
    try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        Socket unconnected = factory.createSocket();
        Socket connected = factory.createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
      assertTrue(unconnected.getTcpNoDelay());
      assertTrue(connected.getTcpNoDelay());
    }
  }
}
