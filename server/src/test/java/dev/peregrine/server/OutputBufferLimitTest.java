package dev.peregrine.server;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputBufferLimitTest {
    @Test
    void clientOverTheNormalHardLimitIsDisconnected() throws Exception {
        try (TestServer server = TestServer.start(c -> c.set("client-output-buffer-limit", "normal 1mb 0 0"))) {
            String value = "x".repeat(100_000);
            String echo = "*2\r\n$4\r\nECHO\r\n$" + value.length() + "\r\n" + value + "\r\n";
            int commands = 300; // 30 MB of replies: far past the kernel's socket buffers
            long received;
            try (Socket s = new Socket()) {
                s.setReceiveBufferSize(4096);
                s.connect(new InetSocketAddress("127.0.0.1", server.port()));
                s.setSoTimeout(30_000);
                OutputStream out = s.getOutputStream();
                Thread writer = new Thread(() -> {
                    try {
                        for (int i = 0; i < commands; i++) {
                            out.write(echo.getBytes(StandardCharsets.US_ASCII));
                        }
                        out.flush();
                    } catch (IOException expected) {
                        // the server closed the connection
                    }
                });
                writer.start();
                Thread.sleep(1000); // let replies pile up unread
                received = drain(s.getInputStream());
                writer.join(30_000);
            }
            long total = (long) commands * ("$100000\r\n".length() + value.length() + 2);
            assertTrue(received < total, "connection should be closed before all replies: got " + received);
            try (Socket other = server.socket()) {
                assertEquals("+PONG\r\n", TestServer.exchange(other, "PING\r\n", 7));
            }
        }
    }

    private static long drain(InputStream in) throws IOException {
        byte[] buf = new byte[65536];
        long n = 0;
        try {
            int r;
            while ((r = in.read(buf)) >= 0) {
                n += r;
            }
        } catch (SocketException reset) {
            // connection reset by the server: also a close
        }
        return n;
    }
}
