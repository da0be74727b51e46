package dev.peregrine.server.command.keys;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A raw RESP connection for tests: sends one command, answers the exact bytes of one reply. */
final class RespConn implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    RespConn(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream());
    }

    String call(String... args) throws IOException {
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        req.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.ISO_8859_1);
            req.writeBytes(("$" + b.length + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            req.writeBytes(b);
            req.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.write(req.toByteArray());
        out.flush();
        StringBuilder sb = new StringBuilder();
        readReply(sb);
        return sb.toString();
    }

    private String line(StringBuilder sb) throws IOException {
        StringBuilder l = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c == '\r') {
                in.read();
                break;
            }
            l.append((char) c);
        }
        sb.append(l).append("\r\n");
        return l.toString();
    }

    private void readReply(StringBuilder sb) throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new IOException("connection closed");
        }
        sb.append((char) type);
        String l = line(sb);
        switch (type) {
            case '$':
            case '=':
            case '!': {
                int n = Integer.parseInt(l);
                if (n >= 0) {
                    byte[] b = in.readNBytes(n + 2);
                    sb.append(new String(b, StandardCharsets.ISO_8859_1));
                }
                break;
            }
            case '*':
            case '~':
            case '>':
            case '%': {
                int n = Integer.parseInt(l);
                if (type == '%') {
                    n *= 2;
                }
                for (int i = 0; i < n; i++) {
                    readReply(sb);
                }
                break;
            }
            default:
                break;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
