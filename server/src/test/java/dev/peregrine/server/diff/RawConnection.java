package dev.peregrine.server.diff;

import dev.peregrine.protocol.ReplyFramer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A plain TCP connection that sends commands as RESP multibulk requests and reads back exactly one raw reply each,
 * framed by {@link ReplyFramer} (the bytes are not decoded). One thread at a time.
 */
public final class RawConnection implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ByteBuf buffer = Unpooled.buffer(4096);
    private final byte[] chunk = new byte[16384];

    /** Connects to 127.0.0.1:{@code port} with a 10 s read timeout. */
    public RawConnection(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** The multibulk encoding of {@code argv}. */
    public static byte[] encode(byte[][] argv) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("*" + argv.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : argv) {
            b.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            b.writeBytes(a);
            b.writeBytes(new byte[] {'\r', '\n'});
        }
        return b.toByteArray();
    }

    /** Sends one command. */
    public void send(byte[][] argv) throws IOException {
        out.write(encode(argv));
        out.flush();
    }

    /**
     * Reads exactly one complete reply (an attribute and the reply it annotates count as one).
     *
     * @throws IOException when the peer closes or is silent for 10 s before the reply is complete
     */
    public byte[] readReply() throws IOException {
        while (true) {
            if (buffer.isReadable()) {
                int end = ReplyFramer.frameEnd(buffer, buffer.readerIndex());
                if (end >= 0) {
                    byte[] reply = new byte[end - buffer.readerIndex()];
                    buffer.readBytes(reply);
                    buffer.discardReadBytes();
                    return reply;
                }
            }
            int n = in.read(chunk);
            if (n < 0) {
                throw new IOException("connection closed before a complete reply; got so far: "
                                      + escape(bufferBytes()));
            }
            buffer.writeBytes(chunk, 0, n);
        }
    }

    /** Sends one command and reads its reply. */
    public byte[] call(byte[][] argv) throws IOException {
        send(argv);
        return readReply();
    }

    private byte[] bufferBytes() {
        byte[] b = new byte[buffer.readableBytes()];
        buffer.getBytes(buffer.readerIndex(), b);
        return b;
    }

    /** A quoted, printable form of raw bytes: {@code \r \n \t \\ \"}, other non-printables as {@code \xHH}. */
    public static String escape(byte[] bytes) {
        StringBuilder s = new StringBuilder(bytes.length + 2).append('"');
        for (byte b : bytes) {
            int c = b & 0xff;
            switch (c) {
                case '\r': s.append("\\r"); break;
                case '\n': s.append("\\n"); break;
                case '\t': s.append("\\t"); break;
                case '\\': s.append("\\\\"); break;
                case '"': s.append("\\\""); break;
                default:
                    if (c >= 0x20 && c < 0x7f) {
                        s.append((char) c);
                    } else {
                        s.append(String.format("\\x%02x", c));
                    }
            }
        }
        return s.append('"').toString();
    }

    @Override
    public void close() throws IOException {
        buffer.release();
        socket.close();
    }
}
