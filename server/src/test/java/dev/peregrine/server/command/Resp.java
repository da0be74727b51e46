package dev.peregrine.server.command;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Test helper: sends commands as RESP multibulk and reads exactly one reply, as its raw bytes (for byte-exact
 * comparison with redis-server) or parsed into a tree (for comparisons that must ignore Redis's hash order).
 */
public final class Resp {
    private Resp() {
    }

    /** Sends one command. */
    public static void send(Socket s, String... args) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        for (String a : args) {
            byte[] x = a.getBytes(StandardCharsets.ISO_8859_1);
            b.writeBytes(("$" + x.length + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            b.writeBytes(x);
            b.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        OutputStream out = s.getOutputStream();
        out.write(b.toByteArray());
        out.flush();
    }

    /** Sends one command and returns the raw bytes of its reply (an attribute and the reply after it). */
    public static String call(Socket s, String... args) throws IOException {
        send(s, args);
        return readRaw(s.getInputStream());
    }

    /** Sends one command and returns its reply parsed, see {@link #parse(InputStream)}. */
    public static Object callParsed(Socket s, String... args) throws IOException {
        send(s, args);
        return parse(s.getInputStream());
    }

    public static String readRaw(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        readRaw(in, sb);
        return sb.toString();
    }

    private static void readRaw(InputStream in, StringBuilder sb) throws IOException {
        String line = line(in);
        sb.append(line).append("\r\n");
        char t = line.charAt(0);
        String rest = line.substring(1);
        switch (t) {
            case '$', '=', '!' -> {
                int n = Integer.parseInt(rest);
                if (n >= 0) {
                    sb.append(new String(in.readNBytes(n + 2), StandardCharsets.ISO_8859_1));
                }
            }
            case '*', '~', '>' -> {
                int n = Integer.parseInt(rest);
                for (int i = 0; i < n; i++) {
                    readRaw(in, sb);
                }
            }
            case '%' -> {
                int n = Integer.parseInt(rest);
                for (int i = 0; i < 2 * n; i++) {
                    readRaw(in, sb);
                }
            }
            case '|' -> {
                int n = Integer.parseInt(rest);
                for (int i = 0; i < 2 * n; i++) {
                    readRaw(in, sb);
                }
                readRaw(in, sb);
            }
            default -> {
            }
        }
    }

    /**
     * One reply as a tree: status {@code "+text"}, error {@code "-text"}, bulk/verbatim as String, integer Long,
     * null as null, array/set/push as List, map as List of alternating keys and values (order as sent).
     */
    public static Object parse(InputStream in) throws IOException {
        String line = line(in);
        char t = line.charAt(0);
        String rest = line.substring(1);
        switch (t) {
            case '+':
            case '-':
                return line;
            case ':':
                return Long.parseLong(rest);
            case '$':
            case '=': {
                int n = Integer.parseInt(rest);
                if (n < 0) {
                    return null;
                }
                byte[] b = in.readNBytes(n + 2);
                return new String(b, 0, n, StandardCharsets.ISO_8859_1);
            }
            case '_':
                return null;
            case '#':
                return rest.equals("t");
            case ',':
            case '(':
                return rest;
            case '*':
            case '~':
            case '>':
            case '%': {
                int n = Integer.parseInt(rest);
                if (n < 0) {
                    return null;
                }
                int count = t == '%' ? 2 * n : n;
                List<Object> out = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    out.add(parse(in));
                }
                return out;
            }
            default:
                throw new IOException("unexpected reply type " + line);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int prev = -1;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed after " + sb);
            }
            if (prev == '\r' && c == '\n') {
                sb.setLength(sb.length() - 1);
                return sb.toString();
            }
            sb.append((char) c);
            prev = c;
        }
    }
}
