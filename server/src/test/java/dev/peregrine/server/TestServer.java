package dev.peregrine.server;

import dev.peregrine.server.config.ServerConfig;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * A real Peregrine server on a random loopback port, for integration tests. Close it in {@code @AfterAll} or with
 * try-with-resources.
 */
public final class TestServer implements AutoCloseable {
    private final PeregrineServer server;
    private final int port;

    private TestServer(PeregrineServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** Starts a server with default settings on 127.0.0.1 and a free port. */
    public static TestServer start() {
        return start(c -> { });
    }

    /** Starts a server after {@code tweak} adjusted the configuration. */
    public static TestServer start(Consumer<ServerConfig> tweak) {
        ServerConfig config = new ServerConfig();
        config.set("port", "0");
        config.set("bind", "127.0.0.1");
        config.set("save", "");
        tweak.accept(config);
        PeregrineServer s = new PeregrineServer(config);
        try {
            return new TestServer(s, s.start());
        } catch (Exception e) {
            throw new IllegalStateException("server did not start", e);
        }
    }

    public int port() {
        return port;
    }

    public PeregrineServer server() {
        return server;
    }

    /** A new Jedis connection; the caller closes it. */
    public Jedis jedis() {
        return new Jedis("127.0.0.1", port, 10_000);
    }

    /** A new raw socket with a 10 s read timeout; the caller closes it. */
    public Socket socket() throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(10_000);
        s.setTcpNoDelay(true);
        return s;
    }

    /** Sends raw bytes and reads until {@code expectedBytes} bytes arrived or the peer closed. */
    public static String exchange(Socket s, String request, int expectedBytes) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return read(s, expectedBytes);
    }

    /** Reads until {@code expectedBytes} bytes arrived or the peer closed. */
    public static String read(Socket s, int expectedBytes) throws IOException {
        InputStream in = s.getInputStream();
        byte[] buf = new byte[Math.max(expectedBytes, 1)];
        int n = 0;
        while (n < expectedBytes) {
            int r = in.read(buf, n, expectedBytes - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return new String(buf, 0, n, StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        server.stop();
    }
}
