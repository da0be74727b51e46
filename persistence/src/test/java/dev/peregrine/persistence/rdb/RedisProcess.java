package dev.peregrine.persistence.rdb;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} started by a test on a random loopback port with its own {@code --dir} and
 * {@code --dbfilename}, plus a tiny binary-safe RESP2 client. Closing it shuts the server down.
 */
final class RedisProcess implements AutoCloseable {
    private final Process process;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    final Path dir;

    private RedisProcess(Process process, Socket socket, Path dir) throws IOException {
        this.process = process;
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.dir = dir;
    }

    /** Whether a redis-server binary is on the PATH. */
    static boolean available() {
        try {
            Process p = new ProcessBuilder("redis-server", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /**
     * Starts a server over {@code dir}/{@code dbfilename}; returns null when the server exits instead of serving
     * (e.g. it refused the file), with its log in {@code log[0]}.
     */
    static RedisProcess start(Path dir, String dbfilename, String[] log, String... extra) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path logFile = dir.resolve("redis-" + port + ".log");
        List<String> cmd = new ArrayList<>(List.of(
                "redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
                "--dbfilename", dbfilename, "--save", "", "--appendonly", "no", "--daemonize", "no",
                "--logfile", logFile.toString()));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                if (log != null) {
                    log[0] = Files.exists(logFile) ? Files.readString(logFile) : "";
                }
                return null;
            }
            try {
                Socket sock = new Socket("127.0.0.1", port);
                RedisProcess r = new RedisProcess(p, sock, dir);
                while (true) {
                    Object pong = r.call("PING");
                    if ("PONG".equals(pong)) {
                        return r;
                    }
                    Thread.sleep(50);
                }
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("redis-server did not start");
    }

    /** Sends a command; returns String (status), byte[] (bulk), Long, List, null, or RuntimeException (error). */
    Object call(Object... args) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(('*' + String.valueOf(args.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (Object a : args) {
            byte[] v = a instanceof byte[] ? (byte[]) a : String.valueOf(a).getBytes(StandardCharsets.UTF_8);
            b.write(('$' + String.valueOf(v.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            b.write(v);
            b.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write(b.toByteArray());
        out.flush();
        return readReply();
    }

    /** {@link #call} that fails on an error reply. */
    Object ok(Object... args) throws IOException {
        Object r = call(args);
        if (r instanceof RuntimeException e) {
            throw new IllegalStateException(String.join(" ", java.util.Arrays.stream(args).map(String::valueOf)
                    .toList()) + " -> " + e.getMessage());
        }
        return r;
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            sb.append((char) c);
        }
        in.read();
        return sb.toString();
    }

    private Object readReply() throws IOException {
        int t = in.read();
        String l = line();
        switch (t) {
            case '+':
                return l;
            case '-':
                return new RuntimeException(l);
            case ':':
                return Long.parseLong(l);
            case '$': {
                int n = Integer.parseInt(l);
                if (n < 0) {
                    return null;
                }
                byte[] v = in.readNBytes(n);
                in.readNBytes(2);
                return v;
            }
            case '*': {
                int n = Integer.parseInt(l);
                if (n < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    items.add(readReply());
                }
                return items;
            }
            default:
                throw new IOException("bad reply type " + (char) t);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            call("SHUTDOWN", "NOSAVE");
        } catch (IOException ignored) {
            // the server closes the connection as it exits
        }
        socket.close();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
