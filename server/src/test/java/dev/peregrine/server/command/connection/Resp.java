package dev.peregrine.server.command.connection;

import dev.peregrine.protocol.ReplyFramer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A raw RESP connection for tests: sends commands as multibulk and reads whole replies, byte-exact. */
final class Resp implements AutoCloseable {
    private final Socket socket;
    private final ByteBuf in = Unpooled.buffer();

    Resp(Socket socket) {
        this.socket = socket;
    }

    Socket socket() {
        return socket;
    }

    /** Sends one command and returns its whole raw reply. */
    String call(String... args) throws IOException {
        send(args);
        return reply();
    }

    void send(String... args) throws IOException {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.getBytes(StandardCharsets.ISO_8859_1).length).append("\r\n").append(a).append("\r\n");
        }
        raw(sb.toString());
    }

    void raw(String bytes) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Reads one whole reply (blocking up to the socket's timeout). */
    String reply() throws IOException {
        InputStream s = socket.getInputStream();
        byte[] buf = new byte[8192];
        while (true) {
            int end = in.isReadable() ? ReplyFramer.frameEnd(in, in.readerIndex()) : -1;
            if (end >= 0) {
                String r = in.toString(in.readerIndex(), end - in.readerIndex(), StandardCharsets.ISO_8859_1);
                in.readerIndex(end);
                in.discardReadBytes();
                return r;
            }
            int n = s.read(buf);
            if (n < 0) {
                throw new IOException("closed; unread: " + in.toString(StandardCharsets.ISO_8859_1));
            }
            in.writeBytes(buf, 0, n);
        }
    }

    /** Whether the peer closed the connection (reads until EOF, expecting nothing more). */
    boolean closedByPeer() throws IOException {
        try {
            return socket.getInputStream().read() < 0 && !in.isReadable();
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    static String bulk(String s) {
        return "$" + s.length() + "\r\n" + s + "\r\n";
    }

    @Override
    public void close() throws IOException {
        socket.close();
        in.release();
    }
}
