package dev.peregrine.server.command.string;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Test helper: encodes commands as RESP multibulk and reads exactly one complete reply, returned as raw text. */
final class Resp {
    private Resp() {
    }

    static byte[] encode(String... args) {
        StringBuilder sb = new StringBuilder();
        sb.append('*').append(args.length).append("\r\n");
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.ISO_8859_1);
            sb.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Sends one command and returns its complete raw reply (ISO-8859-1). */
    static String call(Socket s, String... args) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(encode(args));
        out.flush();
        return readReply(s.getInputStream());
    }

    static String readReply(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        readOne(in, buf);
        return buf.toString(StandardCharsets.ISO_8859_1);
    }

    private static void readOne(InputStream in, ByteArrayOutputStream buf) throws IOException {
        String line = readLine(in);
        buf.writeBytes(line.getBytes(StandardCharsets.ISO_8859_1));
        char type = line.charAt(0);
        String body = line.substring(1, line.length() - 2);
        switch (type) {
            case '$', '=', '!' -> {
                int n = Integer.parseInt(body);
                if (n >= 0) {
                    buf.writeBytes(in.readNBytes(n + 2));
                }
            }
            case '*', '~', '>', '%', '|' -> {
                int n = Integer.parseInt(body);
                if (type == '%' || type == '|') {
                    n *= 2;
                }
                for (int i = 0; i < n; i++) {
                    readOne(in, buf);
                }
            }
            default -> {
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int prev = -1;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed after: " + sb);
            }
            sb.append((char) c);
            if (prev == '\r' && c == '\n') {
                return sb.toString();
            }
            prev = c;
        }
    }
}
