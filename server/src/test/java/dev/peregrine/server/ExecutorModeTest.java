package dev.peregrine.server;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The command path behaves the same whichever thread runs the executor role. */
class ExecutorModeTest {
    @ParameterizedTest(name = "executor-mode {0}, io-threads {1}")
    @CsvSource({"inline, 1", "thread, 1", "thread, 2", "auto, 1", "auto, 2"})
    void pipelinedRepliesKeepRequestOrderPerConnection(String mode, String ioThreads) throws Exception {
        try (TestServer server = TestServer.start(c -> {
            c.set("executor-mode", mode);
            c.set("io-threads", ioThreads);
        })) {
            assertEquals(mode.equals("inline") || (mode.equals("auto") && ioThreads.equals("1")),
                         server.server().inlineMode());
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    sockets.add(server.socket());
                }
                int n = 2000;
                StringBuilder request = new StringBuilder();
                StringBuilder expected = new StringBuilder();
                for (int i = 0; i < n; i++) {
                    String msg = "m" + i;
                    request.append("*2\r\n$4\r\nECHO\r\n$").append(msg.length()).append("\r\n").append(msg).append("\r\n");
                    expected.append('$').append(msg.length()).append("\r\n").append(msg).append("\r\n");
                }
                byte[] req = request.toString().getBytes(StandardCharsets.US_ASCII);
                for (Socket s : sockets) {
                    OutputStream out = s.getOutputStream();
                    // write in uneven pieces so commands straddle reads
                    for (int off = 0; off < req.length; off += 997) {
                        out.write(req, off, Math.min(997, req.length - off));
                    }
                    out.flush();
                }
                for (Socket s : sockets) {
                    assertEquals(expected.toString(), TestServer.read(s, expected.length()));
                }
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
        }
    }
}
