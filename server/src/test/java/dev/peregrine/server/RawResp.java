package dev.peregrine.server;

import dev.peregrine.server.exec.Client;
import dev.peregrine.storage.Entry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A raw RESP connection for exact-bytes tests: sends commands as multibulk requests and reads back one complete
 * reply (any RESP2/RESP3 type) as the exact bytes received. Also talks to a real redis-server for comparisons.
 */
public final class RawResp implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawResp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = new java.io.BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Sends one command and returns its reply's exact bytes (ISO-8859-1). */
    public String call(String... args) throws IOException {
        send(args);
        return read();
    }

    /** Sends one command without reading its reply (see {@link #read}). */
    public void send(String... args) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append('*').append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.getBytes(StandardCharsets.ISO_8859_1).length).append("\r\n").append(a).append("\r\n");
        }
        out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Sends raw bytes (several commands at once for a pipeline). */
    public void sendRaw(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Reads the next reply's exact bytes (ISO-8859-1). */
    public String read() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        readReply(buf);
        return buf.toString(StandardCharsets.ISO_8859_1);
    }

    /** Whether reply bytes are waiting to be read, without blocking. */
    public boolean hasPending() throws IOException {
        return in.available() > 0;
    }

    private void readReply(ByteArrayOutputStream buf) throws IOException {
        String line = readLine(buf);
        char type = line.charAt(0);
        switch (type) {
            case '+', '-', ':', '_', '#', ',', '(' -> { }
            case '$', '=', '!' -> {
                int len = Integer.parseInt(line.substring(1));
                if (len >= 0) {
                    buf.write(in.readNBytes(len + 2));
                }
            }
            case '*', '~', '>' -> {
                int n = Integer.parseInt(line.substring(1));
                for (int i = 0; i < n; i++) {
                    readReply(buf);
                }
            }
            case '%', '|' -> {
                int n = Integer.parseInt(line.substring(1));
                for (int i = 0; i < 2 * n; i++) {
                    readReply(buf);
                }
                if (type == '|') {
                    readReply(buf);
                }
            }
            default -> throw new IOException("bad reply type " + line);
        }
    }

    private String readLine(ByteArrayOutputStream buf) throws IOException {
        StringBuilder sb = new StringBuilder();
        int prev = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed");
            }
            buf.write(b);
            if (prev == '\r' && b == '\n') {
                return sb.substring(0, sb.length() - 1);
            }
            sb.append((char) b);
            prev = b;
        }
    }

    /**
     * Switches the newest connection of {@code server} to RESP3 (this branch has no HELLO yet). Call it right
     * after opening this connection and one round trip; runs on the connection's event loop.
     */
    public void useResp3(TestServer server) throws Exception {
        call("PING");
        Client newest = null;
        for (Client c : server.server().engine().clients().values()) {
            if (newest == null || c.id() > newest.id()) {
                newest = c;
            }
        }
        Client target = newest;
        target.channel().eventLoop().submit(() -> target.protocol(3)).get();
    }

    /** OBJECT ENCODING's answer for a key of db 0, read from the engine while the server is idle. */
    public static String encoding(TestServer server, String key) {
        Object e = server.server().engine().db(0).peek(key.getBytes(StandardCharsets.ISO_8859_1));
        return e == null ? null : Entry.encoding(e);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /**
     * A reply's bytes as values for order-insensitive comparison: aggregates become lists (sorted when
     * {@code sortAggregates}), everything else the line or bulk text with its type marker.
     */
    public static Object parse(String raw, boolean sortAggregates) {
        int[] pos = {0};
        return parse(raw, pos, sortAggregates);
    }

    private static Object parse(String raw, int[] pos, boolean sort) {
        int eol = raw.indexOf("\r\n", pos[0]);
        String line = raw.substring(pos[0], eol);
        pos[0] = eol + 2;
        char t = line.charAt(0);
        switch (t) {
            case '$': {
                int len = Integer.parseInt(line.substring(1));
                if (len < 0) {
                    return "(nil)";
                }
                String v = raw.substring(pos[0], pos[0] + len);
                pos[0] += len + 2;
                return "$" + v;
            }
            case '*':
            case '~':
            case '%': {
                int n = Integer.parseInt(line.substring(1));
                if (n < 0) {
                    return "(nil)";
                }
                java.util.List<String> items = new java.util.ArrayList<>();
                int k = t == '%' ? 2 * n : n;
                for (int i = 0; i < k; i++) {
                    items.add(String.valueOf(parse(raw, pos, sort)));
                }
                if (sort) {
                    java.util.Collections.sort(items);
                }
                return items;
            }
            default:
                return line;
        }
    }

    /**
     * A real redis-server on a random port, started through {@link dev.peregrine.server.diff.RedisServerProcess}:
     * when none is installed the calling test is skipped, or fails under {@code CI=true}.
     */
    public static final class RealRedis implements AutoCloseable {
        private final dev.peregrine.server.diff.RedisServerProcess process;
        public final int port;

        private RealRedis(dev.peregrine.server.diff.RedisServerProcess process) {
            this.process = process;
            this.port = process.port();
        }

        public static RealRedis start() {
            return new RealRedis(dev.peregrine.server.diff.RedisServerProcess.start());
        }

        @Override
        public void close() {
            process.close();
        }
    }
}
